package io.mbscope.parsers.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-built v7 files for what the corpus lacks: zlib and "none" compression, big-endian, every
 * ring-buffer record type, missed events, pages straddling compressed chunks, option chains.
 * Expected values are derived from the ring-buffer rules, not from the reader.
 */
class SyntheticTraceDatTest {
    @TempDir
    Path tmp;

    record Ev(long ts, int cpu, int pid, String comm, long value) {
    }

    static final long EXTEND = (3L << 27) + 7;
    static final long ABS = 5_000_000_000L;

    /** CPU 0 uses every record type; CPU 1 ties with CPU 0's first event and reports missed events. */
    static DatWriter sample(DatWriter w) {
        w.cpu(w.page(1000)
                        .event(10, 1048, 1)           // 1010
                        .timeExtend(EXTEND)
                        .event(3, 7, 2)               // 1013 + EXTEND
                        .padding(5, 24)               // discarded event: its delta still counts
                        .longEvent(2, 1048, 3)        // 1020 + EXTEND
                        .absolute(ABS)
                        .event(1, 1048, 4),           // ABS + 1
                w.page(6_000_000_000L)
                        .event(0, 1048, 5)            // 6e9
                        .eventWithId(1, 999)          // unknown id: skipped, its delta counts
                        .event(1, 4242, 6));          // 6e9 + 2, pid without a comm
        w.cpu(w.page(1010)
                        .event(0, 1048, 100),         // 1010: same time as CPU 0's first, comes after it
                w.page(7_000_000_000L).missed(5)
                        .event(0, 0, 101));           // 7e9, idle task
        return w;
    }

    static List<Ev> expected() {
        return List.of(
                new Ev(1010, 0, 1048, "ext4wl", 1),
                new Ev(1010, 1, 1048, "ext4wl", 100),
                new Ev(1013 + EXTEND, 0, 7, "kworker/0:1", 2),
                new Ev(1020 + EXTEND, 0, 1048, "ext4wl", 3),
                new Ev(ABS + 1, 0, 1048, "ext4wl", 4),
                new Ev(6_000_000_000L, 0, 1048, "ext4wl", 5),
                new Ev(6_000_000_002L, 0, 4242, null, 6),
                new Ev(7_000_000_000L, 1, 0, "<idle>", 101));
    }

    Path write(DatWriter w) throws IOException {
        Path p = Files.createTempFile(tmp, "synthetic", ".dat");
        Files.write(p, w.build());
        return p;
    }

    static List<Ev> read(TraceReader r) throws IOException {
        List<Ev> out = new ArrayList<>();
        TraceEvent e;
        while ((e = r.next()) != null) {
            assertThat(e.name()).isEqualTo("test_event");
            out.add(new Ev(e.timestampNs(), e.cpu(), e.header().pid(), e.header().comm(), e.raw().getLong("value")));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "zlib, LITTLE_ENDIAN, 40960",
        "zstd, LITTLE_ENDIAN, 40960",
        "none, LITTLE_ENDIAN, 40960",
        "zlib, BIG_ENDIAN, 40960",
        "zstd, BIG_ENDIAN, 5000",   // chunks of 1.2 pages: pages straddle chunks
        "zlib, LITTLE_ENDIAN, 100", // many tiny chunks
    })
    void everyRecordTypeAndCodec(String codec, String order, int chunk) throws IOException {
        DatWriter w = new DatWriter();
        w.compression = codec;
        w.order = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        w.chunkBytes = chunk;
        try (TraceReader r = TraceDatReader.open(write(sample(w)), "synthetic.dat")) {
            assertThat(r.info().kernelRelease()).isEqualTo("6.99.1-test");
            assertThat(r.info().clock()).isEqualTo("mono");
            assertThat(r.info().buffers()).containsExactly("inst");
            assertThat(r.info().cpus()).isEqualTo(2);
            assertThat(read(r)).containsExactlyElementsOf(expected());
            assertThat(r.stats().lostEvents()).isEqualTo(5);
            assertThat(r.stats().skipped()).containsOnlyKeys("unknown event id 999");
            assertThat(r.stats().events()).isEqualTo(8);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void missedEventsWithoutACountAreCounted() throws IOException {
        DatWriter w = new DatWriter();
        w.cpu(w.page(100).event(1, 1048, 1), w.page(200).missed(-1).event(1, 1048, 2));
        try (TraceReader r = TraceDatReader.open(write(w), "m.dat")) {
            assertThat(read(r)).extracting(Ev::value).containsExactly(1L, 2L);
            assertThat(r.stats().lostEvents()).isZero();
            assertThat(r.stats().skipped()).hasSize(1);
            assertThat(r.stats().skipped().keySet().iterator().next()).contains("missed", "count not recorded");
        }
    }

    @Test
    void pageCutShortAtTheEndIsCountedNotFatal() throws IOException {
        DatWriter w = new DatWriter();
        w.compression = "none";
        byte[] full = w.page(100).event(1, 1048, 1).event(1, 1048, 2).bytes();
        byte[] last = w.page(500).event(1, 1048, 3).event(1, 1048, 4).bytes();
        // The second page stops in the middle of its second event (16 header + 20 + 10 bytes).
        byte[] data = Arrays.copyOf(full, full.length + 46);
        System.arraycopy(last, 0, data, full.length, 46);
        w.cpuRaw(data);
        try (TraceReader r = TraceDatReader.open(write(w), "cut.dat")) {
            assertThat(read(r)).extracting(Ev::ts).containsExactly(101L, 102L, 501L);
            assertThat(r.stats().skippedTotal()).isEqualTo(1);
            assertThat(r.stats().skipped().keySet().iterator().next()).contains("page cut short", "CPU 0");
        }
    }

    @Test
    void optionsChainLoopIsRejected() throws IOException {
        DatWriter w = sample(new DatWriter());
        w.optionsLoop = true;
        assertThatThrownBy(() -> TraceDatReader.open(write(w), "loop.dat"))
                .isExactlyInstanceOf(TraceFormatException.class)
                .hasMessageContaining("loop.dat at offset")
                .hasMessageContaining("loop back to offset");
    }

    @Test
    void unknownCompressionIsUnsupported() throws IOException {
        DatWriter w = sample(new DatWriter());
        byte[] f = w.build();
        // Rename "zlib" to "lz4x" in the compression header (same length, so offsets stay valid).
        int at = indexOf(f, "zlib\0".getBytes());
        System.arraycopy("lz4x".getBytes(), 0, f, at, 4);
        Path p = Files.write(tmp.resolve("lz4.dat"), f);
        assertThatThrownBy(() -> TraceDatReader.open(p, "lz4.dat"))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("lz4x")
                .hasMessageContaining("at offset");
    }

    @Test
    void moreDataThanDeclaredIsRejected() throws IOException {
        for (String codec : List.of("zlib", "zstd")) {
            DatWriter w = sample(new DatWriter());
            w.compression = codec;
            w.understateSection = true;
            assertThatThrownBy(() -> TraceDatReader.open(write(w), codec + ".dat"))
                    .as(codec)
                    .isExactlyInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("at offset")
                    .hasMessageContaining("event formats section");
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
