package io.mbscope.tracecompass.analysis;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.tracecompass.trace.MbEvent;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Outcomes of RWF_ATOMIC writes as the syscalls returned them: a {@code sys_enter_pwritev2} with
 * RWF_ATOMIC (0x40, include/uapi/linux/fs.h) is paired with the next {@code sys_exit_pwritev2} of
 * the same task; the inode comes from the {@code iomap_dio_rw_begin} in between (absent when the
 * kernel refused the write before the I/O path, e.g. a misaligned offset).
 * <pre>
 * Outcomes/&lt;ok|EINVAL|...&gt;   writes with that outcome so far
 * Inodes/&lt;ino|unknown&gt;        label of the write in flight ("16384 B @ 65536"), then its outcome
 * </pre>
 */
public class AtomicWritesStateProvider extends SafeStateProvider {
    public static final String ID = "io.mbscope.tracecompass.atomic.provider";
    public static final String OUTCOMES = "Outcomes";
    public static final String INODES = "Inodes";
    public static final String OK = "ok";
    /** RWF_ATOMIC, include/uapi/linux/fs.h (6.11+). */
    static final int RWF_ATOMIC = 0x40;

    private final Map<Integer, long[]> pending = new HashMap<>(); // pid -> {pos, ino}
    private final Map<String, Long> counts = new HashMap<>();

    public AtomicWritesStateProvider(ITmfTrace trace) {
        super(trace, ID, 1, AtomicWritesStateProvider::new);
    }

    @Override
    protected void handle(ITmfStateSystemBuilder ss, MbEvent e, long t) {
        TraceEvent te = e.traceEvent();
        int pid = te.header().pid();
        if (te instanceof TraceEvent.Pwritev2Enter w) {
            if ((w.flags() & RWF_ATOMIC) != 0) {
                pending.put(pid, new long[] {w.pos(), -1});
            }
        } else if (te instanceof TraceEvent.DioBegin d) {
            long[] p = pending.get(pid);
            if (p != null && p[1] < 0) {
                p[1] = d.ino();
                ss.modifyAttribute(t, d.count() + " B @ " + d.pos(), inodeQuark(ss, d.ino()));
            }
        } else if (te instanceof TraceEvent.SyscallExit x && x.syscall().equals("pwritev2")) {
            long[] p = pending.remove(pid);
            if (p == null) {
                return;
            }
            String outcome = x.ret() >= 0 ? OK : errno(-x.ret());
            long n = counts.merge(outcome, 1L, Long::sum); // before the first one the series reads 0
            ss.modifyAttribute(t, n, ss.getQuarkAbsoluteAndAdd(OUTCOMES, outcome));
            ss.modifyAttribute(t, outcome, inodeQuark(ss, p[1]));
        }
    }

    private static int inodeQuark(ITmfStateSystemBuilder ss, long ino) {
        return ss.getQuarkAbsoluteAndAdd(INODES, ino < 0 ? "unknown" : Long.toString(ino));
    }

    /** The errno names an RWF_ATOMIC write can return (man 2 pwritev2, fs/read_write.c, ext4). */
    static String errno(long e) {
        return switch ((int) e) {
            case 1 -> "EPERM";
            case 5 -> "EIO";
            case 9 -> "EBADF";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 95 -> "EOPNOTSUPP";
            default -> "errno " + e;
        };
    }
}
