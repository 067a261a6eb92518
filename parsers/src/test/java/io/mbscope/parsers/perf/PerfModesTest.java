package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdCompressor;
import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perf-modes sample (parsers/src/test/resources/perf/perf-modes-6.18-4k, made by
 * capture-perf-modes.sh): one workload recorded at the same time by four perf record instances
 * writing a file, a pipe ({@code -o -}), a zstd-compressed file ({@code -z}) and a compressed pipe
 * ({@code -z -o -}); each is checked against the perf script text perf printed from it, and all
 * against each other.
 */
class PerfModesTest {
    private static final String DIR = "perf-modes-6.18-4k/";

    @TempDir
    Path tmp;

    private static List<PerfScriptText.Line> script(String name) throws IOException {
        return PerfScriptText.read(PerfScriptText.testResource(DIR + name));
    }

    private List<TraceEvent> readFile(String zst) throws IOException {
        Path p = PerfScriptText.unzstd(PerfScriptText.testResource(DIR + zst), tmp);
        try (TraceReader r = PerfDataReader.open(p, zst)) {
            List<TraceEvent> ev = PerfScriptText.readAll(r);
            assertThat(r.stats().skipped()).isEmpty();
            return ev;
        }
    }

    private static List<TraceEvent> readPipe(byte[] bytes) throws IOException {
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(bytes), "-")) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.PERF_DATA_PIPE);
            assertThat(r.info().clock()).isEqualTo("mono");
            assertThat(r.info().kernelRelease()).startsWith("6.18.44");
            assertThat(r.formats().byName("ext4:ext4_request_blocks")).isNotNull();
            List<TraceEvent> ev = PerfScriptText.readAll(r);
            assertThat(r.stats().skipped()).isEmpty();
            return ev;
        }
    }

    @Test
    void fileModeMatchesPerfScript() throws IOException {
        List<PerfScriptText.Line> lines = script("perf-script.txt.zst");
        assertThat(lines).hasSize(1824);
        PerfScriptText.assertSameAsScript(readFile("perf.data.zst"), lines);
    }

    @Test
    void pipeModeMatchesPerfScriptOfThePipe() throws IOException {
        byte[] pipe = PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-pipe.data.zst"));
        assertThat(new String(pipe, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PERFILE2");
        assertThat(ByteBuffer.wrap(pipe).order(ByteOrder.LITTLE_ENDIAN).getLong(8)).isEqualTo(16);
        List<TraceEvent> events = readPipe(pipe);
        long fields = PerfScriptText.assertSameAsScript(events, script("perf-pipe-script.txt.zst"));
        assertThat(fields).isGreaterThan(5_000);
    }

    @Test
    void pipeOutputSavedToAFileIsReadAsPipe() throws IOException {
        Path p = PerfScriptText.unzstd(PerfScriptText.testResource(DIR + "perf-pipe.data.zst"), tmp);
        try (TraceReader r = PerfDataReader.open(p, "saved-pipe")) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.PERF_DATA_PIPE);
            PerfScriptText.assertSameAsScript(PerfScriptText.readAll(r), script("perf-pipe-script.txt.zst"));
        }
    }

    @Test
    void compressedFileMatchesPerfScriptOfIt() throws IOException {
        byte[] raw = PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-z.data.zst"));
        // the capture really holds PERF_RECORD_COMPRESSED records (perf report --stats: 4)
        assertThat(countDataRecords(raw, 81)).isEqualTo(4);
        PerfScriptText.assertSameAsScript(readFile("perf-z.data.zst"), script("perf-z-script.txt.zst"));
    }

    @Test
    void compressedPipeMatchesPerfScriptOfIt() throws IOException {
        byte[] raw = PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-zpipe.data.zst"));
        List<TraceEvent> events = readPipe(raw);
        PerfScriptText.assertSameAsScript(events, script("perf-zpipe-script.txt.zst"));
    }

    @Test
    void fourModesSeeTheSameTracepointHits() throws IOException {
        List<TraceEvent> file = readFile("perf.data.zst");
        List<TraceEvent> z = readFile("perf-z.data.zst");
        List<TraceEvent> pipe = readPipe(PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-pipe.data.zst")));
        List<TraceEvent> zpipe = readPipe(PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-zpipe.data.zst")));
        assertThat(z).hasSameSizeAs(file);
        assertThat(pipe).hasSameSizeAs(file);
        assertThat(zpipe).hasSameSizeAs(file);
        // Each perf instance has its own perf_event, so one hit is stamped a few us apart per
        // instance and hits on different CPUs can interleave differently; per CPU the order is fixed.
        for (int cpu = 0; cpu < 2; cpu++) {
            List<TraceEvent> f = onCpu(file, cpu);
            assertThat(f).isNotEmpty();
            for (List<TraceEvent> other : List.of(onCpu(z, cpu), onCpu(pipe, cpu), onCpu(zpipe, cpu))) {
                assertThat(other).hasSameSizeAs(f);
                for (int i = 0; i < f.size(); i++) {
                    assertThat(other.get(i).name()).isEqualTo(f.get(i).name());
                    assertThat(other.get(i).raw().payload()).isEqualTo(f.get(i).raw().payload());
                    assertThat(Math.abs(other.get(i).timestampNs() - f.get(i).timestampNs())).isLessThan(1_000_000);
                }
            }
        }
    }

    private static List<TraceEvent> onCpu(List<TraceEvent> l, int cpu) {
        return l.stream().filter(e -> e.cpu() == cpu).toList();
    }

    /**
     * perf keeps one zstd stream for the whole session, so frames and records run across
     * COMPRESSED records. Rebuild that situation from real bytes: the data records of the pipe
     * capture are zstd-compressed (two frames, by aircompressor) and cut into small COMPRESSED /
     * COMPRESSED2 records at arbitrary byte positions; the events must not change.
     */
    @Test
    void recordsSplitAcrossCompressedRecordsDecodeTheSame() throws IOException {
        byte[] pipe = PerfScriptText.unzstdBytes(PerfScriptText.testResource(DIR + "perf-pipe.data.zst"));
        List<TraceEvent> expected = readPipe(pipe);
        int dataStart = firstDataRecord(pipe);
        byte[] head = Arrays.copyOf(pipe, dataStart);
        byte[] data = Arrays.copyOfRange(pipe, dataStart, pipe.length);
        int half = data.length / 2 + 13; // not on a record boundary
        byte[] z = concat(zstd(Arrays.copyOf(data, half)), zstd(Arrays.copyOfRange(data, half, data.length)));
        for (boolean v2 : new boolean[] {false, true}) {
            for (int chunk : new int[] {997, 8000, 60000}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(head);
                for (int at = 0; at < z.length; at += chunk) {
                    int n = Math.min(chunk, z.length - at);
                    out.write(compressedRecord(z, at, n, v2));
                }
                List<TraceEvent> got = readPipe(out.toByteArray());
                assertThat(got).as("chunk " + chunk + (v2 ? " COMPRESSED2" : " COMPRESSED")).hasSameSizeAs(expected);
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).timestampNs()).isEqualTo(expected.get(i).timestampNs());
                    assertThat(got.get(i).raw().payload()).isEqualTo(expected.get(i).raw().payload());
                    assertThat(got.get(i).header()).isEqualTo(expected.get(i).header());
                }
            }
        }
    }

    static byte[] compressedRecord(byte[] z, int at, int n, boolean v2) {
        int size = v2 ? (16 + n + 7) & ~7 : 8 + n;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v2 ? 83 : 81).putShort((short) 0).putShort((short) size);
        if (v2) {
            b.putLong(n);
        }
        b.put(z, at, n);
        return b.array();
    }

    static byte[] zstd(byte[] in) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Offset of the first record after the pipe header records (attrs, features, tracing data, ...). */
    static int firstDataRecord(byte[] pipe) {
        ByteBuffer b = ByteBuffer.wrap(pipe).order(ByteOrder.LITTLE_ENDIAN);
        int off = 16;
        while (true) {
            int type = b.getInt(off);
            int size = b.getShort(off + 6) & 0xffff;
            if (type == 9 || type == 3 || type == 7 || type == 10 || type == 1) {
                return off;
            }
            off += size + (type == 66 ? b.getInt(off + 8) : 0);
        }
    }

    /** Number of records of {@code type} in a file-mode perf.data's data section (a minimal walk). */
    static int countDataRecords(byte[] file, int type) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long off = b.getLong(40);
        long end = off + b.getLong(48);
        int n = 0;
        while (off < end) {
            if (b.getInt((int) off) == type) {
                n++;
            }
            off += b.getShort((int) off + 6) & 0xffff;
        }
        return n;
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
