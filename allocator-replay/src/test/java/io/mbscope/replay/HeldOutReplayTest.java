package io.mbscope.replay;

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
    })
    void replay(String folder, double floorHints, double floorTraceOnly) throws Exception {
        new CorpusReplayTest().replay(folder, floorHints, floorTraceOnly);
    }
}
