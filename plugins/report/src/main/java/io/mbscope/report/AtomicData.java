package io.mbscope.report;

import io.mbscope.replay.atomic.AtomicRow;
import io.mbscope.replay.atomic.AtomicSummary;
import java.util.List;

/**
 * The atomic helper's verdicts for one trace: every pwritev2(RWF_ATOMIC) with the kernel's result,
 * the mainline prediction, where the data went and the 2023 RFC aligned-allocator what-if.
 *
 * @param blockSize fs block size, to turn physical byte addresses into blocks
 */
public record AtomicData(AtomicSummary summary, List<AtomicRow> rows, int blockSize) {
    public AtomicData {
        rows = List.copyOf(rows);
    }
}
