package io.mbscope.replay.atomic;

/** statx.txt's observation of one file against the mainline prediction (and the RFC 7/7 rule). */
public record StatxCheck(StatxRecord record, StatxPrediction observed, StatxPrediction mainline,
                         StatxPrediction rfc) {

    public boolean matches() {
        return observed.equals(mainline);
    }
}
