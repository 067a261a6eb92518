package io.mbscope.parsers.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.ReadOptions;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Background decompression of v7 chunks: the events, their order and every failure must be exactly
 * those of the sequential walk, and closing a reader early must end its worker threads.
 */
class ChunkInflaterTest {
    @TempDir
    Path tmp;

    record Ev(long ts, int cpu, long value) {
    }

    static final int PAGES = 24;
    static final int PER_PAGE = 150;

    /** Two CPUs of {@link #PAGES} pages each, events 2 ns apart, CPU 1 one ns behind CPU 0. */
    static DatWriter many(String codec, int chunkBytes) {
        DatWriter w = new DatWriter();
        w.compression = codec;
        w.chunkBytes = chunkBytes;
        for (int cpu = 0; cpu < 2; cpu++) {
            DatWriter.Page[] pages = new DatWriter.Page[PAGES];
            for (int p = 0; p < PAGES; p++) {
                pages[p] = w.page(1_000_000L * p + cpu);
                for (int k = 0; k < PER_PAGE; k++) {
                    pages[p].event(k == 0 ? 0 : 2, 1048, value(cpu, p, k));
                }
            }
            w.cpu(pages);
        }
        return w;
    }

    static long value(int cpu, int page, int k) {
        return cpu * 1_000_000L + page * 1000L + k;
    }

    /** What the ring-buffer rules give, independently of the reader: merged by time, then CPU. */
    static List<Ev> expected() {
        List<Ev> all = new ArrayList<>();
        for (int cpu = 0; cpu < 2; cpu++) {
            for (int p = 0; p < PAGES; p++) {
                for (int k = 0; k < PER_PAGE; k++) {
                    all.add(new Ev(1_000_000L * p + cpu + 2L * k, cpu, value(cpu, p, k)));
                }
            }
        }
        all.sort(Comparator.comparingLong(Ev::ts).thenComparingInt(Ev::cpu));
        return all;
    }

    Path write(DatWriter w) throws IOException {
        Path p = Files.createTempFile(tmp, "many", ".dat");
        Files.write(p, w.build());
        return p;
    }

    static List<Ev> read(TraceDatReader r, List<Ev> out) throws IOException {
        TraceEvent e;
        while ((e = r.next()) != null) {
            out.add(new Ev(e.timestampNs(), e.cpu(), e.raw().getLong("value")));
        }
        return out;
    }

    static List<String> readAll(TraceDatReader r) throws IOException {
        List<String> out = new ArrayList<>();
        TraceEvent e;
        while ((e = r.next()) != null) {
            out.add(e.toString());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd:40960", "zlib:5000", "zstd:100", "zlib:4096"})
    void backgroundDecompressionKeepsTheOrder(String spec) throws IOException {
        String[] s = spec.split(":");
        Path f = write(many(s[0], Integer.parseInt(s[1])));
        for (int threads : new int[] {0, 2, 5}) {
            try (TraceDatReader r = TraceDatReader.open(f, "many.dat", ReadOptions.STRICT, threads)) {
                assertThat(r.inflater() != null).as("workers with %d threads", threads).isEqualTo(threads > 1);
                assertThat(read(r, new ArrayList<>())).as("%s, %d threads", spec, threads)
                        .containsExactlyElementsOf(expected());
                assertThat(r.stats().skipped()).isEmpty();
            }
        }
    }

    static Stream<String> folders() throws IOException {
        return SampleTraces.folders();
    }

    @ParameterizedTest
    @MethodSource("folders")
    void sampleTracesDecodeTheSameWithWorkers(String folder) throws IOException {
        Path f = SampleTraces.root().resolve(folder).resolve("trace.dat");
        List<String> sequential;
        try (TraceDatReader r = TraceDatReader.open(f, "trace.dat", ReadOptions.STRICT, 0)) {
            sequential = readAll(r);
        }
        try (TraceDatReader r = TraceDatReader.open(f, "trace.dat", ReadOptions.STRICT, 3)) {
            assertThat(r.inflater()).isNotNull();
            assertThat(readAll(r)).hasSize(sequential.size()).containsExactlyElementsOf(sequential);
        }
        assertThat(sequential).hasSizeGreaterThan(1000);
    }

    /** File offsets of CPU 0's chunks (of the header each starts with). */
    static List<Long> chunkOffsets(Path f) throws IOException {
        try (FileInput in = FileInput.open(f, "x")) {
            TraceDatHeader hdr = io.mbscope.parsers.tracedat.v7.V7HeaderReader.read(in, CommonHeader.read(in));
            TraceDatHeader.CpuData c = hdr.buffers.get(0).cpus().get(0);
            byte[] all = Files.readAllBytes(f);
            ByteBuffer b = ByteBuffer.wrap(all).order(in.order());
            int count = b.getInt((int) c.offset());
            List<Long> out = new ArrayList<>();
            long at = c.offset() + 4;
            for (int i = 0; i < count; i++) {
                out.add(at);
                at += 8 + (b.getInt((int) at) & 0xffffffffL);
            }
            return out;
        }
    }

    record Outcome(List<Ev> before, String error) {
    }

    static Outcome readUntilError(Path f, int threads) throws IOException {
        List<Ev> got = new ArrayList<>();
        try (TraceDatReader r = TraceDatReader.open(f, "bad.dat", ReadOptions.STRICT, threads)) {
            try {
                read(r, got);
            } catch (TraceFormatException e) {
                return new Outcome(got, e.getMessage());
            }
        }
        return new Outcome(got, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "header"})
    void aBadChunkFailsWhereTheSequentialWalkFails(String what) throws IOException {
        Path f = write(many("zlib", 5000));
        List<Long> chunks = chunkOffsets(f);
        assertThat(chunks).hasSizeGreaterThan(ChunkedPageSource.DEPTH * 3);
        int bad = chunks.size() / 2;
        long at = chunks.get(bad);
        byte[] bytes = Files.readAllBytes(f);
        if (what.equals("data")) {
            // garbage where the zlib stream of that chunk starts
            for (int i = 0; i < 16; i++) {
                bytes[(int) at + 8 + i] = (byte) 0xA5;
            }
        } else {
            // a compressed size running past the CPU data
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, 0x7fff0000);
        }
        Files.write(f, bytes);
        Outcome seq = readUntilError(f, 0);
        // the chunk's offset for bad data; the size field's own offset for a bad header
        assertThat(seq.error()).as("sequential").isNotNull()
                .contains("bad.dat at offset " + (what.equals("data") ? at : at + 8))
                .contains(what.equals("data") ? "corrupt zlib data" : "compressed chunk within");
        // Everything before the bad chunk came out, in order: a whole half of CPU 0's data.
        assertThat(seq.before()).hasSizeGreaterThan(PAGES * PER_PAGE / 2);
        assertThat(seq.before()).containsExactlyElementsOf(expected().subList(0, seq.before().size()));
        for (int threads : new int[] {2, 4}) {
            Outcome par = readUntilError(f, threads);
            assertThat(par.error()).as("%d threads", threads).isEqualTo(seq.error());
            assertThat(par.before()).as("%d threads", threads).containsExactlyElementsOf(seq.before());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "header", "cut"})
    void lenientSkipsTheSameChunksWithWorkers(String what) throws IOException {
        Path f = write(many("zlib", 5000));
        List<Long> chunks = chunkOffsets(f);
        long at = chunks.get(chunks.size() / 3);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (what) {
            case "data" -> {
                for (int i = 0; i < 16; i++) {
                    bytes[(int) at + 8 + i] = (byte) 0xA5;
                }
            }
            // an uncompressed size over the cap: the compressed size still leads to the next chunk
            case "header" -> b.putInt((int) at + 4, 0x7fffffff);
            // a compressed size past the CPU data: the chain breaks, the rest of CPU 0 is lost
            default -> b.putInt((int) at, 0x7fff0000);
        }
        Files.write(f, bytes);
        List<Ev> sequential;
        Map<String, Long> skipped;
        long bytesSkipped;
        try (TraceDatReader r = TraceDatReader.open(f, "bad.dat", ReadOptions.LENIENT, 0)) {
            sequential = read(r, new ArrayList<>());
            skipped = r.stats().skipped();
            bytesSkipped = r.stats().corruptBytes();
        }
        assertThat(skipped).isNotEmpty();
        assertThat(bytesSkipped).isPositive();
        assertThat(sequential).hasSizeLessThan(expected().size()).hasSizeGreaterThan(PAGES * PER_PAGE);
        for (int threads : new int[] {2, 4}) {
            try (TraceDatReader r = TraceDatReader.open(f, "bad.dat", ReadOptions.LENIENT, threads)) {
                assertThat(read(r, new ArrayList<>())).as("%d threads", threads).containsExactlyElementsOf(sequential);
                assertThat(r.stats().skipped()).as("%d threads", threads).isEqualTo(skipped);
                // (the bytes a skipped chunk had: the slot is reused at once, read before that)
                assertThat(r.stats().corruptBytes()).as("%d threads", threads).isEqualTo(bytesSkipped);
            }
        }
    }

    @Test
    void closingEarlyEndsTheWorkers() throws Exception {
        Path f = write(many("zstd", 100));
        TraceDatReader r = TraceDatReader.open(f, "many.dat", ReadOptions.STRICT, 3);
        ChunkInflater workers = r.inflater();
        assertThat(workers).isNotNull();
        assertThat(r.next()).isNotNull();
        assertThat(workers.liveThreads()).isPositive();
        r.close();
        assertThat(workers.awaitTermination(10_000)).isTrue();
        assertThat(workers.liveThreads()).isZero();
        assertThat(r.next()).isNull();
    }

    @Test
    void aFailedOpenEndsTheWorkers() throws Exception {
        // The first chunk of CPU 0 is corrupt: the constructor's first page load fails.
        Path f = write(many("zlib", 5000));
        long at = chunkOffsets(f).get(0);
        byte[] bytes = Files.readAllBytes(f);
        for (int i = 0; i < 16; i++) {
            bytes[(int) at + 8 + i] = (byte) 0xA5;
        }
        Files.write(f, bytes);
        long before = countWorkers();
        assertThatThrownBy(() -> TraceDatReader.open(f, "bad.dat", ReadOptions.STRICT, 3))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("bad.dat at offset " + at);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (countWorkers() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(countWorkers()).isLessThanOrEqualTo(before);
    }

    private static long countWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mbscope-inflate-") && t.isAlive()).count();
    }
}
