package io.mbscope.parsers.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of a real capture (7.3.4-4k, v7 zstd and its v6 conversion): every failure must be
 * a TraceFormatException naming the file and an offset, never another exception, a hang or an OOM.
 */
class CorruptTraceDatTest {
    @TempDir
    static Path tmp;
    static byte[] v7;
    static byte[] v6;

    @BeforeAll
    static void load() throws IOException {
        v7 = Files.readAllBytes(SampleTraces.root().resolve("7.3.4-4k").resolve("trace.dat"));
        v6 = Files.readAllBytes(SampleTraces.unzstd("7.3.4-4k", "trace-v6.dat.zst", tmp));
    }

    static Path write(String name, byte[] data) throws IOException {
        return Files.write(tmp.resolve(name), data);
    }

    /** Opens and reads to the end; returns the exception, or null if the file read cleanly. */
    static Exception drain(Path p, String name) {
        try (TraceReader r = TraceDatReader.open(p, name)) {
            while (r.next() != null) {
                // read everything: page data is checked lazily
            }
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    static void assertFormatError(Exception e, String name) {
        assertThat(e).as(name).isNotNull();
        if (!(e instanceof TraceFormatException)) {
            fail(name + ": expected a TraceFormatException, got " + e, e);
        }
        assertThat(e.getMessage()).as(name).startsWith(name + " at offset ");
    }

    @Test
    void truncatedFilesFailWithAnOffset() throws IOException {
        for (byte[] file : new byte[][] {v7, v6}) {
            String kind = file == v7 ? "v7" : "v6";
            // v7 ends with a STRINGS section (section descriptions) that reading does not need, so
            // v7 cuts stop inside the last options section; v6 ends with page data.
            long end = file == v7 ? lastOptionsEnd(file) : file.length;
            long[] cuts = {0, 5, 12, 20, 40, 100, 1000, 4096, 20_000, file.length / 3, file.length / 2,
                (long) file.length * 9 / 10, end - 4096, end - 100, end - 1};
            for (long cut : cuts) {
                String name = kind + "-cut-" + cut + ".dat";
                Path p = write(name, Arrays.copyOf(file, (int) cut));
                Exception e = drain(p, name);
                assertFormatError(e, name);
                assertThat(e).as(name).isNotInstanceOf(UnsupportedFormatException.class);
                Files.delete(p);
            }
        }
    }

    /** End of the last options section of v7: follow the DONE chain. */
    static long lastOptionsEnd(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        long at = firstOptions(f);
        while (true) {
            long end = at + 16 + b.getLong((int) at + 8);
            // The DONE option is last: u16 id 0, u32 size 8, u64 next.
            long next = b.getLong((int) end - 8);
            if (next == 0) {
                return end;
            }
            at = next;
        }
    }

    @Test
    void v7WithoutItsTrailingStringsSectionStillReads() throws IOException {
        String name = "nostrings.dat";
        Path p = write(name, Arrays.copyOf(v7, (int) lastOptionsEnd(v7)));
        assertThat(lastOptionsEnd(v7)).isLessThan(v7.length);
        try (TraceReader r = TraceDatReader.open(p, name)) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(SampleTraces.report("7.3.4-4k").size());
        }
    }

    @Test
    void badMagic() throws IOException {
        byte[] f = v7.clone();
        f[1] = 0x09;
        String name = "magic.dat";
        assertThatThrownBy(() -> TraceDatReader.open(write(name, f), name))
                .isExactlyInstanceOf(TraceFormatException.class)
                .hasMessageContaining("magic.dat at offset 0")
                .hasMessageContaining("expected trace.dat magic");
    }

    @Test
    void unknownVersionIsUnsupported() throws IOException {
        byte[] f = v7.clone();
        f[10] = '8';
        String name = "v8.dat";
        assertThatThrownBy(() -> TraceDatReader.open(write(name, f), name))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("v8.dat at offset 10")
                .hasMessageContaining("version '8'");
    }

    /** Offset of the first options section: after magic, "7\0", endian, long size, page size, "zstd\0", "1.5.4\0". */
    static int firstOptions(byte[] f) {
        int p = 10 + 2 + 1 + 1 + 4;
        while (f[p] != 0) {
            p++;
        }
        p++;
        while (f[p] != 0) {
            p++;
        }
        p++;
        return (int) ByteBuffer.wrap(f, p, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void sectionSizePastTheEnd() throws IOException {
        byte[] f = v7.clone();
        int at = firstOptions(f);
        assertThat(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getShort(at)).as("options section id").isZero();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 8, f.length);
        String name = "size.dat";
        assertThatThrownBy(() -> TraceDatReader.open(write(name, f), name))
                .isExactlyInstanceOf(TraceFormatException.class)
                .hasMessageContaining("size.dat at offset " + (at + 8))
                .hasMessageContaining("options section")
                .hasMessageContaining("found " + f.length);
    }

    @Test
    void v6CpuDataPastTheEnd() throws IOException {
        // The instance buffer's flyrecord table: make CPU 1's size reach past the end of the file.
        byte[] f = v6.clone();
        // Two tables follow each other in the header: the top-level one (empty) and the instance's.
        int top = SyntheticTraceDatTest.indexOf(f, "flyrecord\0".getBytes());
        int fly = top + 10 + SyntheticTraceDatTest.indexOf(Arrays.copyOfRange(f, top + 10, f.length),
                "flyrecord\0".getBytes());
        int table = fly + 10;
        assertThat(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(table + 16)).as("CPU 1 offset").isPositive();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(table + 24, f.length);
        String name = "cpu.dat";
        assertThatThrownBy(() -> TraceDatReader.open(write(name, f), name))
                .isExactlyInstanceOf(TraceFormatException.class)
                .hasMessageContaining("cpu.dat at offset " + (table + 16))
                .hasMessageContaining("CPU 1");
    }

    @Test
    void randomByteDamageNeverEscapesAsAnotherException() throws IOException {
        Random rnd = new Random(20261125);
        for (byte[] file : new byte[][] {v7, v6}) {
            String kind = file == v7 ? "v7" : "v6";
            int opts = file == v7 ? firstOptions(file) : 0;
            for (int i = 0; i < 12; i++) {
                byte[] f = file.clone();
                // Mostly the metadata (the first 64 KiB, and v7's option sections at the end), some page data.
                int region = rnd.nextInt(3);
                int pos = switch (region) {
                    case 0 -> rnd.nextInt(Math.min(f.length, 65536));
                    case 1 -> file == v7 ? opts + rnd.nextInt(f.length - opts) : rnd.nextInt(f.length);
                    default -> rnd.nextInt(f.length);
                };
                int n = 1 + rnd.nextInt(4);
                for (int k = 0; k < n && pos + k < f.length; k++) {
                    f[pos + k] = (byte) rnd.nextInt(256);
                }
                String name = kind + "-damage-" + i + "-at-" + pos + ".dat";
                Path p = write(name, f);
                Exception e = drain(p, name);
                if (e != null && !(e instanceof TraceFormatException)) {
                    fail(name + ": expected a TraceFormatException, got " + e, e);
                }
                Files.delete(p);
            }
        }
    }
}
