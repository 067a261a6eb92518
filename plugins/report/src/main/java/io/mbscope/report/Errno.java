package io.mbscope.report;

/** Names of the errno values a write can return (asm-generic/errno-base.h, errno.h). */
final class Errno {
    private Errno() {
    }

    static String name(long errno) {
        return switch ((int) errno) {
            case 1 -> "EPERM";
            case 4 -> "EINTR";
            case 5 -> "EIO";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 30 -> "EROFS";
            case 95 -> "EOPNOTSUPP";
            case 122 -> "EDQUOT";
            default -> "errno " + errno;
        };
    }
}
