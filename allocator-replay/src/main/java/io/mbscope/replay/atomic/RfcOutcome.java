package io.mbscope.replay.atomic;

/**
 * What the RFC would have done with one atomic write.
 *
 * @param verdict          result and reason
 * @param physBlock        first physical block the write would use, -1 if none
 * @param goalBlock        the goal the allocation started from, -1 if no allocation was needed
 * @param normalizedBlocks the normalised (preallocation) size tried, 0 if no allocation
 * @param chunkBlocks      blocks taken from the free space (write + new inode PA), 0 if none
 * @param firstAlignedAfterGoal the first block at or after the goal (wrapping) that starts a free,
 *                         naturally aligned run of the write's length inside one group, -1 if none
 *                         or not asked: "would an aligned extent have been free, and where"
 * @param criterion        the model's criterion for the allocation (internal numbering of
 *                         {@link io.mbscope.replay.model.KernelGeneration}), -1 if no allocation ran
 */
public record RfcOutcome(Verdict verdict, long physBlock, long goalBlock, long normalizedBlocks, long chunkBlocks,
                         long firstAlignedAfterGoal, int criterion) {

    public RfcOutcome(Verdict verdict, long physBlock, long goalBlock, long normalizedBlocks, long chunkBlocks) {
        this(verdict, physBlock, goalBlock, normalizedBlocks, chunkBlocks, -1, -1);
    }

    static RfcOutcome of(Verdict v) {
        return new RfcOutcome(v, -1, -1, 0, 0);
    }

    /** The write would have gone to an existing extent, a PA or newly allocated blocks aligned to its length. */
    public boolean placed() {
        return verdict.success() && physBlock >= 0;
    }

    /** Failed only because no aligned free extent was found (the RFC's -ENOSPC). */
    public boolean enospcForAlignment() {
        return verdict.reason() == Reason.RFC_NO_ALIGNED_SPACE;
    }
}
