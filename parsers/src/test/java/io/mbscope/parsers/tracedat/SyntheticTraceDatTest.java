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
        "zlib, LITTLE_ENDIAN, 40960, 8, 4096",
        "zstd, LITTLE_ENDIAN, 40960, 8, 4096",
        "none, LITTLE_ENDIAN, 40960, 8, 4096",
        "zlib, BIG_ENDIAN, 40960, 8, 4096",
        "zstd, BIG_ENDIAN, 5000, 8, 4096",    // chunks of 1.2 pages: pages straddle chunks
        "zlib, LITTLE_ENDIAN, 100, 8, 4096",  // many tiny chunks
        "none, LITTLE_ENDIAN, 40960, 4, 4096", // 32-bit kernel: 4-byte commit, data at 12
        "zstd, BIG_ENDIAN, 40960, 4, 4096",
        "zstd, LITTLE_ENDIAN, 40960, 8, 16384", // buffer_subbuf_size_kb=16 (Linux 6.8+)
    })
    void everyRecordTypeAndCodec(String codec, String order, int chunk, int kernelLong, int pageSize)
            throws IOException {
        DatWriter w = new DatWriter();
        w.kernelLong = kernelLong;
        w.pageSize = pageSize;
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

    @Test
    void everyBufferIsReadAndMerged() throws IOException {
        DatWriter w = new DatWriter();
        w.buffer("");
        w.cpu(w.page(100).event(0, 1048, 1).event(50, 1048, 3));   // top level: 100, 150
        w.buffer("second");
        w.cpu(w.page(120).event(0, 7, 2));                          // CPU 0 of "second": 120
        w.cpu(w.page(100).event(0, 7, 10).event(50, 7, 11));        // CPU 1 of "second": 100, 150
        try (TraceReader r = TraceDatReader.open(write(w), "two.dat")) {
            assertThat(r.info().buffers()).containsExactly("", "second");
            // Equal timestamps: lower CPU first, then the buffer written first.
            assertThat(read(r)).extracting(Ev::value).containsExactly(1L, 10L, 2L, 3L, 11L);
        }
    }

    @Test
    void tsc2nsecAndOffsetOptionsAreApplied() throws IOException {
        DatWriter w = new DatWriter();
        // x86-tsc at 2.5 GHz: ns = ticks * 0.4 = (ticks * 3355443) >> 23 (mult/shift as the kernel's clocksource)
        w.tscMult = 3355443;
        w.tscShift = 23;
        w.offsetOption = "0x100";
        // 10 s of ticks: above 2^32, so the high half of the 96-bit product is exercised.
        w.cpu(w.page(25_000_000_000L).event(0, 1048, 1).event(25, 1048, 2));
        try (TraceReader r = TraceDatReader.open(write(w), "tsc.dat")) {
            List<Ev> ev = read(r);
            long t1 = (25_000_000_000L * 3355443L) >>> 23;
            long t2 = (25_000_000_025L * 3355443L) >>> 23;
            assertThat(ev).extracting(Ev::ts).containsExactly(t1 + 256, t2 + 256);
            assertThat(t1).isBetween(9_999_990_000L, 10_000_000_000L);
        }
    }

    @Test
    void pagesPastTwoGibibytes() throws IOException {
        // A sparse 3 GiB file: the page data and the options sit past 2^31, beyond any int offset.
        for (String codec : List.of("none", "zstd")) {
            DatWriter w = sample(new DatWriter());
            w.compression = codec;
            w.gap = 3L << 30;
            Path p = tmp.resolve("big-" + codec + ".dat");
            w.writeTo(p);
            assertThat(Files.size(p)).isGreaterThan(3L << 30);
            try (TraceReader r = TraceDatReader.open(p, "big.dat")) {
                assertThat(read(r)).containsExactlyElementsOf(expected());
            }
            Files.delete(p);
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
