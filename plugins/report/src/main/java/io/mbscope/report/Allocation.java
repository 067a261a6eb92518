package io.mbscope.report;

/**
 * One ext4_allocate_blocks event (the exit of ext4_mb_new_blocks()), joined with the
 * ext4_mballoc_alloc or ext4_mballoc_prealloc event the same task emitted for the same inode just
 * before it (ext4_mb_release_context() traces the allocation context before the exit tracepoint).
 *
 * @param seq         index of this allocation in its trace, from 0
 * @param timeNs      trace clock
 * @param block       first physical block (fs blocks); 0 when the allocation failed
 * @param len         allocated length in clusters (blocks without bigalloc), ar->len
 * @param source      {@link #SOURCE_ALLOC}, {@link #SOURCE_PREALLOC} or {@link #SOURCE_NONE}
 * @param cr          criterion the regular allocator ended at, -1 when not known (PA or no event)
 * @param groups      groups scanned, -1 when not known
 * @param origLen     requested length (clusters) before normalisation, -1 when not known
 * @param goalLen     normalised goal length (clusters), -1 when not known
 * @param resultLen   length the allocator found (clusters), -1 when not known; more than {@code len}
 *                    when the rest went to a new preallocation
 */
public record Allocation(long seq, long timeNs, int cpu, int pid, String comm, long ino, long lblk, long len,
                         long block, long goal, int flags, String source, long group, int cr, int groups,
                         long origLen, long goalLen, long resultLen) {
    public static final String SOURCE_ALLOC = "mballoc_alloc";
    public static final String SOURCE_PREALLOC = "mballoc_prealloc";
    public static final String SOURCE_NONE = "";
}
