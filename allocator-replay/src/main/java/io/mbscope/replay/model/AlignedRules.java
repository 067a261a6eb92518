package io.mbscope.replay.model;

/**
 * What EXT4_MB_ALIGNED_ALLOC changes in mballoc, as the 2023 RFC's patches 3/7 ("add aligned
 * allocation support in mballoc") and 4/7 ("allow inode preallocation for aligned alloc") on a 6.7
 * base have it. {@link MballocModel} consults these only for requests its
 * {@link AllocationPolicy} marks aligned.
 *
 * <ul>
 *   <li>ext4_mb_group_or_file: no locality-group PA for aligned requests (4/7).</li>
 *   <li>ext4_mb_use_preallocated: an inode PA serves the request only if the block it would give is
 *       a multiple of the goal length and the PA holds the whole goal length from there
 *       ({@code ext4_mb_pa_check}); an overlapping PA that fails the check sets HINT_NOPREALLOC so no
 *       second PA can cover the same logical block (4/7).</li>
 *   <li>ext4_mb_pa_predict_size: the normalised start stays at the request's logical block and the
 *       size is at least the request (4/7); ext4_mb_pa_adjust_overlap then rounds the window down to a
 *       power of two, not below the request (4/7).</li>
 *   <li>ext4_mb_regular_allocator: ext4_mb_find_by_goal is skipped (goal choice is not alignment
 *       aware), and a goal longer than one cluster may only be satisfied at CR_POWER2_ALIGNED, whose
 *       buddy chunks are naturally aligned; nothing there means failure, with no
 *       discard-and-retry (3/7).</li>
 * </ul>
 */
final class AlignedRules {

    private AlignedRules() {
    }

    /** ext4_mb_pa_check for an aligned request (RFC 4/7). */
    static boolean inodePaFits(Geometry geo, Prealloc pa, long gLogical, int gLen) {
        long start = pa.pstart + (gLogical - pa.lstart);
        long lenBlocks = geo.c2b(gLen);
        if (lenBlocks <= 0 || start % lenBlocks != 0) {
            return false;
        }
        return lenBlocks <= geo.c2b(pa.len) - (gLogical - pa.lstart);
    }

    /** ext4_mb_pa_adjust_overlap's last step for aligned requests: a power of two, not below the request. */
    static long powerOfTwoSize(long sizeBlocks, long requestBlocks) {
        long s = sizeBlocks <= 0 ? 0 : Long.highestOneBit(sizeBlocks);
        return Math.max(s, requestBlocks);
    }

    /** Only CR_POWER2_ALIGNED may serve an aligned goal longer than one cluster (RFC 3/7). */
    static boolean criterionAllowed(int cr, int gLen) {
        return gLen <= 1 || cr <= KernelGeneration.CR_POWER2_ALIGNED;
    }
}
