package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt, truncated and foreign inputs: always TraceFormatException, never another exception. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static Path corpusImage(String folder) {
        return Corpus.folder(folder).resolve("image-before.img.zst");
    }

    private static Path corpusDump(String folder) {
        return Corpus.folder(folder).resolve("dumpe2fs-before.txt");
    }

    /** The first {@code n} bytes of a corpus image, decompressed. */
    private static byte[] head(String folder, int n) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(corpusImage(folder)))) {
            return in.readNBytes(n);
        }
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, data);
        return p;
    }

    private Path zstd(String name, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(p))) {
            out.write(data);
        }
        return p;
    }

    @Test
    void nonExt4FileNamesTheMagic() throws IOException {
        Path meta = Corpus.folder("6.18.44-4k").resolve("meta.txt");
        assertThatThrownBy(() -> FsStateLoader.fromImage(meta)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("meta.txt at offset 1080")
                .hasMessageMatching("(?s).*expected ext4 superblock magic 0xEF53, found 0x[0-9A-F]{4}.*");
        Path zeros = write("zeros.img", new byte[1 << 20]);
        assertThatThrownBy(() -> FsStateLoader.fromImage(zeros)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected ext4 superblock magic 0xEF53, found 0x0000");
        // a trace file compressed with zstd: decompresses fine, is not ext4
        Path report = Corpus.folder("6.18.44-4k").resolve("report.txt.zst");
        assertThatThrownBy(() -> FsStateLoader.fromImage(report)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected ext4 superblock magic 0xEF53");
    }

    @Test
    void tinyAndEmptyFiles() throws IOException {
        for (int n : new int[] {0, 1, 4, 1100, 2047}) {
            Path p = write("tiny" + n + ".img", new byte[n]);
            assertThatThrownBy(() -> FsStateLoader.fromImage(p)).as("%d bytes", n)
                    .isInstanceOf(TraceFormatException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void truncatedPlainImage() throws IOException {
        // 4k fs: block bitmaps at blocks 33 and 34 (dumpe2fs "Block bitmap at 33"): cut before them
        Path before = write("cut100k.img", head("6.12.117-4k", 100 * 1024));
        assertThatThrownBy(() -> FsStateLoader.fromImage(before)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("the raw image has 102400 (truncated image?)");
        // cut after the bitmaps: the 256 MiB fs does not fit in 1 MiB
        Path after = write("cut1m.img", head("6.12.117-4k", 1 << 20));
        assertThatThrownBy(() -> FsStateLoader.fromImage(after)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected at least 268435456 bytes");
    }

    @Test
    void truncatedImageCompressed() throws IOException {
        Path z = zstd("cut1m.img.zst", head("6.18.44-1k", 1 << 20));
        assertThatThrownBy(() -> FsStateLoader.fromImage(z)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected at least 67108864 bytes");
        assertThatThrownBy(() -> FsStateLoader.fromImage(z, true)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected at least 67108864 bytes");
        Path z2 = zstd("cut4k.img.zst", head("6.18.44-1k", 4096));
        assertThatThrownBy(() -> FsStateLoader.fromImage(z2)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void zstdFileCutShort() throws IOException {
        byte[] all = Files.readAllBytes(corpusImage("6.12.117-4k"));
        for (int cut : new int[] {3, 5, 20, all.length / 3, all.length / 2, all.length - 5}) {
            Path p = write("cut" + cut + ".img.zst", Arrays.copyOf(all, cut));
            assertThatThrownBy(() -> FsStateLoader.fromImage(p)).as("cut at %d of %d", cut, all.length)
                    .isInstanceOf(TraceFormatException.class);
        }
    }

    /** A whole plain copy of the image loads exactly like the .zst (holes in the copy are fine). */
    @Test
    void plainImageWithHolesLoadsLikeZstd() throws IOException {
        byte[] head = head("6.18.44-1k", 5 << 20);
        Path p = write("plain.img", head);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(64L << 20); // the rest of the 1k image is zeros: leave it as a hole
        }
        FsState plain = FsStateLoader.fromImage(p, true);
        FsState z = FsStateLoader.fromImage(corpusImage("6.18.44-1k"));
        assertThat(plain.firstDifference(z)).isNull();
        assertThat(plain.source()).isEqualTo("plain.img");
    }

    /** Android sparse images (libsparse v1): RAW, FILL and DONT_CARE chunks; plain and inside zstd. */
    @Test
    void androidSparseImage() throws IOException {
        byte[] raw = head("6.18.44-1k", 64 << 20);
        assertThat(raw).hasSize(64 << 20);
        byte[] sparse = toAndroidSparse(raw, 4096, true);
        Path p = write("fs.simg", sparse);
        FsState s = FsStateLoader.fromImage(p, true);
        FsState z = FsStateLoader.fromImage(corpusImage("6.18.44-1k"));
        assertThat(s.firstDifference(z)).isNull();
        Path pz = zstd("fs.simg.zst", sparse);
        assertThat(FsStateLoader.fromImage(pz, true).firstDifference(z)).isNull();

        // bad chunk type
        byte[] bad = sparse.clone();
        bad[28] = (byte) 0x99;
        Path pb = write("bad.simg", bad);
        assertThatThrownBy(() -> FsStateLoader.fromImage(pb)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("chunk type");
        // cut short
        Path pc = write("cut.simg", Arrays.copyOf(sparse, sparse.length / 2));
        assertThatThrownBy(() -> FsStateLoader.fromImage(pc, true)).isInstanceOf(TraceFormatException.class);
        // unknown major version
        byte[] v2 = sparse.clone();
        v2[4] = 2;
        Path pv = write("v2.simg", v2);
        assertThatThrownBy(() -> FsStateLoader.fromImage(pv)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("major version 2");
    }

    /** Builds a libsparse v1 image: zero blocks as DONT_CARE, repeated 4-byte patterns as FILL. */
    static byte[] toAndroidSparse(byte[] raw, int bs, boolean useFill) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> chunks = new ArrayList<>();
        int blocks = raw.length / bs;
        int i = 0;
        while (i < blocks) {
            int kind = kind(raw, i, bs, useFill);
            int j = i + 1;
            while (j < blocks && kind(raw, j, bs, useFill) == kind
                    && (kind != 2 || Arrays.equals(raw, i * bs, i * bs + 4, raw, j * bs, j * bs + 4))) {
                j++;
            }
            int n = j - i;
            ByteBuffer c;
            if (kind == 0) {
                c = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                c.putShort((short) 0xCAC3).putShort((short) 0).putInt(n).putInt(12);
            } else if (kind == 2) {
                c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                c.putShort((short) 0xCAC2).putShort((short) 0).putInt(n).putInt(16).put(raw, i * bs, 4);
            } else {
                c = ByteBuffer.allocate(12 + n * bs).order(ByteOrder.LITTLE_ENDIAN);
                c.putShort((short) 0xCAC1).putShort((short) 0).putInt(n).putInt(12 + n * bs).put(raw, i * bs, n * bs);
            }
            chunks.add(c.array());
            i = j;
        }
        ByteBuffer h = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xED26FF3A).putShort((short) 1).putShort((short) 0).putShort((short) 28).putShort((short) 12)
                .putInt(bs).putInt(blocks).putInt(chunks.size()).putInt(0);
        out.writeBytes(h.array());
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static int kind(byte[] raw, int block, int bs, boolean useFill) {
        int o = block * bs;
        boolean zero = true, fill = true;
        for (int k = 0; k < bs; k++) {
            if (raw[o + k] != 0) {
                zero = false;
            }
            if (raw[o + k] != raw[o + (k & 3)]) {
                fill = false;
            }
        }
        return zero ? 0 : useFill && fill ? 2 : 1;
    }

    @Test
    void dumpe2fsOfGarbage() throws IOException {
        byte[] rnd = new byte[100_000];
        new Random(7).nextBytes(rnd);
        for (Path p : List.of(write("random.txt", rnd), write("empty.txt", new byte[0]),
                Corpus.folder("6.18.44-4k").resolve("meta.txt"), Corpus.folder("6.18.44-4k").resolve("mkfs.txt"),
                corpusImage("6.18.44-4k"), Corpus.folder("6.18.44-4k").resolve("report.txt.zst"))) {
            assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(p)).as(p.toString())
                    .isInstanceOf(TraceFormatException.class);
        }
        Path noNewline = write("oneline.txt", "x".repeat(5 << 20).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(noNewline)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("line longer than");
    }

    @Test
    void dumpe2fsHeaderOnlyOrCut() throws IOException {
        String text = Corpus.read(corpusDump("6.18.44-1k"));
        Path header = write("h.txt", text.substring(0, text.indexOf("Group 0:")).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(header)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("found none (output of dumpe2fs -h?)");
        Path cut = write("cut.txt", text.substring(0, text.indexOf("Group 5:")).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(cut)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected 8 groups, found 5");
        Path outside = write("outside.txt", text.replace("Free blocks: 8451-16384", "Free blocks: 8451-16385")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(outside)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("Group 1 free blocks");
        Path badMagic = write("magic.txt", text.replace("0xEF53", "0xEF54").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(badMagic)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("expected ext4 superblock magic 0xEF53, found 0xEF54");
        for (String[] r : new String[][] {{"Block count:              65536", "Block count:              99999999999999999999"},
                {"Free blocks: 8451-16384", "Free blocks: 8451-99999999999999999999"},
                {"Group 3: (Blocks", "Group 99999999999999999999: (Blocks"},
                {"Block bitmap at 262", "Block bitmap at 99999999999999999999"}}) {
            assertThat(text).contains(r[0]);
            Path p = write("big.txt", text.replace(r[0], r[1]).getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(p)).as(r[1]).isInstanceOf(TraceFormatException.class);
        }
        Path wrongGroup = write("g.txt", text.replace("Group 3: (Blocks 24577-32768)", "Group 3: (Blocks 24577-32769)")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FsStateLoader.fromDumpe2fs(wrongGroup)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("blocks 24577-32768");
    }

    /** A capture whose dumpe2fs belongs to another fs: the UUIDs differ. */
    @Test
    void dumpe2fsOfAnotherFs() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("mixed"));
        Files.copy(corpusImage("6.18.44-4k"), dir.resolve("image-before.img.zst"));
        Files.copy(corpusDump("7.3.4-4k"), dir.resolve("dumpe2fs-before.txt"));
        CaptureFolder cf = CaptureFolder.open(dir);
        assertThatThrownBy(() -> FsStateLoader.fromCapture(cf)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("Filesystem UUID");
    }

    /** Random byte damage in the metadata area: loads or TraceFormatException, nothing else. */
    @Test
    void fuzzImageMetadata() throws IOException {
        byte[] head = head("6.18.44-1k", 300 * 1024);
        Random rnd = new Random(42);
        Path p = tmp.resolve("fuzz.img");
        int loaded = 0, rejected = 0;
        for (int iter = 0; iter < 150; iter++) {
            byte[] b = head.clone();
            int flips = 1 + rnd.nextInt(8);
            for (int k = 0; k < flips; k++) {
                // superblock, descriptor block, bitmaps
                int region = rnd.nextInt(3);
                int off = region == 0 ? 1024 + rnd.nextInt(1024) : region == 1 ? 2048 + rnd.nextInt(1024)
                        : 259 * 1024 + rnd.nextInt(8 * 1024);
                b[off] = (byte) rnd.nextInt(256);
            }
            Files.write(p, b);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            try {
                FsStateLoader.fromImage(p);
                loaded++;
            } catch (TraceFormatException e) {
                rejected++;
            }
        }
        assertThat(loaded + rejected).isEqualTo(150);
        assertThat(rejected).isPositive();
    }

    /** Random edits of dumpe2fs text: parses or TraceFormatException, nothing else. */
    @Test
    void fuzzDumpe2fsText() throws IOException {
        String text = Corpus.read(corpusDump("6.18.44-1k"));
        Random rnd = new Random(43);
        Path p = tmp.resolve("fuzz.txt");
        int rejected = 0;
        for (int iter = 0; iter < 150; iter++) {
            StringBuilder sb = new StringBuilder(text);
            int edits = 1 + rnd.nextInt(5);
            for (int k = 0; k < edits; k++) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, "0123456789-,: \n[]".charAt(rnd.nextInt(17)));
                    default -> sb.setCharAt(at, (char) ('0' + rnd.nextInt(10)));
                }
            }
            Files.writeString(p, sb);
            try {
                FsStateLoader.fromDumpe2fs(p);
            } catch (TraceFormatException e) {
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
    }
}
