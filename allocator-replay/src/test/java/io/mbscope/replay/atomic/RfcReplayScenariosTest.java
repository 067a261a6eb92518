package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The RFC what-if on the allocator model, on hand-made file systems whose answers follow from the
 * RFC's rules by hand: 4 KiB blocks, 4 groups of 32768 blocks from block 0 (so buddy alignment is
 * absolute), no flex_bg, no stripe, 4 groups (mb_optimize_scan off), 6.17+ generation.
 */
class RfcReplayScenariosTest {

    static final int BPG = 32768;
    static final Geometry GEO = new Geometry(12, 0, 4L * BPG, 0, BPG, BPG, 4, 0, 0);
    static final FsLayout FS = new FsLayout(4096, 4096, 4L * BPG, 0, BPG, BPG, 8192, 0, true, false);
    static final DeviceAtomicLimits DEV = new DeviceAtomicLimits(4096, 1 << 20, 1 << 20, 0);
    static final long INO = 12; // group 0, no flex_bg: ext4_inode_to_goal_block gives block 0

    /** A what-if over a file system whose used blocks are those {@code used} accepts. */
    static RfcReplay whatIf(IntPredicate used, boolean fallback) {
        long[][] bm = new long[GEO.groupCount()][BPG / 64];
        for (int g = 0; g < bm.length; g++) {
            for (int i = 0; i < BPG; i++) {
                if (used.test(g * BPG + i)) {
                    bm[g][i >>> 6] |= 1L << (i & 63);
                }
            }
        }
        ReplayEngine engine = new ReplayEngine(GEO, MbTunables.defaults(GEO, false, 1), KernelGeneration.V6_17,
                g -> bm[g], new ReplayOptions(5_000_000_000L, false, false));
        return new RfcReplay(engine, FS, new RfcReplay.Options(fallback, false), true);
    }

    static AtomicWrite w(long off, long len) {
        return new AtomicWrite(off, len, 1, AtomicWrite.RWF_ATOMIC, true, true);
    }

    /** The first block at or after {@code goal} that starts {@code n} free blocks and is a multiple of n. */
    static long firstAlignedFree(IntPredicate used, long goal, int n) {
        for (long b = (goal + n - 1) / n * n; b + n <= 4L * BPG; b += n) {
            boolean free = true;
            for (long i = b; i < b + n && free; i++) {
                free = !used.test((int) i);
            }
            if (free && b / BPG == (b + n - 1) / BPG) {
                return b;
            }
        }
        return -1;
    }

    @Test
    void emptyFileSystemGivesTheFirstAlignedFreeExtentAfterTheGoal() {
        IntPredicate used = b -> b < 100; // group 0 metadata
        RfcReplay wi = whatIf(used, false);
        // 16 KiB at 0 of an empty file: no group PA for aligned requests (RFC 4/7), so STREAM_ALLOC; the
        // normalised window is 16 KiB = 4 blocks starting at the request; CR_POWER2_ALIGNED from the
        // stream group 0 takes the buddy's first order-2 chunk: [100, 104). That is also the first
        // 4-aligned free run after the goal (block 0), found here by brute force.
        RfcOutcome a = wi.evaluate(INO, w(0, 16384), DEV, 0, true);
        assertThat(a.verdict()).isEqualTo(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_ALLOCATED));
        assertThat(a.goalBlock()).isZero();
        assertThat(a.physBlock()).isEqualTo(100).isEqualTo(firstAlignedFree(used, 0, 4));
        assertThat(a.normalizedBlocks()).isEqualTo(4);
        assertThat(a.criterion()).isEqualTo(KernelGeneration.CR_POWER2_ALIGNED);
        // 16 KiB at 16 KiB: the file ends at 32 KiB, window 8 blocks from lblk 4, a power of two; the goal
        // follows the previous extent (ext4_ext_find_goal: 100 + 4); the first order-3 chunk is [104, 112),
        // the write takes 104..107 and an inode PA keeps 108..111 for lblk 8..11.
        RfcOutcome b = wi.evaluate(INO, w(16384, 16384), DEV, 0, true);
        assertThat(b.verdict().reason()).isEqualTo(Reason.RFC_OK_ALLOCATED);
        assertThat(b.goalBlock()).isEqualTo(104);
        assertThat(b.normalizedBlocks()).isEqualTo(8);
        assertThat(b.physBlock()).isEqualTo(104);
        assertThat(b.chunkBlocks()).isEqualTo(8);
        // 16 KiB at 32 KiB: the inode PA passes ext4_mb_pa_check (108 % 4 == 0, 4 blocks left): used as is
        RfcOutcome c = wi.evaluate(INO, w(32768, 16384), DEV, 0, true);
        assertThat(c.verdict().reason()).isEqualTo(Reason.RFC_OK_PREALLOC);
        assertThat(c.physBlock()).isEqualTo(108);
        // overwriting the first 16 KiB: one aligned extent already there
        assertThat(wi.evaluate(INO, w(0, 16384), DEV, 0, false).verdict().reason())
                .isEqualTo(Reason.RFC_OK_EXISTING);
        // 8 KiB at 4 KiB: RFC 6/7 refuses an offset that is not a multiple of the length before any mapping
        assertThat(wi.evaluate(INO, w(4096, 8192), DEV, 0, false).verdict().reason())
                .isEqualTo(Reason.RFC_MISALIGNED_OFFSET);
        assertThat(wi.placements()).isEqualTo(3);
        assertThat(wi.claimedClusters()).isEqualTo(12);
    }

    @Test
    void fragmentedFileSystemWithoutAnAlignedExtentFailsWithEnospc() {
        // free runs of two blocks that never start on an even block: [4k+1, 4k+3)
        IntPredicate used = b -> b % 4 == 0 || b % 4 == 3;
        RfcReplay wi = whatIf(used, true);
        assertThat(firstAlignedFree(used, 0, 2)).isEqualTo(-1);
        long freeBefore = wi.model().totalFree();
        assertThat(freeBefore).isEqualTo(2L * BPG); // half the file system is free, none of it 2-aligned
        RfcOutcome o = wi.evaluate(INO, w(0, 8192), DEV, 0, true);
        assertThat(o.verdict()).isEqualTo(Verdict.of(Errno.ENOSPC, Reason.RFC_NO_ALIGNED_SPACE));
        assertThat(o.enospcForAlignment()).isTrue();
        assertThat(o.firstAlignedAfterGoal()).isEqualTo(-1);
        assertThat(wi.model().totalFree()).isEqualTo(freeBefore);
        // one block is always aligned: any criterion may serve it (RFC 3/7), so the same fs accepts 4 KiB
        // (normalised to 16 KiB it would need CR_POWER2_ALIGNED and fail; the fallback switch is on here)
        RfcOutcome one = wi.evaluate(INO, w(0, 4096), DEV, 0, true);
        assertThat(one.verdict().success()).isTrue();
        assertThat(used.test((int) one.physBlock())).isFalse();
    }

    @Test
    void fallbackToTheOriginalLengthIsTheOnlyDifferenceBetweenRfcAndRfcFallback() {
        // free runs [4k, 4k+2): order-1 chunks only
        IntPredicate used = b -> b % 4 >= 2;
        // 8 KiB at 0 of an empty file: normalised to 16 KiB = 4 blocks, an order-2 chunk nowhere -> ENOSPC
        RfcOutcome rfc = whatIf(used, false).evaluate(INO, w(0, 8192), DEV, 0, true);
        assertThat(rfc.verdict()).isEqualTo(Verdict.of(Errno.ENOSPC, Reason.RFC_NO_ALIGNED_SPACE));
        assertThat(rfc.normalizedBlocks()).isEqualTo(4);
        // the RFC's TODO: retry with the original 2 blocks, which the first order-1 chunk (block 0) holds
        RfcOutcome fb = whatIf(used, true).evaluate(INO, w(0, 8192), DEV, 0, true);
        assertThat(fb.verdict()).isEqualTo(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_FALLBACK));
        assertThat(fb.physBlock()).isZero().isEqualTo(firstAlignedFree(used, 0, 2));
        assertThat(fb.chunkBlocks()).isEqualTo(2);
    }

    @Test
    void laterRealAllocationOverAWhatIfPlacementIsACollisionAndTheRealWorldWins() {
        IntPredicate used = b -> b < 100;
        RfcReplay wi = whatIf(used, false);
        RfcOutcome a = wi.evaluate(INO, w(0, 16384), DEV, 0, true);
        assertThat(a.physBlock()).isEqualTo(100);
        long free = wi.model().totalFree();
        // the real kernel then gives 100..107 to inode 99 (group 0, start 100, 8 clusters)
        EventHeader h = new EventHeader(1_000, 0, 7, "t");
        TraceEvent.MbExtent ex = new TraceEvent.MbExtent(0, 100, 8, 0);
        wi.accept(new TraceEvent.RequestBlocks(h, 0, 99, 0x20, 8, 0, 100, 0, 0, 0, 0, null));
        wi.accept(new TraceEvent.MballocAlloc(h, 0, 99, ex, ex, ex, 1, 1, 3, 0, 0, 0, null));
        wi.accept(new TraceEvent.AllocateBlocks(h, 0, 99, 0x20, 8, 100, 0, 100, 0, 0, 0, 0, null));
        assertThat(wi.collisions()).isEqualTo(1);
        assertThat(wi.claimedClusters()).isZero();
        assertThat(wi.model().totalFree()).isEqualTo(free - 4); // 104..107 newly used by the real allocation
        // the what-if's extent of inode 12 is gone: the same write is a hole again and goes elsewhere
        RfcOutcome b = wi.evaluate(INO, w(0, 16384), DEV, 0, false);
        assertThat(b.verdict().reason()).isEqualTo(Reason.RFC_OK_ALLOCATED);
        assertThat(b.physBlock()).isEqualTo(108);
    }
}
