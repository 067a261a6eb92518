package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Decode throughput, single thread: {@code java -cp <test+main classpath> io.mbscope.parsers.tracedat.TraceDatBench
 * FILE [passes]}. Not a test: run by hand (see the tracedat report for numbers). Prints events/s of
 * the first pass (JIT cold) and of the following ones.
 */
public final class TraceDatBench {
    private TraceDatBench() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String mode = args.length > 2 ? args[2] : "events";
        if (mode.equals("walk")) {
            walk(file, passes);
            return;
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            long n = 0;
            long sum = 0;
            try (TraceReader r = TraceDatReader.open(file, file.toString())) {
                TraceEvent e;
                while ((e = r.next()) != null) {
                    n++;
                    sum += e.timestampNs();
                }
                long dt = System.nanoTime() - t0;
                long dc = mx.getCurrentThreadCpuTime() - c0;
                // Thread CPU time as well as wall time: on a shared machine the wall clock includes waiting.
                System.out.printf("pass %d: %,d events in %.3f s wall (%,.0f events/s), %.3f s CPU (%,.0f events/s)"
                                + " skipped %d, lost %d, check %d%n",
                        i + 1, n, dt / 1e9, n / (dt / 1e9), dc / 1e9, n / (dc / 1e9), r.stats().skippedTotal(),
                        r.stats().lostEvents(), sum % 1000);
            }
        }
    }

    /** Page walk and merge only (no payload decode): the reader's own share of the cost. */
    private static void walk(Path file, int passes) throws IOException {
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            long n = 0;
            try (io.mbscope.parsers.tracedat.FileInput in = FileInput.open(file, file.toString())) {
                CommonHeader h = CommonHeader.read(in);
                TraceDatHeader hdr = h.version().equals("6")
                        ? io.mbscope.parsers.tracedat.v6.V6HeaderReader.read(in, h)
                        : io.mbscope.parsers.tracedat.v7.V7HeaderReader.read(in, h);
                io.mbscope.parsers.ReadStats st = new io.mbscope.parsers.ReadStats();
                for (TraceDatHeader.BufferSpec b : hdr.buffers) {
                    for (TraceDatHeader.CpuData c : b.cpus()) {
                        if (c.size() == 0) {
                            continue;
                        }
                        PageSource src = b.compressed()
                                ? new ChunkedPageSource(in, hdr.codec, "x", c.offset(), c.limit(), b.pageSize())
                                : new RawPageSource(in, "x", c.offset(), c.size(), b.pageSize(), 256 << 10);
                        CpuCursor cur = new CpuCursor(c.cpu(), 0, "x", src, hdr.layout, b.pageSize(), st,
                                hdr.order == java.nio.ByteOrder.BIG_ENDIAN);
                        while (cur.advance()) {
                            n++;
                        }
                    }
                }
            }
            long dt = System.nanoTime() - t0;
            System.out.printf("walk pass %d: %,d records in %.3f s = %,.0f records/s%n", i + 1, n, dt / 1e9,
                    n / (dt / 1e9));
        }
    }
}
