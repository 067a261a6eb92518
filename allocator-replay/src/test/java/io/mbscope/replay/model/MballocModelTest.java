package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent.MbExtent;
import org.junit.jupiter.api.Test;

/**
 * Allocation decisions on small hand-built file systems; every expected value is derived by hand
 * from fs/ext4/mballoc.c (7.3.4 / 6.12.117) or taken from a line of a real kernel trace.
 */
class MballocModelTest {

    static final int HINT_DATA = MbFlags.HINT_DATA;

    /** 4 KiB blocks, no bigalloc, 32768 blocks per group, flex_bg 16. */
    static Geometry geo(int groups, long stripe) {
        return new Geometry(12, 0, 32768L * groups, 0, 32768, 32768, groups, 4, stripe);
    }

    static MballocModel model(Geometry g, KernelGeneration gen, boolean optimize, int usedPrefixOfGroup0) {
        MbTunables t = MbTunables.defaults(g, false, 2).withOptimizeScan(optimize);
        return new MballocModel(g, t, gen, grp -> {
            long[] b = new long[g.clustersPerGroup() / 64];
            if (grp == 0) {
                for (int i = 0; i < usedPrefixOfGroup0; i++) {
                    b[i >>> 6] |= 1L << (i & 63);
                }
            }
            return b;
        });
    }

    static AllocRequest req(long ino, int flags, long len, long logical, long goal, long isize, boolean open) {
        return new AllocRequest(ino, flags, len, logical, goal, 0, 0, 0, 0, 0, isize, open, true);
    }

    @Test
    void metadataRequestTakesTheFirstFreeClusterOfTheGoalGroup() {
        MballocModel m = model(geo(4, 0), KernelGeneration.V6_17, false, 100);
        // no HINT_DATA: no PA, no normalisation; g_len 1 < 2^order2_req → CR_GOAL_LEN_FAST, linear from the goal group
        Prediction p = m.predict(req(12, 0, 1, 0, 0, -1, false));
        assertThat(p.preallocated()).isFalse();
        assertThat(p.criterion()).isEqualTo(KernelGeneration.CR_GOAL_LEN_FAST);
        assertThat(p.result()).isEqualTo(new MbExtent(0, 100, 1, 0));
        assertThat(p.block()).isEqualTo(100);
        assertThat(p.len()).isEqualTo(1);
        assertThat(p.groups()).isEqualTo(1);
        assertThat(p.newPa()).isNull();
    }

    @Test
    void smallFileGetsALocalityGroupPaAlignedByTheBuddyAndSkipsTheFlexLeader() {
        MballocModel m = model(geo(4, 0), KernelGeneration.V6_17, false, 100);
        // size 1 block ≤ mb_stream_req 16 → HINT_GROUP_ALLOC, g_len = mb_group_prealloc 512 → CR_POWER2_ALIGNED;
        // group 0 is the first of a flex group of 16: skipped for data at CR_POWER2_ALIGNED
        Prediction p = m.predict(req(14, HINT_DATA, 1, 0, 0, 0, true));
        assertThat(p.flags() & MbFlags.DECIDED).isEqualTo(MbFlags.HINT_GROUP_ALLOC);
        assertThat(p.goal()).isEqualTo(new MbExtent(0, 0, 512, 0));
        assertThat(p.criterion()).isEqualTo(KernelGeneration.CR_POWER2_ALIGNED);
        assertThat(p.result()).isEqualTo(new MbExtent(1, 0, 512, 0));
        assertThat(p.newPa()).isEqualTo(new Prediction.NewPa(Prealloc.Type.GROUP, 32768, 32768, 512));
        assertThat(p.block()).isEqualTo(32768);
        assertThat(p.len()).isEqualTo(1);
    }

    @Test
    void normalisationTrimmedByTheLeftNeighbourAsInTheTrace() {
        // 7.3.4-4k: "ext4_request_blocks: ino 14 flags HINT_DATA len 16 lblk 3 goal 37379 lleft 2 lright 3
        // pleft 37378 pright 0" with i_size 0x3000 (iomap_dio_rw_begin) → "goal 0/-1/29@3 ...
        // flags HINT_DATA|STREAM_ALLOC": 19 blocks → 128 KiB window at 0, trimmed to start 3.
        // group 1's [0, 5120) is in use (metadata and the locality-group PA at 37376 the file's first block came
        // from), so the left-merge goal 37379 is busy and the stream goal decides
        Geometry g2 = geo(2, 128);
        java.util.function.IntFunction<long[]> bm = grp -> {
            long[] b = new long[512];
            int used = grp == 0 ? 4141 : 5120;
            for (int i = 0; i < used; i++) {
                b[i >>> 6] |= 1L << (i & 63);
            }
            return b;
        };
        MballocModel m = new MballocModel(g2, MbTunables.defaults(g2, false, 2), KernelGeneration.V6_17, bm);
        AllocRequest r = new AllocRequest(14, HINT_DATA, 16, 3, 37379, 2, 3, 37378, 0, 1, 0x3000, true, true);
        Prediction p = m.predict(r);
        assertThat(p.goal()).isEqualTo(new MbExtent(0, -1, 29, 3));
        assertThat(p.flags() & MbFlags.DECIDED).isEqualTo(MbFlags.STREAM_ALLOC);
        assertThat(p.orig()).isEqualTo(new MbExtent(1, 37379 - 32768, 16, 3));
        // the same kernel request on 6.12.117 keeps the merge goal (TRY_GOAL) and the global stream goal
        MballocModel old = new MballocModel(g2, MbTunables.defaults(g2, false, 2), KernelGeneration.V6_12_77, bm);
        Prediction q = old.predict(r);
        assertThat(q.flags() & MbFlags.HINT_TRY_GOAL).isNotZero();
        assertThat(q.goal().len()).isEqualTo(29);
    }

    @Test
    void oneKilobyteBlocksGetTwoMebibyteWindowsAboveOneMebibyte() {
        Geometry g = new Geometry(10, 0, 8192L * 8 + 1, 1, 8192, 8192, 8, 4, 0);
        MballocModel m = model(g, KernelGeneration.V6_17, false, 0);
        // i_size 3 MiB, request at logical block 2000: max = 2 << 10 = 2048 ≤ 2048 → 2 MiB window at 0
        Prediction p = m.predict(req(20, HINT_DATA, 8, 2000, 5000, 3L << 20, true));
        assertThat(p.goal().logical()).isZero();
        assertThat(p.goal().len()).isEqualTo(2048);
    }

    @Test
    void closedFileWritebackIsNotPreallocated() {
        MballocModel m = model(geo(4, 0), KernelGeneration.V6_17, false, 100);
        // size == i_size and no writer: HINT_NOPREALLOC, no normalisation
        Prediction p = m.predict(req(30, HINT_DATA, 40, 0, 0, 40 * 4096, false));
        assertThat(p.flags() & MbFlags.DECIDED).isEqualTo(MbFlags.HINT_NOPREALLOC);
        assertThat(p.goal().len()).isEqualTo(40);
        assertThat(p.newPa()).isNull();
        // the same file still open: stream allocation, 256 KiB window (40 blocks → 160 KiB → 256 KiB)
        Prediction q = m.predict(req(30, HINT_DATA, 40, 0, 0, 40 * 4096, true));
        assertThat(q.flags() & MbFlags.DECIDED).isEqualTo(MbFlags.STREAM_ALLOC);
        assertThat(q.goal().len()).isEqualTo(64);
    }

    @Test
    void inodePaServesRequestsInsideItsLogicalRange() {
        MballocModel m = model(geo(4, 0), KernelGeneration.V6_17, false, 100);
        m.applyNewPa(Prealloc.Type.INODE, 40, 0, 1000, 0, 64);
        m.applyUseInodePa(40, 1000, 10);
        Prediction p = m.predict(req(40, HINT_DATA, 8, 20, 0, 0, true));
        assertThat(p.preallocated()).isTrue();
        assertThat(p.paType()).isEqualTo(Prealloc.Type.INODE);
        assertThat(p.block()).isEqualTo(1020);
        assertThat(p.len()).isEqualTo(8);
        // ext4_mb_use_inode_pa: the PA end caps the length
        Prediction q = m.predict(req(40, HINT_DATA, 8, 60, 0, 0, true));
        assertThat(q.block()).isEqualTo(1060);
        assertThat(q.len()).isEqualTo(4);
        // outside the PA: regular allocation, normalised window trimmed to end where the PA starts? no: PA is left
        Prediction r = m.predict(req(40, HINT_DATA, 8, 64, 0, 64 * 4096, true));
        assertThat(r.preallocated()).isFalse();
        assertThat(r.goal().logical()).isGreaterThanOrEqualTo(64);
    }

    @Test
    void groupPaClosestToTheGoalWins() {
        MballocModel m = model(geo(4, 0), KernelGeneration.V6_17, false, 100);
        Prealloc a = m.applyNewPa(Prealloc.Type.GROUP, 1, 0, 5000, 5000, 101);
        m.applyUseGroupPa(a, 1);
        Prealloc b = m.applyNewPa(Prealloc.Type.GROUP, 2, 0, 9000, 9000, 101);
        m.applyUseGroupPa(b, 1);
        Prediction p = m.predict(req(3, HINT_DATA, 1, 0, 8800, 0, true));
        assertThat(p.preallocated()).isTrue();
        assertThat(p.paType()).isEqualTo(Prealloc.Type.GROUP);
        assertThat(p.block()).isEqualTo(9001);
        // another CPU has its own locality group: nothing there
        AllocRequest other = new AllocRequest(3, HINT_DATA, 1, 0, 8800, 0, 0, 0, 0, 1, 0, true, true);
        assertThat(m.predict(other).preallocated()).isFalse();
    }

    @Test
    void bestAvailTrimsTheGoalWhenNoGroupHasLongEnoughFragments() {
        Geometry g = geo(16, 0);
        // every group: free runs of 200 clusters every 400 → avg fragment 200 (order 6), largest chunk 128
        MbTunables t = MbTunables.defaults(g, false, 2);
        assertThat(t.optimizeScan()).isTrue(); // 16 groups
        MballocModel m = new MballocModel(g, t, KernelGeneration.V6_17, grp -> {
            long[] b = new long[512];
            java.util.Arrays.fill(b, -1L);
            for (int s = 0; s + 200 <= 32768; s += 400) {
                for (int i = s; i < s + 200; i++) {
                    b[i >>> 6] &= ~(1L << (i & 63));
                }
            }
            return b;
        });
        // 2 MiB window → g_len 512: no lfo ≥ 9, no avg order ≥ 8 → CR_BEST_AVAIL_LEN trims to 256 (order 7: none),
        // then 128 (avg order 6): the first run's [0,128) chunk is exactly g_len
        Prediction p = m.predict(req(50, HINT_DATA, 1, 0, 0, 2L << 20, true));
        assertThat(p.criterion()).isEqualTo(KernelGeneration.CR_BEST_AVAIL_LEN);
        assertThat(p.goal().len()).isEqualTo(128);
        assertThat(p.result()).isEqualTo(new MbExtent(0, 0, 128, 0));
    }

    @Test
    void streamGoalPerGeneration() {
        MballocModel newer = model(geo(8, 0), KernelGeneration.V6_17, false, 100);
        newer.applyStreamGoal(14, 3, 77);
        Prediction p = newer.predict(req(14, HINT_DATA, 32, 0, 0, 0, true));
        // 6.17+: s_mb_last_groups[ino % nr_global_goals], nr = min(2 CPUs, ceil(8/4)) = 2 → slot 0; start -1
        assertThat(p.goal().group()).isEqualTo(3);
        assertThat(p.goal().start()).isEqualTo(-1);
        assertThat(p.result().group()).isEqualTo(3);
        MballocModel older = model(geo(8, 0), KernelGeneration.V6_12_77, false, 100);
        older.applyStreamGoal(99, 2, 77);
        Prediction q = older.predict(req(14, HINT_DATA, 32, 0, 0, 0, true));
        // ≤6.16: one global s_mb_last_group/s_mb_last_start
        assertThat(q.goal().group()).isEqualTo(2);
        assertThat(q.goal().start()).isEqualTo(77);
    }

    @Test
    void generationsFromReleaseStrings() {
        assertThat(KernelGeneration.forRelease("6.12.117+deb13-amd64")).isSameAs(KernelGeneration.V6_12_77);
        assertThat(KernelGeneration.forRelease("6.12.76")).isSameAs(KernelGeneration.V6_5_LISTS);
        assertThat(KernelGeneration.forRelease("6.12.77")).isSameAs(KernelGeneration.V6_12_77);
        assertThat(KernelGeneration.forRelease("6.16.3")).isSameAs(KernelGeneration.V6_5_LISTS);
        assertThat(KernelGeneration.forRelease("6.18.44-fc-v657")).isSameAs(KernelGeneration.V6_17);
        assertThat(KernelGeneration.forRelease("7.3.4+deb13-amd64")).isSameAs(KernelGeneration.V6_17);
        assertThat(KernelGeneration.forRelease("6.1.192")).isSameAs(KernelGeneration.V6_1);
        assertThat(KernelGeneration.V6_1.traceCriterion(KernelGeneration.CR_GOAL_LEN_SLOW)).isEqualTo(2);
    }

    @Test
    void noMergeGoalForNoPreallocRequestsAndFlexLeaderSkippedForData() {
        MballocModel m = model(geo(4, 128), KernelGeneration.V6_17, false, 100);
        // a NOPREALLOC (fallocate) request next to a mapped extent: ext4_mb_normalize_request returns early, so no
        // TRY_GOAL and no goal attempt: ar->goal only selects the first group scanned
        AllocRequest r = new AllocRequest(60, HINT_DATA | MbFlags.HINT_NOPREALLOC, 4, 10, 300, 9, 0, 299, 0, 0, -1,
                true, true);
        Prediction p = m.predict(r);
        assertThat(p.flags() & MbFlags.HINT_TRY_GOAL).isZero();
        // g_len 4 is a power of two → CR_POWER2_ALIGNED, where group 0 (first of its flex group) is skipped for
        // data: the first order-2 buddy chunk of group 1
        assertThat(p.criterion()).isEqualTo(KernelGeneration.CR_POWER2_ALIGNED);
        assertThat(p.block()).isEqualTo(32768);
        // metadata (no HINT_DATA) may use group 0: bb_first_free
        AllocRequest meta = new AllocRequest(60, 0, 4, 0, 300, 0, 0, 0, 0, 0, -1, true, true);
        assertThat(m.predict(meta).block()).isEqualTo(100);
    }

    @Test
    void listScannerAndXarrayScannerPickDifferentGroups() {
        // 16 groups (mb_optimize_scan on), goal group 3 full, all others empty. A 512-cluster non-data
        // request (no normalisation, no stream goal; g_len 512 → CR_POWER2_ALIGNED):
        // - xarray (6.12.77+, 6.17+): s_mb_largest_free_orders[9..13] from the goal group in group order → 4;
        // - lists (≤6.16): the goal group first, then the head of the first non-empty list with a good
        //   group. The lists were filled when the lazyinit thread generated the buddies after mount:
        //   s_mb_prefetch = min(16, 8192) * 8 capped to 16 groups, read 0..15, then
        //   ext4_mb_prefetch_fini walks back from lr_next_group (wrapped to 0): 15, 14, ..., 0. Every
        //   group but 3 has bb_largest_free_order 13 (four 8192-cluster chunks): list head 15.
        Geometry g = geo(16, 0);
        java.util.function.IntFunction<long[]> bm = grp -> {
            long[] b = new long[512];
            if (grp == 3) {
                java.util.Arrays.fill(b, -1L);
            }
            return b;
        };
        AllocRequest r = req(70, 0, 512, 0, 3L * 32768 + 5, 0, true);
        for (KernelGeneration gen : new KernelGeneration[] {KernelGeneration.V6_17, KernelGeneration.V6_5_LISTS}) {
            MbTunables t = MbTunables.defaults(g, false, 2);
            MballocModel m = new MballocModel(g, t, gen, bm);
            Prediction p = m.predict(r);
            assertThat(p.criterion()).isEqualTo(KernelGeneration.CR_POWER2_ALIGNED);
            assertThat(p.result().group()).as(gen.name()).isEqualTo(gen == KernelGeneration.V6_17 ? 4 : 15);
            if (gen == KernelGeneration.V6_5_LISTS) {
                assertThat(p.flags() & MbFlags.CR0_OPTIMIZED).isNotZero();
            }
        }
    }

    @Test
    void listsAreFilledInTheLazyinitPrefetchOrder() {
        // 1 KiB blocks, no flex_bg, 40 groups of 8192 blocks: s_mb_prefetch = 32 (no flex_bg), buddy-cache
        // page = 4 blocks = 2 groups. Round 1: prefetch 0..31, fini walks back 31..0 and each
        // ext4_mb_init_cache generates both groups of the page, lower first: 30 31 28 29 ... 0 1.
        // Round 2: prefetch 32..39,0..23 (lr_next_group 24), fini walks back 23..0 (done) then 39..32:
        // 38 39 36 37 34 35 32 33; lr_next_group (24) <= 32 → the thread leaves prefetch mode.
        Geometry g = new Geometry(10, 0, 40L * 8192 + 1, 1, 8192, 8192, 40, 0, 0);
        BuddyGroup[] gs = new BuddyGroup[40];
        for (int i = 0; i < 40; i++) {
            gs[i] = new BuddyGroup(i, 8192, 8192, 10, new long[128]);
        }
        int[] order = MballocModel.mountInitOrder(g, gs);
        assertThat(java.util.Arrays.copyOfRange(order, 0, 6)).containsExactly(30, 31, 28, 29, 26, 27);
        assertThat(java.util.Arrays.copyOfRange(order, 30, 40)).containsExactly(0, 1, 38, 39, 36, 37, 34, 35, 32, 33);
        // 4 KiB blocks, flex_bg 16, 300 groups: s_mb_prefetch = min(16, 8192) * 8 = 128 per round, one group
        // per page: 127..0, then 255..128, then (start 256, lr_next_group (256 + 128) % 300 = 84) 299..256
        Geometry big = new Geometry(12, 0, 300L * 32768, 0, 32768, 32768, 300, 4, 0);
        BuddyGroup[] bs = new BuddyGroup[300];
        for (int i = 0; i < 300; i++) {
            bs[i] = new BuddyGroup(i, 32768, 32768, 12, new long[512]);
        }
        int[] o2 = MballocModel.mountInitOrder(big, bs);
        assertThat(o2[0]).isEqualTo(127);
        assertThat(o2[127]).isEqualTo(0);
        assertThat(o2[128]).isEqualTo(255);
        assertThat(o2[256]).isEqualTo(299);
        assertThat(o2[299]).isEqualTo(256);
    }

    @Test
    void linuxSixOneSkipsBuddiesTheMountPrefetchLeftCold() {
        // 6.18.44-1k's layout: 1 KiB blocks, 8 groups, flex_bg 16, BLOCK_UNINIT on groups 1,3,4,5,6 (dumpe2fs).
        // 6.1.192 ext4_run_li_request: s_mb_prefetch = min(16, 8192) * 8 capped to 8; ext4_mb_prefetch reads
        // the NEED_INIT, free, non-BLOCK_UNINIT groups 0, 2, 7 → 3 I/Os, lr_next_group wraps to 0; then
        // ext4_mb_prefetch_fini(sb, 0, 3): gdp(0) checks group 7 → generated (its buddy-cache page also
        // holds group 6); gdp(7) checks group 6 (done); gdp(6) is BLOCK_UNINIT → group 5 not. So groups 2
        // (and 0) stay NEED_INIT. A 4-block metadata request with its goal in group 2: ac_2order 2 → CR0,
        // linear (8 groups < 16: no mb_optimize_scan); ext4_mb_good_group_nolock returns 0 for group 2 at
        // CR0 (cold, not first of its flex group, not BLOCK_UNINIT) → group 3 (BLOCK_UNINIT: loaded).
        Geometry g = new Geometry(10, 0, 8L * 8192 + 1, 1, 8192, 8192, 8, 4, 0);
        java.util.function.IntUnaryOperator flags = grp -> switch (grp) {
            case 1, 3, 4, 5, 6 -> 2;
            default -> 0;
        };
        AllocRequest meta = new AllocRequest(80, 0, 4, 0, 2L * 8192 + 1 + 100, 0, 0, 0, 0, 0, -1, true, true);
        MballocModel m = new MballocModel(g, MbTunables.defaults(g, true, 2), KernelGeneration.V6_1,
                grp -> new long[128]);
        m.mountState(flags, true);
        assertThat(m.needsInit(2)).isTrue();
        assertThat(m.needsInit(6)).isFalse();
        assertThat(m.needsInit(7)).isFalse();
        assertThat(m.predict(meta).result().group()).isEqualTo(3);
        // once the kernel loads group 2 (a free, an allocation there, a CR2 pass) it is scanned at CR0
        m.applyLoaded(2);
        assertThat(m.predict(meta).result().group()).isEqualTo(2);
        // 6.12+ generate every buddy with free clusters at mount: no cold groups
        MballocModel newer = new MballocModel(g, MbTunables.defaults(g, true, 2), KernelGeneration.V6_17,
                grp -> new long[128]);
        newer.mountState(flags, true);
        assertThat(newer.needsInit(2)).isFalse();
        assertThat(newer.predict(meta).result().group()).isEqualTo(2);
    }
}
