package io.mbscope.tracecompass.analysis;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayListener;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * allocator-replay's model fed with a trace's events exactly as {@code mbscope replay} feeds it:
 * engine, initial state and tunables from the capture folder next to the trace, the workload's
 * syscall hints (fsync commit points, closes) from its syscalls.csv applied up to each event's
 * time. Verdicts are streamed to the listener, not kept.
 */
public final class ReplayFeed {
    private final ReplayEngine engine;
    private final SyscallHints hints;
    private final String problem;

    private ReplayFeed(ReplayEngine engine, SyscallHints hints, String problem) {
        this.engine = engine;
        this.hints = hints;
        this.problem = problem;
    }

    /** The replay of the capture {@code traceFile} lies in; never throws: {@link #problem()} says why not. */
    public static ReplayFeed open(String traceFile, ReplayListener listener) {
        try {
            Path dir = Paths.get(traceFile).toAbsolutePath().getParent();
            CaptureFolder folder = CaptureFolder.open(dir);
            ReplayEngine engine = Replays.engine(folder, ReplayOptions.defaults().withKeepVerdicts(false));
            SyscallHints hints = folder.syscalls().isPresent() ? SyscallHints.load(folder.syscalls().get())
                    : SyscallHints.none();
            engine.addListener(listener);
            return new ReplayFeed(engine, hints, "");
        } catch (IOException | RuntimeException x) {
            return new ReplayFeed(null, SyscallHints.none(), "no replay: " + x.getMessage());
        }
    }

    /** "" when the model runs, else why it does not (no capture folder, unreadable image...). */
    public String problem() {
        return problem;
    }

    public boolean running() {
        return engine != null;
    }

    public void accept(TraceEvent e) {
        if (engine != null) {
            hints.applyUpTo(e.timestampNs(), engine);
            engine.accept(e);
        }
    }
}
