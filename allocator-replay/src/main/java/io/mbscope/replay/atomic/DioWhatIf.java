package io.mbscope.replay.atomic;

/**
 * A plain (non-RWF_ATOMIC) direct write asked as if it had been atomic (the what-if's all-DIO mode).
 *
 * @param real the write's real result (null if its exit is missing)
 * @param rfc  what the RFC would have done with it
 */
public record DioWhatIf(long timeNs, long ino, long offset, long length, Errno real, RfcOutcome rfc) {
}
