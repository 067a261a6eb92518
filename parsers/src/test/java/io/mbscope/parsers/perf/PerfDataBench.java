package io.mbscope.parsers.perf;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decode throughput, single thread: {@code java -cp <test+main classpath>
 * io.mbscope.parsers.perf.PerfDataBench FILE [passes] [file|pipe]}. Not a test: run by hand. Prints
 * events/s of the first pass (JIT cold) and of the following ones, and the heap in use after each.
 */
public final class PerfDataBench {
    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private PerfDataBench() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean pipe = args.length > 2 && args[2].equals("pipe");
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            long n = 0;
            long sum = 0;
            long last = Long.MIN_VALUE;
            long disorder = 0;
            try (TraceReader r = pipe
                    ? PerfDataReader.openPipe(new BufferedInputStream(Files.newInputStream(file), 1 << 16), "-")
                    : PerfDataReader.open(file, file.toString())) {
                TraceEvent e;
                while ((e = r.next()) != null) {
                    n++;
                    sum += e.timestampNs();
                    if (e.timestampNs() < last) {
                        disorder++;
                    }
                    last = e.timestampNs();
                }
                long dt = System.nanoTime() - t0;
                long ct = CPU.getCurrentThreadCpuTime() - c0;
                Runtime rt = Runtime.getRuntime();
                // CPU time of the reading thread: on a shared machine wall time mostly measures the others
                System.out.printf("pass %d: %,d events in %.3f s wall = %,.0f events/s; %.3f s thread CPU = %,.0f"
                                + " events/s (skipped %d, lost %d, out of order %d, check %d, heap used %d MiB)%n", i + 1, n, dt / 1e9,
                        n / (dt / 1e9), ct / 1e9, n / (ct / 1e9),
                        r.stats().skippedTotal(), r.stats().lostEvents(), disorder, sum % 1000,
                        (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
    }
}
