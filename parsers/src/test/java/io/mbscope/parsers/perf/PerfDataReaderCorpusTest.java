package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample-traces folder's perf.data against the perf-script.txt perf printed from it. */
class PerfDataReaderCorpusTest {

    @TempDir
    static Path tmp;

    static Stream<Path> folders() throws IOException {
        try (Stream<Path> s = Files.list(PerfScriptText.sampleTraces())) {
            List<Path> l = s.filter(d -> Files.exists(d.resolve("perf.data.zst"))).sorted().toList();
            assertThat(l).hasSizeGreaterThanOrEqualTo(9);
            return l.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void decodesLikePerfScript(Path folder) throws IOException {
        Path data = PerfScriptText.unzstd(folder.resolve("perf.data.zst"), tmp);
        List<PerfScriptText.Line> lines = PerfScriptText.read(folder.resolve("perf-script.txt.zst"));
        List<TraceEvent> events;
        try (TraceReader r = PerfDataReader.open(data, folder.getFileName() + "/perf.data")) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.PERF_DATA);
            assertThat(r.info().clock()).isEqualTo("mono"); // perf record -k mono (perf-cmdline.txt)
            String uname = Files.readAllLines(folder.resolve("meta.txt")).stream()
                    .filter(s -> s.startsWith("uname_r=")).findFirst().orElseThrow().substring(8);
            assertThat(r.info().kernelRelease()).isEqualTo(uname);
            assertThat(r.info().cpus()).isPositive();
            assertThat(r.formats().byName("ext4:ext4_mballoc_alloc")).isNotNull();
            events = PerfScriptText.readAll(r);
            assertThat(r.stats().events()).isEqualTo(events.size());
            assertThat(r.stats().lostEvents()).isZero(); // trace-stats.txt: no overrun
            assertThat(r.stats().skipped()).isEmpty();
        }
        Map<String, Long> byName = events.stream().collect(
                Collectors.groupingBy(TraceEvent::name, TreeMap::new, Collectors.counting()));
        Map<String, Long> expected = lines.stream().collect(
                Collectors.groupingBy(PerfScriptText.Line::event, TreeMap::new, Collectors.counting()));
        assertThat(byName).isEqualTo(expected);
        long compared = PerfScriptText.assertSameAsScript(events, lines);
        // numbers printed as "name value" that are fields of the format: thousands per folder
        assertThat(compared).isGreaterThan(20L * lines.size() / 10);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).timestampNs()).isGreaterThanOrEqualTo(events.get(i - 1).timestampNs());
        }
    }

    /**
     * The pending store with 4 KiB chunks (about 25 samples each) recycles chunks thousands of times
     * per file; the output must still be perf script's, event for event.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void tinyPendingChunksGiveTheSameEvents(Path folder) throws IOException {
        Path data = PerfScriptText.unzstd(folder.resolve("perf.data.zst"), tmp);
        try (TraceReader r = PerfDataReader.open(data, "perf.data")) {
            ((PerfDataReader) r).pendingChunkBits(12);
            PerfScriptText.assertSameAsScript(PerfScriptText.readAll(r),
                    PerfScriptText.read(folder.resolve("perf-script.txt.zst")));
        }
    }

    /** Specific values read off perf-script.txt of 6.18.44-4k by hand. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFolder")
    void firstMballocAllocOf61844(Path folder) throws IOException {
        Path data = PerfScriptText.unzstd(folder.resolve("perf.data.zst"), tmp);
        try (TraceReader r = PerfDataReader.open(data, "perf.data")) {
            List<TraceEvent> events = PerfScriptText.readAll(r);
            // ext4wl 29776 [000] 10280.771765: ext4:ext4_mballoc_alloc: dev 7,0 inode 12 orig 0/0/1@0
            //   goal 0/0/1@0 result 0/6169/1@0 blks 1 grps 1 cr CR_GOAL_LEN_FAST flags  tail 0 broken 0
            TraceEvent a = events.stream().filter(e -> e.name().equals("ext4_mballoc_alloc")).findFirst().orElseThrow();
            assertThat(a.timestampNs() / 1000).isEqualTo(10280_771765L);
            assertThat(a.header().comm()).isEqualTo("ext4wl");
            assertThat(a.header().pid()).isEqualTo(29776);
            assertThat(a.cpu()).isZero();
            Function<String, Long> f = n -> a.raw().getLong(n);
            assertThat(f.apply("dev")).isEqualTo((7L << 20));
            assertThat(f.apply("ino")).isEqualTo(12);
            assertThat(f.apply("result_group")).isZero();
            assertThat(f.apply("result_start")).isEqualTo(6169);
            assertThat(f.apply("result_len")).isEqualTo(1);
            assertThat(f.apply("found")).isEqualTo(1);
            assertThat(f.apply("groups")).isEqualTo(1);
            // ext4wl 29776 [000] 10280.771769: ext4:ext4_allocate_blocks: dev 7,0 ino 12 flags  len 1 block 6169
            TraceEvent b = events.get(events.indexOf(a) + 1);
            assertThat(b.name()).isEqualTo("ext4_allocate_blocks");
            assertThat(b.raw().getLong("block")).isEqualTo(6169);
            assertThat(b.timestampNs() / 1000).isEqualTo(10280_771769L);
        }
    }

    static Stream<Path> oneFolder() {
        return Stream.of(PerfScriptText.sampleTraces().resolve("6.18.44-4k"));
    }
}
