package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** metadata_csum checks done as the kernel does them at mount and at bitmap load. */
class ChecksumTest {
    @TempDir
    Path tmp;

    static List<String> folders() {
        return Corpus.FOLDERS;
    }

    /** Every corpus fs has metadata_csum; every checksum mke2fs wrote must verify. */
    @ParameterizedTest
    @MethodSource("folders")
    void corpusChecksumsVerify(String folder) throws IOException {
        FsState s = FsStateLoader.fromImage(Corpus.folder(folder).resolve("image-before.img.zst"));
        assertThat(s.geometry().metadataCsum()).isTrue();
        assertThat(s.corruptGroups()).isEmpty();
    }

    @Test
    void knownVectors() {
        // RFC 3720 B.4: CRC32C of 32 zero bytes is 0x8A9136AA (with the usual ~0 seed and final inversion)
        assertThat(~Checksums.crc32c(~0, new byte[32], 0, 32)).isEqualTo(0x8A9136AA);
        byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(~Checksums.crc32c(~0, digits, 0, 9)).isEqualTo(0xE3069283);
        // CRC-16/ARC check value of "123456789" is 0xBB3D (init 0); the kernel's crc16 is that algorithm
        assertThat(Checksums.crc16(0, digits, 0, 9)).isEqualTo(0xBB3D);
    }

    private Path plainCopy(String folder, int headBytes, long totalBytes) throws IOException {
        Path p = tmp.resolve(folder + ".img");
        try (InputStream in = new ZstdInputStream(Files.newInputStream(
                Corpus.folder(folder).resolve("image-before.img.zst")))) {
            Files.write(p, in.readNBytes(headBytes));
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(totalBytes);
        }
        return p;
    }

    private static void flip(Path p, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void damagedBitmapMarksOnlyThatGroupCorrupt() throws IOException {
        // 1k fs: "Group 2 ... Block bitmap at 261", an initialised group
        Path p = plainCopy("6.18.44-1k", 1 << 20, 64L << 20);
        assertThat(FsStateLoader.fromImage(p).corruptGroups()).isEmpty();
        flip(p, 261L * 1024 + 100);
        FsState s = FsStateLoader.fromImage(p);
        assertThat(s.corruptGroups()).containsExactly(2);
        assertThat(s.bitmapCorrupt(0)).isFalse();
    }

    @Test
    void damagedDescriptorIsRefused() throws IOException {
        // descriptors of a 1k fs are in block 2; group 3's descriptor starts at 2048 + 3 * 64
        Path p = plainCopy("6.18.44-1k", 1 << 20, 64L << 20);
        flip(p, 2048 + 3 * 64 + 14);   // bg_free_inodes_count_lo
        assertThatThrownBy(() -> FsStateLoader.fromImage(p)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("group descriptor 3").hasMessageContaining("descriptor checksum");
    }

    @Test
    void damagedSuperblockIsRefused() throws IOException {
        Path p = plainCopy("6.18.44-4k", 1 << 20, 128L << 20);
        flip(p, 1024 + 48);            // s_wtime: harmless to parsing, caught by the checksum
        assertThatThrownBy(() -> FsStateLoader.fromImage(p)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("superblock checksum");
    }
}
