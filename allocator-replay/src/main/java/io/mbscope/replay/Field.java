package io.mbscope.replay;

/** The predicted fields of one allocation request. */
public enum Field {
    /** Preallocation hit (ext4_mballoc_prealloc) versus regular allocation (ext4_mballoc_alloc). */
    PATH,
    /** Which PA satisfied a prealloc hit (its result extent). */
    PA,
    /** ac_flags bits mballoc decides: HINT_NOPREALLOC, HINT_GROUP_ALLOC, STREAM_ALLOC, HINT_TRY_GOAL. */
    FLAGS,
    /** ext4_mballoc_alloc goal extent (normalised request). */
    GOAL,
    /** ext4_mballoc_alloc cr. */
    CRITERION,
    /** ext4_mballoc_alloc result extent (found extent). */
    RESULT,
    /** ext4_allocate_blocks block. */
    BLOCK,
    /** ext4_allocate_blocks len. */
    LEN
}
