package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.UnsupportedFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged perf.data must end in TraceFormatException (or UnsupportedFormatException), nothing else. */
class PerfDataReaderCorruptTest {
    private static byte[] file;
    private static byte[] zfile;
    private static byte[] pipe;
    private static byte[] zpipe;
    private static long dataOff;
    private static long dataEnd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        file = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf.data.zst"));
        zfile = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf-z.data.zst"));
        pipe = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf-pipe.data.zst"));
        zpipe = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf-zpipe.data.zst"));
        ByteBuffer b = le(file);
        dataOff = b.getLong(40);
        dataEnd = dataOff + b.getLong(48);
    }

    private static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(tmp, "bad", ".data");
        Files.write(p, bytes);
        return p;
    }

    /** Opens and reads everything; returns the number of events. */
    private static long readAll(Path p) throws IOException {
        try (TraceReader r = PerfDataReader.open(p, "bad.data")) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            return n;
        }
    }

    private static long readAllPipe(byte[] bytes) throws IOException {
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(bytes), "-")) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            return n;
        }
    }

    @Test
    void intactFileReads() throws IOException {
        assertThat(readAll(write(file))).isEqualTo(1824);
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = file.clone();
        System.arraycopy("NOTPERF!".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        assertThatThrownBy(() -> readAll(write(b))).isExactlyInstanceOf(TraceFormatException.class)
                .hasMessageContaining("bad.data at offset 0").hasMessageContaining("PERFILE2");
    }

    @Test
    void perfV1IsUnsupported() throws IOException {
        byte[] b = file.clone();
        System.arraycopy("PERFFILE".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(UnsupportedFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 15, 50, 100, 104, 300, 2000, -1, -2, -3, -4, -5, -6})
    void truncatedFile(long at) throws IOException {
        // negative: positions derived from the data section (start, middle, end) and file end
        long cut = at >= 0 ? at
                : at == -1 ? dataOff + 5
                : at == -2 ? (dataOff + dataEnd) / 2
                : at == -3 ? dataEnd - 3
                : at == -4 ? dataEnd + 8
                : at == -5 ? file.length - 1
                : file.length - 200;
        byte[] b = Arrays.copyOf(file, (int) cut);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("bad.data");
    }

    @Test
    void directoryIsUnsupported() {
        assertThatThrownBy(() -> readAll(tmp)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("--threads");
    }

    @Test
    void hugeAttrSize() throws IOException {
        byte[] b = file.clone();
        le(b).putLong(16, 1L << 40);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("attr_size").hasMessageContaining("1099511627776");
    }

    @Test
    void hugeAttrStructSize() throws IOException {
        byte[] b = file.clone();
        long attrs = le(b).getLong(24);
        le(b).putInt((int) attrs + 4, 1 << 30);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("attr 0 size");
    }

    @Test
    void dataSectionPastTheEnd() throws IOException {
        byte[] b = file.clone();
        le(b).putLong(48, b.length);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("data section").hasMessageContaining("offset 40");
    }

    @Test
    void attrsSectionPastTheEnd() throws IOException {
        byte[] b = file.clone();
        le(b).putLong(24, 1L << 50);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("attrs section");
    }

    @Test
    void recordSizeBelowHeader() throws IOException {
        byte[] b = file.clone();
        le(b).putShort((int) dataOff + 6, (short) 4);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("offset " + dataOff).hasMessageContaining("found 4");
    }

    @Test
    void rawSizeBeyondTheRecord() throws IOException {
        byte[] b = file.clone();
        ByteBuffer bb = le(b);
        long off = dataOff;
        while (bb.getInt((int) off) != 9) {
            off += bb.getShort((int) off + 6) & 0xffff;
        }
        // sample_type IP|TID|TIME|CPU|PERIOD|RAW|IDENTIFIER: RAW size follows 6 u64 after the header
        bb.putInt((int) off + 8 + 48, 60000);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("RAW");
    }

    @Test
    void unknownTracingDataVersionIsUnsupported() throws IOException {
        byte[] b = file.clone();
        int at = indexOf(b, TracingData.MAGIC);
        assertThat(at).isPositive();
        System.arraycopy("9.9".getBytes(StandardCharsets.US_ASCII), 0, b, at + TracingData.MAGIC.length, 3);
        assertThatThrownBy(() -> readAll(write(b))).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("9.9");
    }

    @Test
    void unknownRecordTypeIsSkippedAndCounted() throws IOException {
        byte[] b = file.clone();
        ByteBuffer bb = le(b);
        long off = dataOff;
        while (bb.getInt((int) off) != 10) { // an MMAP2 record: not an event
            off += bb.getShort((int) off + 6) & 0xffff;
        }
        bb.putInt((int) off, 200);
        try (TraceReader r = PerfDataReader.open(write(b), "x")) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(1824);
            assertThat(r.stats().skipped()).containsEntry("perf: unknown record type 200", 1L);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9, 20, 200, 3005, 12300, 20000, -1, -2})
    void truncatedPipe(int at) {
        int cut = at >= 0 ? at : at == -1 ? midRecord(pipe, 400) : midRecord(pipe, 3000);
        byte[] b = Arrays.copyOf(pipe, cut);
        assertThatThrownBy(() -> readAllPipe(b)).isInstanceOf(TraceFormatException.class);
    }

    /** 5 bytes into the n-th record of the pipe stream: always inside its header or body. */
    private static int midRecord(byte[] p, int n) {
        ByteBuffer b = le(p);
        int off = 16;
        for (int i = 0; i < n; i++) {
            int type = b.getInt(off);
            off += (b.getShort(off + 6) & 0xffff) + (type == 66 ? b.getInt(off + 8) : 0);
        }
        return off + 5;
    }

    /** Random byte damage anywhere: the reader may succeed or throw TraceFormatException, nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"file", "zfile", "pipe", "zpipe"})
    void randomDamage(String which) throws IOException {
        byte[] base = which.equals("file") ? file : which.equals("zfile") ? zfile : which.equals("pipe") ? pipe : zpipe;
        Random rnd = new Random(which.hashCode());
        int failures = 0;
        for (int iter = 0; iter < 100; iter++) {
            byte[] b = base.clone();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                // mostly inside the header and the first records, where sizes and ids live
                int pos = rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 40_000)) : rnd.nextInt(b.length);
                b[pos] = (byte) rnd.nextInt(256);
            }
            try {
                if (which.endsWith("pipe")) {
                    readAllPipe(b);
                } else {
                    readAll(write(b));
                }
            } catch (TraceFormatException e) {
                failures++;
            } catch (IOException | RuntimeException | Error e) {
                fail("iteration " + iter + " of " + which + ": " + e, e);
            }
        }
        assertThat(failures).isPositive();
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
        return -1;
    }
}
