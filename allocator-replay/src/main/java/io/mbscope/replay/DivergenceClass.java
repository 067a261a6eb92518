package io.mbscope.replay;

/** Named causes of a difference between the model and the kernel (see {@link Divergence#rule()}). */
public enum DivergenceClass {
    /** Normalised goal length or the group/stream/no-prealloc decision differs (i_size / open-for-write inference). */
    NORMALIZATION_SIZE,
    /**
     * ext4_mb_group_or_file read inode_is_open_for_write() differently from what the trace shows:
     * open(2)/close(2) are not traced, and a close that leaves delayed-allocation blocks reserved
     * fires no ext4 event (ext4_release_file discards PAs only without reservations), so a file
     * closed before its writeback looks open (the request then ends exactly at i_size, and only the
     * open state decides between STREAM_ALLOC and HINT_NOPREALLOC). ext4_fs_is_busy(), also not
     * traceable, keeps a closed file's inode PA eligible the same way.
     */
    OPEN_STATE_NOT_TRACED,
    /** Normalised logical start (or the PA window placement derived from it) differs. */
    NORMALIZATION_START,
    /** Physical goal (group/start) differs: merge target or stream goal. */
    GOAL,
    /** A different preallocation was used, or a PA was used by one side only. */
    PA_CHOICE,
    /** Same request, the allocation was found at a different criterion. */
    CRITERION,
    /** Same request and criterion, groups or free extents visited in a different order. */
    SCAN_ORDER,
    /** Depends on when freed clusters became reusable (journal commit not in the trace: tunable assumption). */
    FREED_NOT_COMMITTED,
    /** The kernel used clusters the initial image shows in use (image and trace start disagree). */
    UNKNOWN_INITIAL_STATE,
    /** Another allocation or free completed while this request was in flight. */
    CONCURRENT_ALLOCATOR,
    /** A path the model does not implement (fast-commit replay, GOAL_ONLY, non-extent files...). */
    UNMODELLED_FEATURE,
    /** No rule explains it. */
    UNEXPLAINED
}
