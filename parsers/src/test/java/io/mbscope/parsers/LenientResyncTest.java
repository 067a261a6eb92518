package io.mbscope.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.event.TraceEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --lenient resynchronisation on real captures of 6.18.44-4k damaged in the middle: one ring-buffer
 * page (trace.dat v6), one compressed chunk (v7), one record (perf.data), one line (trace-cmd
 * report). The damaged file must decode to the undamaged events minus exactly those of the damaged
 * unit, which the test finds from the file's own bytes (page and chunk timestamps, record bytes,
 * the original line), with the exact skip counts; strict mode fails at the damage.
 */
class LenientResyncTest {
    private static final Path DIR = SampleTraces.root().resolve("sample-traces/6.18.44-4k");
    private static final String PAGE_REASON = ReadOptions.CORRUPT_PREFIX
            + "trace.dat ring-buffer pages skipped: commit size past the page end";
    private static final String RECORD_REASON = ReadOptions.CORRUPT_PREFIX
            + "trace.dat ring-buffer pages skipped from a bad record on: record type or length";
    private static final String CHUNK_REASON = ReadOptions.CORRUPT_PREFIX
            + "trace.dat compressed chunks skipped: chunk does not decompress or declares a bad size";
    private static final int PAGE = 4096;

    @TempDir
    static Path tmp;
    static byte[] v6;

    @BeforeAll
    static void unpack() throws IOException {
        v6 = unzstd(DIR.resolve("trace-v6.dat.zst"));
    }

    static byte[] unzstd(Path p) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    /** A decoded event, with what identifies it. */
    record Ev(long ts, int cpu, String text) {
    }

    static List<Ev> decode(Path p, ReadOptions o, ReadStats[] stats) throws IOException {
        List<Ev> out = new ArrayList<>();
        try (TraceReader r = Traces.open(p, o)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                out.add(new Ev(e.timestampNs(), e.header().cpu(), text(e)));
            }
            if (stats != null) {
                stats[0] = r.stats();
            }
        }
        return out;
    }

    /** name, header and every field (arrays by content): what makes two decoded events the same. */
    static String text(TraceEvent e) {
        StringBuilder sb = new StringBuilder(e.name()).append(' ').append(e.header());
        if (e.raw() != null) {
            for (Map.Entry<String, Object> f : e.raw().payload().entrySet()) {
                Object v = f.getValue();
                sb.append(' ').append(f.getKey()).append('=').append(v instanceof long[] a ? Arrays.toString(a) : v);
            }
        }
        return sb.toString();
    }

    static Path write(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    /**
     * Asserts the damaged decode is the undamaged one without exactly the events {@code lost}
     * selects (at least one), order kept.
     */
    static void assertLostExactly(List<Ev> whole, List<Ev> damaged, Predicate<Ev> lost) {
        List<Ev> expected = whole.stream().filter(lost.negate()).toList();
        assertThat(whole.size() - expected.size()).as("events in the damaged unit").isPositive();
        assertThat(damaged).containsExactlyElementsOf(expected);
    }

    // ---------------------------------------------------------------- trace.dat v6: one page

    /**
     * CPU 0's pages of this v6 file are the 145 pages from offset 5484544 (trace-cmd writes each CPU's
     * data page-aligned after the headers); page 70 of them is damaged.
     */
    private static final int CPU0_PAGES = 5484544;
    private static final int VICTIM_PAGE = CPU0_PAGES + 70 * PAGE;

    /** The events a page holds: CPU 0's, from the page's base timestamp to the next page's. */
    static Predicate<Ev> inV6Page(int page) {
        long from = u64(v6, page);
        long to = u64(v6, page + PAGE);
        assertThat(to).isGreaterThan(from);
        return e -> e.cpu() == 0 && e.ts() >= from && e.ts() < to;
    }

    @Test
    void v6PageWithCommitPastItsEndIsSkipped() throws IOException {
        Path good = write("v6.dat", v6);
        byte[] bad = v6.clone();
        // commit word (u64 after the page timestamp): 27 size bits all set, far past the 4080 data bytes
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(VICTIM_PAGE + 8, 0x7ffffffL);
        Path damaged = write("v6-bad-commit.dat", bad);

        List<Ev> whole = decode(good, ReadOptions.STRICT, null);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertLostExactly(whole, lenient, inV6Page(VICTIM_PAGE));
        assertThat(st[0].skipped()).containsEntry(PAGE_REASON, 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThat(st[0].corruptBytes()).isEqualTo(PAGE);
        assertThat(st[0].corruptPlaces()).singleElement().asString().contains("at offset " + (VICTIM_PAGE + 8));

        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("at offset " + (VICTIM_PAGE + 8))
                .hasMessageContaining("CPU 0")
                .hasMessageContaining("expected a ring-buffer page commit size up to 4080, found 134217727");
    }

    @Test
    void v6PageWithABadRecordLengthIsSkippedFromThatRecord() throws IOException {
        Path good = write("v6.dat", v6);
        byte[] bad = v6.clone();
        // the page's first record: type_len 0 (length in array[0]) with a length of 1 MiB
        ByteBuffer b = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VICTIM_PAGE + 16, 0);
        b.putInt(VICTIM_PAGE + 20, 1 << 20);
        Path damaged = write("v6-bad-record.dat", bad);
        long committed = b.getLong(VICTIM_PAGE + 8) & ((1L << 27) - 1);

        List<Ev> whole = decode(good, ReadOptions.STRICT, null);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertLostExactly(whole, lenient, inV6Page(VICTIM_PAGE));
        assertThat(st[0].skipped()).containsEntry(RECORD_REASON, 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThat(st[0].corruptBytes()).isEqualTo(committed);

        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("at offset " + (VICTIM_PAGE + 16))
                .hasMessageContaining("expected a ring-buffer record (type_len 0)");
    }

    // ---------------------------------------------------------------- trace.dat v7: one chunk

    /** CPU 0 of the ext4lab buffer: chunk table at 1024000 (from the BUFFER option), 15 chunks of 10 pages. */
    private static final int V7_CPU0 = 1024000;

    @Test
    void v7ChunkThatDoesNotDecompressIsSkipped() throws IOException {
        byte[] v7 = Files.readAllBytes(DIR.resolve("trace.dat"));
        ByteBuffer b = ByteBuffer.wrap(v7).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(V7_CPU0)).as("chunk count").isEqualTo(15);
        // walk to chunk 5 (0-based) and the one after it
        int at = V7_CPU0 + 4;
        for (int i = 0; i < 5; i++) {
            at += 8 + b.getInt(at);
        }
        int victim = at;
        int zsize = b.getInt(victim);
        int next = victim + 8 + zsize;
        long from = firstPageTimestamp(v7, victim);
        long to = firstPageTimestamp(v7, next);
        assertThat(b.getInt(victim + 8)).as("zstd magic").isEqualTo(0xFD2FB528);

        byte[] bad = v7.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(victim + 8, 0x12345678);
        Path damaged = write("v7-bad-chunk.dat", bad);

        List<Ev> whole = decode(DIR.resolve("trace.dat"), ReadOptions.STRICT, null);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertLostExactly(whole, lenient, e -> e.cpu() == 0 && e.ts() >= from && e.ts() < to);
        assertThat(st[0].skipped()).containsEntry(CHUNK_REASON, 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThat(st[0].corruptBytes()).isEqualTo(8 + zsize);

        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("at offset " + victim)
                .hasMessageContaining("CPU 0");
    }

    /** The base timestamp of the first page in the chunk whose header is at {@code chunk}. */
    static long firstPageTimestamp(byte[] file, int chunk) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int z = b.getInt(chunk);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(file, chunk + 8, z))) {
            byte[] page = in.readNBytes(8);
            return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        }
    }

    // ---------------------------------------------------------------- trace.dat v7: interrupted recording

    /**
     * trace-cmd writes the options section holding the instance's BUFFER option (CPU table) after
     * its data (here at 1131503, the last 249 bytes): a recording stopped while writing it loses the
     * CPU table, and one stopped earlier also loses the end of CPU 1's chunks (from 1123836).
     */
    @Test
    void v7InterruptedRecordingOpensAndReadsUpToTheCut() throws IOException {
        byte[] v7 = Files.readAllBytes(DIR.resolve("trace.dat"));
        List<Ev> whole = decode(DIR.resolve("trace.dat"), ReadOptions.STRICT, null);

        Path noOptions = write("v7-cut-at-last-options.dat", Arrays.copyOf(v7, 1131503));
        ReadStats[] st = new ReadStats[1];
        assertThat(decode(noOptions, ReadOptions.LENIENT, st)).containsExactlyElementsOf(whole);
        assertThat(st[0].skipped()).containsOnlyKeys(
                ReadOptions.CORRUPT_PREFIX + "trace.dat options written after the data missing (interrupted recording)",
                ReadOptions.CORRUPT_PREFIX + "trace.dat buffer data recovered without its BUFFER option "
                        + "(interrupted recording; CPU numbers by position)");
        try (TraceReader r = Traces.open(noOptions, ReadOptions.LENIENT)) {
            assertThat(r.info().buffers()).containsExactly("recovered-1");
        }
        assertThatThrownBy(() -> decode(noOptions, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("at offset 1131503");

        // cut inside CPU 1's third chunk: CPU 0 whole, CPU 1 up to its first two chunks (20 pages)
        int cut = 1123836 + 100;
        Path midData = write("v7-cut-mid-cpu1.dat", Arrays.copyOf(v7, cut));
        long cpu1Cut = firstPageTimestamp(v7, 1123836);
        List<Ev> got = decode(midData, ReadOptions.LENIENT, st);
        assertThat(got).containsExactlyElementsOf(
                whole.stream().filter(e -> e.cpu() == 0 || e.ts() < cpu1Cut).toList());
        assertThat(st[0].skipped()).containsEntry(ReadOptions.CORRUPT_PREFIX + "trace.dat CPU data cut short: the rest "
                + "of the CPU's chunks are not in the file (interrupted recording or bad chunk size)", 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- perf.data: one record

    /** Offsets of the records of perf.data's data section (header fields at 40 and 48). */
    static List<int[]> perfRecords(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        long off = b.getLong(40);
        long end = off + b.getLong(48);
        List<int[]> out = new ArrayList<>();
        for (int p = (int) off; p < end; p += b.getShort(p + 6) & 0xffff) {
            out.add(new int[] {p, b.getInt(p), b.getShort(p + 6) & 0xffff});
        }
        return out;
    }

    @Test
    void perfRecordWithABadHeaderIsSkipped() throws IOException {
        byte[] perf = unzstd(DIR.resolve("perf.data.zst"));
        Path good = write("perf.data", perf);
        List<int[]> recs = perfRecords(perf);
        List<int[]> samples = recs.stream().filter(r -> r[1] == 9).toList();
        int[] victim = samples.get(samples.size() / 2);
        int[] after = recs.get(recs.indexOf(victim) + 1);

        List<Ev> whole = decode(good, ReadOptions.STRICT, null);

        // 1. size 3 in the header: resync at the next record header
        byte[] bad = perf.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putShort(victim[0] + 6, (short) 3);
        Path damaged = write("perf-bad-size.data", bad);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertThat(lenient).hasSize(whole.size() - 1);
        List<Ev> lost = new ArrayList<>(whole);
        lost.removeAll(lenient);
        // the lost event's time is the sample's TIME field, in the damaged record's own bytes
        assertThat(lost).singleElement().satisfies(e -> assertThat(containsU64(perf, victim[0], victim[2], e.ts()))
                .isTrue());
        assertThat(st[0].skipped()).containsEntry(ReadOptions.CORRUPT_PREFIX
                + "perf data skipped to the next plausible record header: bad record header or size", 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThat(st[0].corruptBytes()).isEqualTo(victim[2]);
        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("at offset " + victim[0]).hasMessageContaining("found 3");

        // 2. the record and the first 20 bytes of the next overwritten with 0xee: both are lost,
        // the scan finds the record after them
        byte[] junk = perf.clone();
        Arrays.fill(junk, victim[0], victim[0] + victim[2] + 20, (byte) 0xee);
        Path junked = write("perf-junk.data", junk);
        List<Ev> j = decode(junked, ReadOptions.LENIENT, st);
        assertThat(j).hasSize(whole.size() - (after[1] == 9 ? 2 : 1));
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThat(st[0].corruptBytes()).isEqualTo(victim[2] + after[2]);
    }

    /**
     * perf record -z compresses the whole session as one zstd stream (only the first
     * PERF_RECORD_COMPRESSED starts with the frame magic; perf-modes-6.18-4k/perf-z.data has 4 such
     * records). Damage inside the last one loses the events still in it and nothing before; damage
     * inside the second loses the two after it as well, since they continue its stream.
     */
    @Test
    void perfCompressedRecordThatDoesNotDecompressIsSkipped() throws IOException {
        byte[] z = unzstd(SampleTraces.root().resolve("parsers/src/test/resources/perf/perf-modes-6.18-4k/perf-z.data.zst"));
        Path good = write("perf-z.data", z);
        List<int[]> comp = perfRecords(z).stream().filter(r -> r[1] == 81).toList();
        assertThat(comp).hasSize(4);
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(comp.get(0)[0] + 8)).as("zstd magic in the first record").isEqualTo(0xFD2FB528);
        assertThat(b.getInt(comp.get(1)[0] + 8)).as("no new frame in the second").isNotEqualTo(0xFD2FB528);
        List<Ev> whole = decode(good, ReadOptions.STRICT, null);

        int[] last = comp.get(3);
        byte[] bad = z.clone();
        for (int i = last[0] + last[2] / 2; i < last[0] + last[2] / 2 + 64; i++) {
            bad[i] ^= 0x5a;
        }
        Path damaged = write("perf-z-bad-last.data", bad);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertThat(lenient).isNotEmpty().hasSizeLessThan(whole.size());
        // the record holds events of several CPUs, merged by time with those before it: what is read
        // is the undamaged decode with some events left out, order kept, none added
        assertSubsequence(lenient, whole);
        assertThat(st[0].skipped()).containsOnlyKeys(ReadOptions.CORRUPT_PREFIX
                + "perf compressed records skipped: zstd data does not decompress or holds a bad record header");
        assertThat(st[0].corruptBytes()).isPositive().isLessThanOrEqualTo(last[2]);
        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("at offset " + last[0]);

        int[] second = comp.get(1);
        bad = z.clone();
        for (int i = second[0] + second[2] / 2; i < second[0] + second[2] / 2 + 64; i++) {
            bad[i] ^= 0x5a;
        }
        Path damaged2 = write("perf-z-bad-second.data", bad);
        List<Ev> lenient2 = decode(damaged2, ReadOptions.LENIENT, st);
        assertSubsequence(lenient2, whole);
        assertThat(lenient2.size()).isLessThan(lenient.size());
        assertThat(st[0].skipped())
                .containsEntry(ReadOptions.CORRUPT_PREFIX + "perf compressed records skipped: zstd data does not "
                        + "decompress or holds a bad record header", 1L)
                .containsEntry(ReadOptions.CORRUPT_PREFIX + "perf compressed records skipped: they continue a zstd "
                        + "stream broken earlier", 2L);
        // the two records that continue the stream are counted whole, plus what was left of the second
        assertThat(st[0].corruptBytes()).isGreaterThan(comp.get(2)[2] + comp.get(3)[2])
                .isLessThanOrEqualTo(second[2] + comp.get(2)[2] + comp.get(3)[2]);
    }

    static void assertSubsequence(List<Ev> part, List<Ev> whole) {
        int i = 0;
        for (Ev e : part) {
            while (i < whole.size() && !whole.get(i).equals(e)) {
                i++;
            }
            assertThat(i).as("%s in the undamaged decode, in order", e).isLessThan(whole.size());
            i++;
        }
    }

    static boolean containsU64(byte[] d, int from, int len, long v) {
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = from + 8; p + 8 <= from + len; p += 8) {
            if (b.getLong(p) == v) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- text: one line

    @Test
    void textLineThatIsNoEventLineIsSkipped() throws IOException {
        String report = new String(unzstd(DIR.resolve("report.txt.zst")), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(report.lines().toList());
        Path good = write("report.txt", String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8));
        int victim = lines.size() / 2;
        assertThat(lines.get(victim)).contains("ext4lab");
        String original = lines.get(victim);
        lines.set(victim, "\u0001garbage from a bad disk sector");
        Path damaged = write("report-bad-line.txt", String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8));

        List<Ev> whole = decode(good, ReadOptions.STRICT, null);
        ReadStats[] st = new ReadStats[1];
        List<Ev> lenient = decode(damaged, ReadOptions.LENIENT, st);
        assertThat(lenient).hasSize(whole.size() - 1);
        List<Ev> lost = new ArrayList<>(whole);
        lost.removeAll(lenient);
        // the lost event is the one of the replaced line: its timestamp (secs.usecs) printed there
        assertThat(lost).singleElement().satisfies(e -> assertThat(original)
                .contains(String.format("%d.%06d", e.ts() / 1_000_000_000L, e.ts() % 1_000_000_000L / 1000)));
        assertThat(st[0].skipped()).containsEntry(ReadOptions.CORRUPT_PREFIX + "text lines skipped: not an event line", 1L);
        assertThat(st[0].corruptTotal()).isEqualTo(1);
        assertThatThrownBy(() -> decode(damaged, ReadOptions.STRICT, null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("line " + (victim + 1));
        assertThat(Map.copyOf(st[0].skipped())).isNotEmpty();
    }
}
