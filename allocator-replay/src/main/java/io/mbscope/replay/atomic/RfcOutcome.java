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
 */
public record RfcOutcome(Verdict verdict, long physBlock, long goalBlock, long normalizedBlocks, long chunkBlocks,
                         long firstAlignedAfterGoal) {

    public RfcOutcome(Verdict verdict, long physBlock, long goalBlock, long normalizedBlocks, long chunkBlocks) {
        this(verdict, physBlock, goalBlock, normalizedBlocks, chunkBlocks, -1);
    }

    static RfcOutcome of(Verdict v) {
        return new RfcOutcome(v, -1, -1, 0, 0);
    }
}
