package io.mbscope.replay.atomic;

import java.util.Objects;

/** The result a rule set gives an atomic write, and why. */
public record Verdict(Errno errno, Reason reason) {

    public Verdict {
        Objects.requireNonNull(errno, "errno");
        Objects.requireNonNull(reason, "reason");
    }

    public static Verdict ok() {
        return new Verdict(Errno.SUCCESS, Reason.OK);
    }

    public static Verdict of(Errno errno, Reason reason) {
        return new Verdict(errno, reason);
    }

    public boolean success() {
        return errno == Errno.SUCCESS;
    }

    @Override
    public String toString() {
        return errno.label() + (reason == Reason.OK ? "" : "(" + reason.name() + ")");
    }
}
