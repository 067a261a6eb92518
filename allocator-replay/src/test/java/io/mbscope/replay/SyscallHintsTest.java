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
    static final int BENCH_HEAD_FSYNCS = 19;

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

    /**
     * The bench workload's log (shared/bench, first 199 rows kept) has 11 columns and no fd: its
     * successful fsyncs are commit hints (counted with awk: $3=="fsync" && $8=="0"), its closes name no
     * descriptor and give none. Session 1 skipped every such row silently.
     */
    @Test
    void benchSchemaWithoutFdGivesItsSyncs() throws Exception {
        Path csv = Path.of(SyscallHintsTest.class.getResource("/syscalls/bench-schema-head.csv").toURI());
        assertThat(SyscallHints.load(csv).size()).isEqualTo(BENCH_HEAD_FSYNCS);
    }

    @Test
    void aShortRowIsAnErrorNamingTheLine(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("syscalls.csv");
        Files.writeString(csv, "seq,phase,op,file,offset,length,flags,ret,errno,t_start_ns,t_end_ns\n"
                + "1,p,fsync,f,0,0,,0,0,10,20\n2,p,fsync,f,0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyscallHints.load(csv))
                .hasMessageContaining("line 3").hasMessageContaining("expected 11 columns");
    }

    @Test
    void aHeaderWithoutTheNeededColumnsIsAnError(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("syscalls.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyscallHints.load(csv))
                .hasMessageContaining("op, ret and t_end_ns");
    }
}
