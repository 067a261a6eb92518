package io.mbscope.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One capture, three tracers, six files: they must decode to the same events. trace.dat (v7),
 * trace-v6.dat and trace-cmd's report.txt come from one ring buffer, as do perf.data and
 * perf-script.txt, so those agree event for event including the timestamp (to the microsecond
 * the text prints). The raw ftrace instance, trace-cmd and perf each time-stamp the same
 * tracepoint hit separately, so across tracers the per-CPU sequence of each event type's field
 * values must agree, and the counts per type must equal the catalogue (trace-cmd report's counts).
 */
class CrossFormatTest {

    static Stream<SampleTraces.Capture> captures() {
        return SampleTraces.captures().stream();
    }

    /** An event reduced to what every format carries. */
    record Ev(String name, long ns, int cpu, Map<String, Object> fields) {
    }

    static List<Ev> read(Path p) throws IOException {
        List<Ev> out = new ArrayList<>();
        try (TraceReader r = Traces.open(p)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                Map<String, Object> f = e.raw() == null ? Map.of() : e.raw().payload();
                out.add(new Ev(e.name(), e.timestampNs(), e.cpu(), f));
            }
            assertThat(r.stats().skippedTotal()).as("skipped in %s: %s", p, r.stats().skipped()).isZero();
            assertThat(r.stats().lostEvents()).as("lost in %s", p).isZero();
        }
        return out;
    }

    static Map<String, Long> counts(List<Ev> evs) {
        Map<String, Long> c = new TreeMap<>();
        for (Ev e : evs) {
            c.merge(e.name(), 1L, Long::sum);
        }
        return c;
    }

    /** Same events in the same order with the same timestamps; fields compared where both formats have them. */
    static void assertSameStream(List<Ev> a, List<Ev> b, String what) {
        assertThat(b).as(what + ": event count").hasSize(a.size());
        for (int i = 0; i < a.size(); i++) {
            Ev x = a.get(i);
            Ev y = b.get(i);
            assertThat(y.name()).as("%s: event %d name", what, i).isEqualTo(x.name());
            // Text prints microseconds (trace-cmd rounds, perf truncates): equal to within the printed precision.
            assertThat(Math.abs(y.ns() - x.ns())).as("%s: event %d (%s) timestamp %d vs %d ns", what, i, x.name(),
                    x.ns(), y.ns()).isLessThan(1000L);
            assertThat(y.cpu()).as("%s: event %d cpu", what, i).isEqualTo(x.cpu());
            assertSameFields(x, y, what + ": event " + i);
        }
    }

    static void assertSameFields(Ev x, Ev y, String what) {
        for (var f : x.fields().entrySet()) {
            Object other = y.fields().get(f.getKey());
            if (f.getValue() == null || other == null || f.getValue() instanceof long[]) {
                continue; // a text format may not print every field (e.g. pointers, arrays)
            }
            Object mine = f.getValue();
            if (mine instanceof String str && other instanceof String) {
                mine = str.stripTrailing(); // text cannot show the newline that ends a marker's buffer
                other = ((String) other).stripTrailing();
            }
            assertThat(other).as("%s (%s) field %s", what, x.name(), f.getKey()).isEqualTo(mine);
        }
    }

    /** Per (cpu, event type) sequences of field values; timestamps differ between tracers. */
    static Map<String, List<Ev>> byCpuAndType(List<Ev> evs) {
        Map<String, List<Ev>> m = new HashMap<>();
        for (Ev e : evs) {
            m.computeIfAbsent(e.cpu() + "/" + e.name(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void traceCmdFilesAgree(SampleTraces.Capture c) throws IOException {
        List<Ev> v7 = read(c.dir().resolve("trace.dat"));
        assertThat(counts(v7)).as("trace.dat counts vs catalogue").isEqualTo(c.counts());
        List<Ev> report = read(c.dir().resolve("report.txt.zst"));
        assertSameStream(v7, report, "trace.dat vs report.txt");
        Path v6 = c.dir().resolve("trace-v6.dat.zst");
        if (Files.exists(v6)) {
            assertSameStream(v7, read(v6), "trace.dat vs trace-v6.dat");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void perfFilesAgree(SampleTraces.Capture c) throws IOException {
        List<Ev> perf = read(c.dir().resolve("perf.data.zst"));
        assertThat(counts(perf)).as("perf.data counts vs catalogue (markers are ftrace-only)")
                .isEqualTo(withoutMarkers(c.counts()));
        assertSameStream(perf, read(c.dir().resolve("perf-script.txt.zst")), "perf.data vs perf-script.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void threeTracersSeeTheSameHits(SampleTraces.Capture c) throws IOException {
        Map<String, List<Ev>> tc = byCpuAndType(read(c.dir().resolve("trace.dat")));
        Map<String, List<Ev>> ftrace = byCpuAndType(read(c.dir().resolve("trace.txt.zst")));
        Map<String, List<Ev>> perf = byCpuAndType(read(c.dir().resolve("perf.data.zst")));
        for (var e : tc.entrySet()) {
            String key = e.getKey();
            if (key.endsWith("/print")) {
                continue; // tracing_mark_write markers go to ftrace instances only, not to perf
            }
            for (var other : List.of(Map.entry("trace.txt", ftrace), Map.entry("perf.data", perf))) {
                List<Ev> o = other.getValue().getOrDefault(key, List.of());
                assertThat(o).as("%s %s count", other.getKey(), key).hasSize(e.getValue().size());
                for (int i = 0; i < o.size(); i++) {
                    assertSameFields(e.getValue().get(i), o.get(i), other.getKey() + " " + key + " #" + i);
                }
            }
        }
    }

    static Map<String, Long> withoutMarkers(Map<String, Long> counts) {
        Map<String, Long> m = new TreeMap<>(counts);
        m.remove("print");
        return m;
    }

    @SuppressWarnings("unused")
    private static boolean eq(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
