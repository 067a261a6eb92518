package io.mbscope.bench;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.ReplayResult;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The mballoc model alone: every event of the 1M capture, decoded once in setup, fed to a fresh
 * {@link ReplayEngine} built from the capture folder (image, meta.txt, syscalls.csv hints) the way
 * {@code mbscope replay} does. "requests" = allocation requests replayed per second; "events" =
 * trace events fed per second. Engine construction (image load) is outside the measured region.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class ReplayBench {
    private CaptureFolder folder;
    private TraceEvent[] events;
    private ReplayEngine engine;
    private SyscallHints hints;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long requests;
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            events = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() throws IOException {
        folder = CaptureFolder.open(Inputs.benchDir());
        List<TraceEvent> list = new ArrayList<>(1 << 20);
        try (TraceReader r = Traces.open(folder.trace().orElseThrow())) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                list.add(e);
            }
        }
        events = list.toArray(new TraceEvent[0]);
    }

    @Setup(Level.Invocation)
    public void freshEngine() throws IOException {
        engine = Replays.engine(folder, ReplayOptions.defaults().withCommitDelayNs(5_000_000_000L));
        hints = folder.syscalls().isPresent() ? SyscallHints.load(folder.syscalls().get()) : SyscallHints.none();
    }

    @Benchmark
    public ReplayResult replay(Counts c) {
        for (TraceEvent e : events) {
            hints.applyUpTo(e.timestampNs(), engine);
            engine.accept(e);
        }
        ReplayResult res = engine.finish();
        c.requests += res.allocations();
        c.events += events.length;
        return res;
    }
}
