package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the held-out captures: kernels and fs layouts the model was not written against (2 KiB
 * blocks, 32 KiB clusters, no flex_bg, stripe=, changed sysfs tunables, many groups with and
 * without mb_optimize_scan, Debian 6.1 under QEMU). Same checks as {@link CorpusReplayTest}
 * (allocations = trace-cmd's ext4_request_blocks lines, zero unexplained, only journal-commit
 * timing left with the syscall log); the floors are the rates measured when each capture was
 * added (sample-traces/README.md), so they can only go up.
 */
class HeldOutReplayTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // folder,                exact floor with hints, exact floor trace only
        "6.18.44-2k,                1.000, 0.998",
        "6.18.44-bigalloc32k,       1.000, 1.000",
        "6.18.44-4k-noflex,         1.000, 0.997",
        "6.18.44-4k-stripe,         1.000, 0.998",
        // trace only: closed 5-6 block files exceed mb_stream_req=4, and without the syscall log
        // the model cannot see the close (ext4_mb_group_or_file then says NOPREALLOC, not stream)
        "6.18.44-4k-tunables,       1.000, 0.913",
        "6.18.44-4k-1g,             1.000, 0.998",
        "6.18.44-4k-3g,             1.000, 0.998",
        "6.18.44-4k-nooptscan,      1.000, 0.998",
        // 1 KiB trace only: closes are not in the trace (as for the corpus' 6.18.44-1k)
        "6.18.44-1k-256m,           1.000, 0.912",
        "6.18.44-1k-256m-nooptscan, 1.000, 0.912",
        "6.18.44-1k-optscan,        1.000, 0.914",
        // ext4wl -s 2: twice the small files and aging rounds on 64 MiB, 1 KiB blocks
        "6.18.44-1k-s2,             1.000, 0.901",
        "6.18.44-1k-s2-optscan,     1.000, 0.900",
        // Debian 6.1.192 under QEMU: only journal-commit timing (the slow guest commits sooner)
        "6.1.192-4k,                0.995, 0.994",
    })
    void replay(String folder, double floorHints, double floorTraceOnly) throws Exception {
        new CorpusReplayTest().replay(folder, floorHints, floorTraceOnly);
    }

    /**
     * Held-out captures where the model still diverges for other reasons than commit timing
     * (listed in /work/wt/NEW-CAPTURES.md for the model's owners): the request count, the floors
     * and "nothing unexplained" are asserted; the classes are printed, not pinned.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // 6.1 mb_optimize_scan on (32 groups >= 16): SCAN_ORDER 101, CRITERION 4 (cr 2 = 6.1's CR2)
        "6.1.192-1k,                0.860, 0.857",
        // 6.1 stream goal: GOAL 3
        "6.1.192-bigalloc16k,       0.995, 0.994",
    })
    void replayWithKnownGaps(String folder, double floorHints, double floorTraceOnly) throws Exception {
        Corpus c = Corpus.load(folder);
        int requests = CorpusReplayTest.countInReport(c, "ext4_request_blocks:");
        ReplayResult hinted = c.replay(ReplayOptions.defaults(), true);
        ReplayResult alone = c.replay(ReplayOptions.defaults(), false);
        CorpusReplayTest.print(folder + " [" + c.source + "] hints", hinted);
        CorpusReplayTest.print(folder + " [" + c.source + "] trace", alone);
        assertThat(hinted.allocations()).isEqualTo(requests);
        assertThat(alone.allocations()).isEqualTo(requests);
        assertThat(hinted.exactRate()).isGreaterThanOrEqualTo(floorHints);
        assertThat(alone.exactRate()).isGreaterThanOrEqualTo(floorTraceOnly);
        assertThat(hinted.unexplained()).isZero();
        assertThat(alone.unexplained()).isZero();
    }
}
