package io.mbscope.parsers.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads every sample trace.dat (v7, zstd) and trace-v6.dat and checks it against trace-cmd's own report. */
class TraceDatReaderTest {

    static java.util.stream.Stream<String> folders() throws IOException {
        return SampleTraces.folders();
    }

    static java.util.stream.Stream<String> v6Folders() throws IOException {
        return SampleTraces.v6Folders();
    }

    static RawEvent raw(TraceEvent e) {
        assertThat(e.raw()).as("raw event of " + e.name()).isNotNull();
        assertThat(e.raw().header()).isSameAs(e.header());
        return e.raw();
    }

    private static final java.util.Map<String, List<RawEvent>> V7 = new java.util.concurrent.ConcurrentHashMap<>();

    /** All events of a folder's trace.dat (read once per test class: several tests compare against it). */
    static List<RawEvent> v7(String folder) throws IOException {
        List<RawEvent> l = V7.get(folder);
        if (l == null) {
            l = List.copyOf(readAll(SampleTraces.root().resolve(folder).resolve("trace.dat")));
            V7.put(folder, l);
        }
        return l;
    }

    static List<RawEvent> readAll(Path file) throws IOException {
        List<RawEvent> out = new ArrayList<>();
        try (TraceReader r = TraceDatReader.open(file, file.getFileName().toString())) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                out.add(raw(e));
            }
            assertThat(r.stats().skipped()).as("skipped records").isEmpty();
            assertThat(r.stats().lostEvents()).isZero();
            assertThat(r.stats().events()).isEqualTo(out.size());
        }
        return out;
    }

    /** ns rounded to the microseconds trace-cmd prints (libtraceevent adds div/2 before dividing). */
    static long micros(long ns) {
        return (ns + 500) / 1000;
    }

    static void assertMatchesReport(String folder, List<RawEvent> events) throws IOException {
        List<SampleTraces.Line> report = SampleTraces.report(folder);
        TreeMap<String, Long> counts = new TreeMap<>();
        for (RawEvent e : events) {
            counts.merge(e.name(), 1L, Long::sum);
        }
        assertThat(counts).as("events per name in " + folder).isEqualTo(SampleTraces.countByName(report));
        assertThat(events).hasSameSizeAs(report);
        // Plain comparisons first (AssertJ per field is slow on 13k events); describe the first mismatch.
        for (int i = 0; i < events.size(); i++) {
            RawEvent e = events.get(i);
            SampleTraces.Line l = report.get(i);
            Key got = new Key(e.name(), micros(e.header().timestampNs()), e.header().cpu(), e.header().pid(),
                    e.header().comm());
            Key want = new Key(l.name(), l.micros(), l.cpu(), l.pid(), l.comm());
            if (!got.equals(want)) {
                assertThat(got).as(folder + " event " + i + ": " + l).isEqualTo(want);
            }
        }
    }

    record Key(String name, long micros, int cpu, int pid, String comm) {
    }

    @ParameterizedTest
    @MethodSource("folders")
    void v7MatchesTraceCmdReport(String folder) throws IOException {
        assertMatchesReport(folder, v7(folder));
    }

    @ParameterizedTest
    @MethodSource("v6Folders")
    void v6EqualsV7AndReport(String folder, @TempDir Path tmp) throws IOException {
        Path v6 = SampleTraces.unzstd(folder, "trace-v6.dat.zst", tmp);
        List<RawEvent> a = readAll(v6);
        List<RawEvent> b = v7(folder);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            RawEvent x = a.get(i);
            RawEvent y = b.get(i);
            if (!x.header().equals(y.header()) || !x.name().equals(y.name())) {
                assertThat(x.header()).as(folder + " event " + i + " " + x.name()).isEqualTo(y.header());
                assertThat(x.name()).isEqualTo(y.name());
            }
            for (int f = 0; f < x.format().fields().size(); f++) {
                Object vx = x.get(f);
                Object vy = y.get(f);
                boolean same = vx instanceof long[] ax && vy instanceof long[] ay
                        ? java.util.Arrays.equals(ax, ay) : java.util.Objects.equals(vx, vy);
                if (!same) {
                    assertThat(vx).as(folder + " event " + i + " " + x.name() + " field "
                            + x.format().fields().get(f).name()).isEqualTo(vy);
                }
            }
        }
        // v7 equals report.txt (v7MatchesTraceCmdReport), so v6 does too; checked once more by count.
        assertThat(a).hasSize(SampleTraces.report(folder).size());
    }

    @Test
    void infoComesFromTheFile() throws IOException {
        Path dat = SampleTraces.root().resolve("7.3.4-4k").resolve("trace.dat");
        try (TraceReader r = TraceDatReader.open(dat, "7.3.4-4k/trace.dat")) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.TRACE_DAT_V7);
            assertThat(r.info().source()).isEqualTo("7.3.4-4k/trace.dat");
            assertThat(r.info().kernelRelease()).isEqualTo("7.3.4+deb13-amd64");
            assertThat(r.info().clock()).isEqualTo("mono");
            assertThat(r.info().cpus()).isEqualTo(2);
            assertThat(r.info().buffers()).containsExactly("ext4lab-tc-148");
            assertThat(r.formats().byName("ext4:ext4_mballoc_alloc")).isNotNull();
            assertThat(r.formats().byName("ftrace:print")).isNotNull();
        }
    }

    @Test
    void fieldValuesMatchReportText() throws IOException {
        // report.txt: "ext4_mballoc_alloc: dev 8,0 inode 12 orig 0/0/1@0 goal 0/0/1@0 result 0/4139/1@0
        //              blks 1 grps 1 cr CR_GOAL_LEN_FAST flags  tail 0 broken 0" at 15.008784 on CPU 1
        List<RawEvent> events = v7("7.3.4-4k");
        RawEvent a = events.stream().filter(e -> e.name().equals("ext4_mballoc_alloc")).findFirst().orElseThrow();
        assertThat(micros(a.header().timestampNs())).isEqualTo(15_008_784L);
        assertThat(a.header().cpu()).isEqualTo(1);
        assertThat(a.header().comm()).isEqualTo("ext4wl");
        assertThat(a.header().pid()).isEqualTo(1048);
        assertThat(a.getLong("dev")).isEqualTo((8L << 20) | 0);
        assertThat(a.getLong("ino")).isEqualTo(12);
        assertThat(List.of(a.getLong("orig_group"), a.getLong("orig_start"), a.getLong("orig_len"),
                a.getLong("orig_logical"))).containsExactly(0L, 0L, 1L, 0L);
        assertThat(List.of(a.getLong("goal_group"), a.getLong("goal_start"), a.getLong("goal_len"),
                a.getLong("goal_logical"))).containsExactly(0L, 0L, 1L, 0L);
        assertThat(List.of(a.getLong("result_group"), a.getLong("result_start"), a.getLong("result_len"),
                a.getLong("result_logical"))).containsExactly(0L, 4139L, 1L, 0L);
        assertThat(a.getLong("found")).isEqualTo(1);
        assertThat(a.getLong("groups")).isEqualTo(1);
        assertThat(a.getLong("tail")).isZero();

        // "print: tracing_mark_write: ext4wl phase=dio" at 15.043610 on CPU 1.
        RawEvent mark = events.stream().filter(e -> e.name().equals("print")).findFirst().orElseThrow();
        assertThat(micros(mark.header().timestampNs())).isEqualTo(15_043_610L);
        assertThat(mark.header().cpu()).isEqualTo(1);
    }

    @Test
    void eventsComeOutTyped() throws IOException {
        // Same event as above, through EventTyper: report.txt "result 0/4139/1@0 blks 1 grps 1 ... tail 0".
        Path dat = SampleTraces.root().resolve("7.3.4-4k").resolve("trace.dat");
        try (TraceReader r = TraceDatReader.open(dat, "trace.dat")) {
            TraceEvent e;
            while ((e = r.next()) != null && !(e instanceof TraceEvent.MballocAlloc)) {
                // skip to the first allocation
            }
            assertThat(e).isInstanceOf(TraceEvent.MballocAlloc.class);
            TraceEvent.MballocAlloc a = (TraceEvent.MballocAlloc) e;
            assertThat(a.ino()).isEqualTo(12);
            assertThat(a.orig()).isEqualTo(new TraceEvent.MbExtent(0, 0, 1, 0));
            assertThat(a.result()).isEqualTo(new TraceEvent.MbExtent(0, 4139, 1, 0));
            assertThat(micros(a.timestampNs())).isEqualTo(15_008_784L);
        }
    }

    @Test
    void markerTextIsDecoded() throws IOException {
        List<RawEvent> events = readAll(SampleTraces.root().resolve("7.3.4-4k").resolve("trace.dat"));
        RawEvent mark = events.stream().filter(e -> e.name().equals("print")).findFirst().orElseThrow();
        assertThat(mark.getString("buf")).startsWith("ext4wl phase=dio");
    }

    @Test
    void everyReportPayloadMentionsTheDecodedInode() throws IOException {
        // An independent cross-check of payload decoding on all events that print "ino N" in decimal.
        String folder = "6.18.44-4k";
        List<RawEvent> events = v7(folder);
        List<SampleTraces.Line> report = SampleTraces.report(folder);
        java.util.regex.Pattern ino = java.util.regex.Pattern.compile("\\b(?:ino|inode) (\\d+)\\b");
        int checked = 0;
        for (int i = 0; i < events.size(); i++) {
            java.util.regex.Matcher m = ino.matcher(report.get(i).payload());
            RawEvent e = events.get(i);
            if (m.find() && e.format().indexOf("ino") >= 0) {
                assertThat(e.getLong("ino")).as(report.get(i).toString()).isEqualTo(Long.parseLong(m.group(1)));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }
}
