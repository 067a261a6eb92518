package io.mbscope.replay;

/** Named causes of a difference between the model and the kernel (see {@link Divergence#rule()}). */
public enum DivergenceClass {
    /** Normalised goal length or the group/stream/no-prealloc decision differs (i_size / open-for-write inference). */
    NORMALIZATION_SIZE,
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
