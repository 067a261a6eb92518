package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.event.TraceEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays every corpus folder. Floors are the exact-match rates the model reaches (goal ≥ 99 %):
 * with the capture's syscall log as commit/close hints (fsync/syncfs = journal commit, close = no
 * writer), and from the trace alone (commits then from fsync-style writeback run by the user task,
 * synchronous writes seen in the trace and the kernel's own reuse of freed clusters; closes from
 * a descriptor number reused for another inode and from the discards ext4_da_update_reserve_space
 * and ext4_release_file fire; a close just before a syncfs stays invisible: OPEN_STATE_NOT_TRACED).
 */
class CorpusReplayTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // folder,           exact floor with hints, exact floor trace only
        "7.3.4-4k,              1.000, 0.998",
        "7.3.4-bigalloc64k,     0.998, 0.998",
        "6.18.44-4k,            1.000, 0.998",
        "6.18.44-1k,            1.000, 0.998",
        "6.18.44-bigalloc16k,   1.000, 1.000",
        "6.18.44-bigalloc64k,   1.000, 1.000",
        "6.12.117-4k,           1.000, 0.998",
        "6.12.117-bigalloc16k,  1.000, 0.998",
        "6.12.117-bigalloc64k,  1.000, 1.000",
        // held-out layouts captured in session 2 (6.18.44 host kernel, loop device)
        "6.18.44-2k,                 1.000, 0.998",
        "6.18.44-bigalloc32k,        1.000, 1.000",
        "6.18.44-4k-noflex,          1.000, 0.997",
        "6.18.44-4k-stripe,          1.000, 0.998",
        "6.18.44-4k-tunables,        1.000, 0.998",
        "6.18.44-4k-1g,              1.000, 0.998",
        "6.18.44-4k-3g,              1.000, 0.998",
        "6.18.44-4k-nooptscan,       1.000, 0.998",
        "6.18.44-1k-256m,            1.000, 0.997",
        "6.18.44-1k-256m-nooptscan,  1.000, 0.997",
        "6.18.44-1k-optscan,         1.000, 0.998",
        "6.18.44-1k-s2,              1.000, 0.999",
        "6.18.44-1k-s2-optscan,      1.000, 0.999",
        // Debian 6.1.192 under QEMU (list scanner, CR0-CR3, cold buddies after mount)
        "6.1.192-4k,                 0.995, 0.994",
        "6.1.192-1k,                 0.994, 0.992",
        "6.1.192-bigalloc16k,        1.000, 0.998",
    })
    void replay(String folder, double floorHints, double floorTraceOnly) throws Exception {
        Corpus c = Corpus.load(folder);
        int requests = countInReport(c, "ext4_request_blocks:");

        ReplayResult hinted = c.replay(ReplayOptions.defaults(), true);
        ReplayResult alone = c.replay(ReplayOptions.defaults(), false);
        print(folder + " [" + c.source + "] hints", hinted);
        print(folder + " [" + c.source + "] trace", alone);

        // every ext4_mb_new_blocks() call trace-cmd printed was compared
        assertThat(hinted.allocations()).isEqualTo(requests);
        assertThat(alone.allocations()).isEqualTo(requests);
        assertThat(hinted.exactRate()).isGreaterThanOrEqualTo(floorHints);
        assertThat(alone.exactRate()).isGreaterThanOrEqualTo(floorTraceOnly);
        assertThat(hinted.unexplained()).isZero();
        assertThat(alone.unexplained()).isZero();
        // the per-class counts add up to the divergent requests
        assertThat(hinted.byClass().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(hinted.allocations() - hinted.exact());
        // with the syscall log, only what no trace shows is left: journal-commit timing, and (6.1) which
        // buddies the bitmap prefetch had generated
        assertThat(hinted.byClass().keySet()).allMatch(k -> k == DivergenceClass.FREED_NOT_COMMITTED
                || k == DivergenceClass.UNKNOWN_INITIAL_STATE);
        // the scan itself, not only its outcome: where the model found the kernel's extent, it measured
        // as many extents (ac_found, "blks") in as many groups (ac_groups_scanned, "grps") as the kernel
        for (AllocationVerdict v : hinted.verdicts()) {
            if (v.exact() && v.kernelAlloc() != null && !v.prediction().preallocated()) {
                assertThat(v.prediction().found()).as("ac_found at %d", v.timestampNs()).isEqualTo(v.kernelAlloc().found());
                assertThat(v.prediction().groups()).as("ac_groups_scanned at %d", v.timestampNs())
                        .isEqualTo(v.kernelAlloc().groups());
            }
        }
    }

    static void print(String label, ReplayResult r) {
        System.out.printf("%-40s %4d alloc %4d exact %6.2f%% unexplained %d %s%n", label, r.allocations(), r.exact(),
                100 * r.exactRate(), r.unexplained(), r.byClass());
        if (Boolean.getBoolean("replay.verbose")) {
            for (AllocationVerdict v : r.verdicts()) {
                if (!v.exact()) {
                    System.out.println("  " + v.request().timestampNs() + " ino " + v.ino() + " " + v.divergences());
                }
            }
        }
    }

    static int countInReport(Corpus c, String needle) throws IOException {
        int n = 0;
        try (InputStream in = new ZstdInputStream(Files.newInputStream(c.dir.resolve("report.txt.zst")));
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = br.readLine()) != null) {
                if (line.contains(needle)) {
                    n++;
                }
            }
        }
        return n;
    }
}
