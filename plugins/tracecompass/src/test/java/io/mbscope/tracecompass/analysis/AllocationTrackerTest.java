package io.mbscope.tracecompass.analysis;

import static io.mbscope.tracecompass.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The per-inode and per-group bookkeeping on hand-made event sequences whose outcome follows from
 * the kernel's rules (MBALLOC-FACTS §1, §2.6, §2.8): a PA of 16 clusters at block 1000, two uses of
 * 4, a metadata block for another inode, the discard of the PA's rest, then a 2-block punch.
 */
class AllocationTrackerTest {

    @Test
    void inodeExtentsPaAndFreeSpace() {
        AllocationTracker a = new AllocationTracker(CaptureStart.UNKNOWN);
        FreeSpaceTracker f = new FreeSpaceTracker(CaptureStart.UNKNOWN);
        TraceEvent[] seq = {
            newInodePa(100, 12, 1000, 0, 16),
            mballocAlloc(110, 12, 0, 1000, 16, 0),
            allocate(120, 12, HINT_DATA, 4, 1000, 0),
            mballocPrealloc(200, 12, 0, 1004, 4, 4),
            allocate(210, 12, HINT_DATA, 4, 1004, 4),
            mballocAlloc(300, 13, 0, 5000, 1, 0),
            allocate(310, 13, 0, 1, 5000, 0),
        };
        for (TraceEvent e : seq) {
            a.apply(e);
            f.apply(e);
        }
        AllocationTracker.Inode i12 = a.inode(12L);
        assertThat(i12.extents()).isEqualTo(1);           // 1000..1007 at logical 0..7: one extent
        assertThat(i12.dataBlocks()).isEqualTo(8);
        assertThat(i12.paCount()).isEqualTo(1);
        assertThat(i12.paFree()).isEqualTo(8);             // 16 - 4 - 4
        assertThat(a.inode(13L).metaBlocks()).isEqualTo(1);
        assertThat(a.inode(13L).dataBlocks()).isZero();
        assertThat(f.absolute()).isFalse();
        assertThat(f.free(0)).isEqualTo(-9);               // only handed-out clusters leave the disk count

        assertThat(a.apply(releaseInodePa(400, 12, 1008, 8))).containsExactly(12L);
        assertThat(a.inode(12L).paCount()).isZero();
        a.apply(freeBlocks(500, 12, 1002, 2, 0));
        f.apply(mballocFree(510, 12, 0, 1002, 2));
        assertThat(a.inode(12L).extents()).isEqualTo(2);   // [1000,1002)@0 and [1004,1008)@4
        assertThat(a.inode(12L).dataBlocks()).isEqualTo(6);
        assertThat(f.free(0)).isEqualTo(-7);
        assertThat(f.unattributed()).isZero();

        a.apply(freeBlocks(600, 12, 1000, 8, 0));
        assertThat(a.inode(12L)).as("nothing left: inode dropped").isNull();
    }

    @Test
    void paUsedUpDisappearsWithoutEvent() {
        // ext4_mb_put_pa frees a PA whose pa_free reached 0: no tracepoint, so the tracker must
        AllocationTracker a = new AllocationTracker(CaptureStart.UNKNOWN);
        a.apply(newGroupPa(1, 14, 37376, 512));
        assertThat(a.groupPaFree()).isEqualTo(512);
        a.apply(allocate(2, 14, HINT_DATA, 1, 37376, 0));
        a.apply(allocate(3, 15, HINT_DATA, 511, 37377, 0));
        assertThat(a.groupPaCount()).isZero();
        assertThat(a.inode(14L).paCount()).isZero();
    }

    @Test
    void collapseRangeShiftsLogicalOffsets() {
        AllocationTracker a = new AllocationTracker(CaptureStart.UNKNOWN);
        a.apply(allocate(1, 18, HINT_DATA, 256, 40960, 0));
        a.apply(allocate(2, 18, HINT_DATA, 256, 41216, 256)); // one extent 0..511
        a.apply(freeBlocks(3, 18, 41216 - 128, 128, 0));     // hole at logical 128..255
        assertThat(a.inode(18L).extents()).isEqualTo(2);
        // collapse logical 128..255 (bytes 524288 + 524288): the tail moves to 128, physically not adjacent
        a.apply(new TraceEvent.RangeOp(new EventHeader(4, 0, 1, "x"), "ext4_collapse_range", DEV, 18,
                128 * 4096L, 128 * 4096L, 0, null));
        assertThat(a.inode(18L).extents()).isEqualTo(2);
        assertThat(a.inode(18L).runs.lastEntry().getValue()[0]).isEqualTo(128);
    }

    @Test
    void removeRangeSplitsRuns() {
        TreeMap<Long, long[]> runs = new TreeMap<>();
        runs.put(100L, new long[] {0, 10});
        runs.put(200L, new long[] {10, 10});
        assertThat(AllocationTracker.removeRange(runs, 105, 100)).isEqualTo(10); // 105..109 and 200..204
        assertThat(runs.keySet()).containsExactly(100L, 205L);
        assertThat(runs.get(100L)[1]).isEqualTo(5);
        assertThat(runs.get(205L)).containsExactly(15, 5);
    }
}
