package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallHintsTest {
    /** 581 = successful fsync/fdatasync/syncfs rows + close rows, counted with awk over the csv. */
    static final int HINTS_6_18_4K = 581;

    @Test
    void plainAndZstdGiveTheSameHints(@TempDir Path tmp) throws Exception {
        Path csv = Corpus.root().resolve("6.18.44-4k/syscalls.csv");
        assertThat(SyscallHints.load(csv).size()).isEqualTo(HINTS_6_18_4K);
        // captures larger than a few MB ship the log as syscalls.csv.zst (bench-1m does)
        Path zst = tmp.resolve("syscalls.csv.zst");
        try (OutputStream o = new ZstdOutputStream(Files.newOutputStream(zst))) {
            Files.copy(csv, o);
        }
        assertThat(SyscallHints.load(zst).size()).isEqualTo(HINTS_6_18_4K);
    }
}
