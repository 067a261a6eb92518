package io.mbscope.parsers.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.format.FormatDirectory;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events per second on the largest corpus text file, decompressed in memory first so that only
 * the reader is timed. Prints the numbers; the assertion is a loose floor that catches a
 * pathological slowdown, not a benchmark.
 */
@Tag("perf")
class TextThroughputTest {

    @Test
    void largestCorpusFile() throws Exception {
        for (String file : new String[] {"6.18.44-bigalloc16k/perf-script.txt.zst", "7.3.4-bigalloc64k/trace.txt.zst",
                "7.3.4-bigalloc64k/report.txt.zst"}) {
            Path p = TextCorpusTest.root().resolve(file);
            byte[] text;
            try (var in = new io.airlift.compress.zstd.ZstdInputStream(java.nio.file.Files.newInputStream(p))) {
                text = in.readAllBytes();
            }
            FormatRegistry own = FormatDirectory.load(p.getParent().resolve("formats"));
            for (boolean builtin : new boolean[] {false, true}) {
                double best = 0;
                double bestCpu = 0;
                long events = 0;
                var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                for (int round = 0; round < 8; round++) {
                    long t0 = System.nanoTime();
                    long c0 = mx.getCurrentThreadCpuTime();
                    try (TextTraceReader r = TextTraceReader.open(new BufferedReader(new InputStreamReader(
                            new ByteArrayInputStream(text), StandardCharsets.UTF_8), 1 << 16), file,
                            builtin ? null : own)) {
                        events = 0;
                        while (r.next() != null) {
                            events++;
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                    best = Math.max(best, events / s);
                    bestCpu = Math.max(bestCpu, events / cpu);
                }
                // wall time suffers from other processes on a shared machine; thread CPU time is the reader's own cost
                System.out.printf("throughput %s (%s formats): %d events, wall %.0f events/s, cpu %.0f events/s "
                                + "(%.1f MB/s)%n", file, builtin ? "bundled" : "own", events, best, bestCpu,
                        bestCpu * text.length / events / 1e6);
                assertThat(best).isGreaterThan(20_000);
            }
        }
    }
}
