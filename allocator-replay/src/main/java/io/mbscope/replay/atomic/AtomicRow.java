package io.mbscope.replay.atomic;

/**
 * One atomic write: what the workload asked, what the kernel returned, what mbscope predicted and
 * where the data went.
 *
 * @param seq        syscalls.csv seq, -1 if unmatched
 * @param file       file name from syscalls.csv, or null
 * @param ino        inode, -1 if unknown
 * @param real       the trace's sys_exit_pwritev2 result (null if the exit is missing)
 * @param csv        syscalls.csv's result (null if no row)
 * @param predicted  mainline prediction
 * @param placement  for successful writes, else null
 * @param rfc        the RFC what-if (null under the mainline policy)
 * @param fiemapAgrees for successful writes whose range was not remapped later: fiemap.csv shows the
 *                   same physical address; null when not checked
 */
public record AtomicRow(long timeNs, long seq, String file, long ino, long offset, long length, long segments,
                        int rwFlags, boolean direct, Errno real, Errno csv, Verdict predicted, Placement placement,
                        RfcOutcome rfc, Boolean fiemapAgrees, String note) {

    /** The result that counts: the trace's, else syscalls.csv's. */
    public Errno actual() {
        return real != null ? real : csv;
    }

    public boolean verdictMatches() {
        Errno a = actual();
        return a != null && a == predicted.errno();
    }
}
