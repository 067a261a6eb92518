package io.mbscope.replay.atomic;

/** The results an atomic write can end with, by errno (0 = success). */
public enum Errno {
    SUCCESS(0),
    EIO(5),
    EAGAIN(11),
    EBUSY(16),
    EINVAL(22),
    ENOSPC(28),
    EOPNOTSUPP(95),
    EUCLEAN(117),
    OTHER(-1);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The errno of a syscall return value: >= 0 is success, -n is errno n. */
    public static Errno ofReturn(long ret) {
        return ret >= 0 ? SUCCESS : ofNumber((int) -ret);
    }

    public static Errno ofNumber(int errno) {
        for (Errno e : values()) {
            if (e.number == errno) {
                return e;
            }
        }
        return OTHER;
    }

    /** "OK" for success (as atomic-analysis.txt and syscalls.csv print it), else the errno name. */
    public String label() {
        return this == SUCCESS ? "OK" : name();
    }
}
