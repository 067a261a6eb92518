package io.mbscope.replay.atomic;

/**
 * What statx(STATX_WRITE_ATOMIC) reports for a regular file: whether the mask comes back with
 * STATX_WRITE_ATOMIC, the atomic write units and segments, and STATX_ATTR_WRITE_ATOMIC.
 */
public record StatxPrediction(boolean inMask, long unitMin, long unitMax, long segmentsMax, boolean attrWriteAtomic) {

    public static final StatxPrediction NOT_REPORTED = new StatxPrediction(false, 0, 0, 0, false);
}
