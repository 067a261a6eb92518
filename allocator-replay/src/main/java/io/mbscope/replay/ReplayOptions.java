package io.mbscope.replay;

/**
 * Assumptions for what the trace does not show.
 *
 * @param commitDelayNs   freed clusters (ext4_mb_free_metadata) become allocatable this long after the
 *                        free when the trace has no jbd2 commit events; the kernel's default commit
 *                        interval is 5 s, fsync/sync commit earlier. Negative = never within the trace.
 * @param keepVerdicts    keep every verdict in the {@link ReplayResult} (otherwise only stream them)
 * @param keepLayout      track the per-inode logical→physical layout
 */
public record ReplayOptions(long commitDelayNs, boolean keepVerdicts, boolean keepLayout) {

    public static ReplayOptions defaults() {
        return new ReplayOptions(5_000_000_000L, true, true);
    }

    public ReplayOptions withCommitDelayNs(long ns) {
        return new ReplayOptions(ns, keepVerdicts, keepLayout);
    }

    public ReplayOptions withKeepVerdicts(boolean keep) {
        return new ReplayOptions(commitDelayNs, keep, keepLayout);
    }
}
