package io.mbscope.bench;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Full typed decode of a whole capture through {@link Traces#open}: container framing (ring-buffer
 * page walk / perf records / text lines), zstd where the format has it, PayloadDecoder and
 * EventTyper. One operation = one pass over the file; the "events" counter is events/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DecodeBench {
    @Param({"tracedat-v7", "tracedat-v6", "perf", "perf-compressed", "text"})
    public String input;

    private Path file;

    @Setup(Level.Trial)
    public void setup() {
        file = Inputs.trace(input);
    }

    @Benchmark
    public long decode(Events counter, Blackhole bh) throws IOException {
        long n = 0;
        try (TraceReader r = Traces.open(file)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                bh.consume(e);
                n++;
            }
        }
        counter.events += n;
        return n;
    }
}
