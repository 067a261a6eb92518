package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.tracedat.TraceDatReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * perf record and trace-cmd record traced the same run at the same time (traces/README.md), each
 * with its own ring buffer: per CPU and event type they hold the same hits with the same field
 * values, and the same CLOCK_MONOTONIC time give or take the few microseconds between the two
 * tracers' probes.
 */
class PerfVsTraceDatTest {
    @TempDir
    static Path tmp;

    static Stream<Path> folders() throws IOException {
        return PerfDataReaderCorpusTest.folders();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void sameHitsAsTraceCmd(Path folder) throws IOException {
        Map<String, List<TraceEvent>> perf;
        try (TraceReader r = PerfDataReader.open(PerfScriptText.unzstd(folder.resolve("perf.data.zst"), tmp), "p")) {
            perf = byCpuAndName(PerfScriptText.readAll(r));
        }
        Map<String, List<TraceEvent>> tc;
        try (TraceReader r = TraceDatReader.open(folder.resolve("trace.dat"), "t")) {
            tc = byCpuAndName(PerfScriptText.readAll(r));
        }
        tc.keySet().removeIf(k -> k.endsWith("/print")); // trace_marker writes reach ftrace instances only
        assertThat(perf.keySet()).isEqualTo(tc.keySet());
        long compared = 0;
        long outliers = 0;
        boolean tcg = Files.readString(folder.resolve("meta.txt")).contains("qemu_accel=tcg");
        for (var e : tc.entrySet()) {
            List<TraceEvent> p = perf.get(e.getKey());
            List<TraceEvent> t = e.getValue();
            assertThat(p).as(e.getKey()).hasSameSizeAs(t);
            for (int i = 0; i < t.size(); i++) {
                TraceEvent a = p.get(i);
                TraceEvent b = t.get(i);
                Map<String, Object> pa = comparable(a);
                Map<String, Object> pb = comparable(b);
                if (!pa.equals(pb)) {
                    assertThat(pa).as(e.getKey() + " #" + i).isEqualTo(pb);
                }
                // under QEMU/TCG (6.1, 6.12, 7.3 folders) the two tracers' probes run milliseconds apart;
                // on a loaded host a vCPU descheduled between the two probes puts up to ~75 ms between
                // them (6.1.192-4k: trace-cmd report and perf script themselves print 71 ms for one
                // ext4_allocate_blocks, median 5 us): a few such outliers are allowed under TCG only
                long gap = Math.abs(a.timestampNs() - b.timestampNs());
                if (gap >= 20_000_000) {
                    assertThat(tcg).as(e.getKey() + " #" + i + ": " + gap + " ns apart on a host capture").isTrue();
                    assertThat(gap).as(e.getKey() + " #" + i).isLessThan(200_000_000);
                    outliers++;
                }
                assertThat(a.raw().getLong("common_pid")).isEqualTo(b.raw().getLong("common_pid"));
                assertThat(a.header().pid()).isEqualTo((int) b.raw().getLong("common_pid"));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(outliers).as("events over 20 ms apart").isLessThanOrEqualTo(compared / 100);
    }

    /** Payload with arrays as lists, so that equals compares their contents. */
    private static Map<String, Object> comparable(TraceEvent e) {
        Map<String, Object> m = new TreeMap<>();
        e.raw().payload().forEach((k, v) -> m.put(k, v instanceof long[] a ? Arrays.stream(a).boxed().toList() : v));
        return m;
    }

    private static Map<String, List<TraceEvent>> byCpuAndName(List<TraceEvent> events) {
        Map<String, List<TraceEvent>> m = new TreeMap<>();
        for (TraceEvent e : events) {
            m.computeIfAbsent(e.cpu() + "/" + e.name(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }
}
