package io.mbscope.bench;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.EventTyper;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FieldFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-event stages in isolation, on the first {@value #N} real events of the 1M capture (its
 * real event mix): PayloadDecoder (binary payload to RawEvent by the format file's offsets) and
 * EventTyper (RawEvent to typed record by field names). Scores are events/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class FieldBench {
    static final int N = 65536;

    private RawEvent[] raws;
    private ByteBuffer payloads;
    private int[] starts;
    private int[] lengths;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        List<RawEvent> list = new ArrayList<>(N);
        try (TraceReader r = Traces.open(Inputs.trace("tracedat-v6"))) {
            TraceEvent e;
            while (list.size() < N && (e = r.next()) != null) {
                list.add(e.raw());
            }
        }
        if (list.size() < N) {
            throw new IllegalStateException("capture too short: " + list.size());
        }
        raws = list.toArray(new RawEvent[0]);
        // Re-encode each event's payload at its declared offsets: the decoder sees exactly the bytes
        // the kernel wrote for integer fields (ext4 allocator events have no strings).
        starts = new int[N];
        lengths = new int[N];
        int total = 0;
        for (RawEvent r : raws) {
            total += recordLength(r);
        }
        payloads = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        for (int i = 0; i < N; i++) {
            RawEvent r = raws[i];
            starts[i] = at;
            lengths[i] = recordLength(r);
            List<FieldFormat> fs = r.format().fields();
            for (int k = 0; k < fs.size(); k++) {
                FieldFormat f = fs.get(k);
                if (r.get(k) instanceof Long v) {
                    put(payloads, at + f.offset(), f.size(), v);
                }
            }
            at += lengths[i];
        }
    }

    private static int recordLength(RawEvent r) {
        int len = 0;
        for (FieldFormat f : r.format().fields()) {
            len = Math.max(len, f.offset() + f.size());
        }
        return (len + 3) & ~3;
    }

    private static void put(ByteBuffer b, int at, int size, long v) {
        switch (size) {
            case 1 -> b.put(at, (byte) v);
            case 2 -> b.putShort(at, (short) v);
            case 4 -> b.putInt(at, (int) v);
            case 8 -> b.putLong(at, v);
            default -> { }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void payloadDecoder(Blackhole bh) throws TraceFormatException {
        for (int i = 0; i < N; i++) {
            RawEvent r = raws[i];
            bh.consume(io.mbscope.parsers.format.PayloadDecoder.decode(r.format(), r.header(), payloads, starts[i],
                    lengths[i], "bench", starts[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void eventTyper(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(EventTyper.type(raws[i]));
        }
    }

    /** Field access by name as consumers do it (RawEvent.getLong over every field of the event). */
    @Benchmark
    @OperationsPerInvocation(N)
    public long fieldAccessByName() {
        long s = 0;
        for (int i = 0; i < N; i++) {
            RawEvent r = raws[i];
            for (FieldFormat f : r.format().fields()) {
                s += r.getLong(f.name(), 0);
            }
        }
        return s;
    }
}
