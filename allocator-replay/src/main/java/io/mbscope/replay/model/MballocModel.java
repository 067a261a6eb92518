package io.mbscope.replay.model;

import static io.mbscope.replay.model.KernelGeneration.CR_ANY_FREE;
import static io.mbscope.replay.model.KernelGeneration.CR_BEST_AVAIL_LEN;
import static io.mbscope.replay.model.KernelGeneration.CR_GOAL_LEN_FAST;
import static io.mbscope.replay.model.KernelGeneration.CR_GOAL_LEN_SLOW;
import static io.mbscope.replay.model.KernelGeneration.CR_POWER2_ALIGNED;

import io.mbscope.parsers.event.TraceEvent.MbExtent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A reimplementation of ext4 mballoc's decisions (fs/ext4/mballoc.c) over an in-memory copy of the
 * group bitmaps, inode and locality-group preallocations and the stream goal.
 *
 * <p>{@link #predict} computes what ext4_mb_new_blocks() would do without changing any state; the
 * replay then applies what the kernel actually did through the {@code apply*} methods, so a wrong
 * prediction never leaks into the next one.
 */
public final class MballocModel {

    /** Number of locality-group PA buckets (PREALLOC_TB_SIZE). */
    static final int PREALLOC_TB_SIZE = 10;
    /** EXT_MAX_BLOCKS. */
    static final long EXT_MAX_BLOCKS = 0xFFFFFFFFL;
    /** EXT4_FLEX_SIZE_DIR_ALLOC_SCHEME. */
    static final int FLEX_SIZE_DIR_ALLOC_SCHEME = 4;

    private final Geometry geo;
    private final MbTunables tun;
    private final KernelGeneration gen;
    private final BuddyGroup[] groups;
    private ListOrder listOrder; // history of mb_optimize_scan list moves (list scanner)
    /** EXT4_MB_GRP_NEED_INIT per group (buddy not generated since mount); null: every buddy is generated. */
    private boolean[] needInit;
    /** bg_flags BLOCK_UNINIT, honoured only with group descriptor checksums. */
    private boolean[] blockUninit;

    private final Map<Long, TreeMap<Long, Prealloc>> inodePas = new HashMap<>();
    private final Map<Integer, List<List<Prealloc>>> lgLists = new HashMap<>();
    private long paSeq;

    // stream goal
    private final int[] lastGroups;
    private int lastGroup;
    private int lastStart;

    // ext4_mb_free_metadata: freed clusters stay in use in the buddy until their transaction commits
    private final PendingFrees pending;

    /** A freed range waiting for its journal commit (group/start/len in clusters). */
    public record PendingFree(int group, int start, int len, long freedAtNs) {
    }

    /**
     * @param geo    geometry
     * @param tun    tunables in effect
     * @param gen    kernel generation
     * @param bitmap initial in-use bitmap per group (bit set = in use), e.g. from the fs image
     */
    public MballocModel(Geometry geo, MbTunables tun, KernelGeneration gen, java.util.function.IntFunction<long[]> bitmap) {
        this.geo = geo;
        this.tun = tun;
        this.gen = gen;
        this.groups = new BuddyGroup[geo.groupCount()];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = new BuddyGroup(g, geo.clustersPerGroup(), geo.clustersInGroup(g), geo.blockBits(),
                    bitmap.apply(g));
        }
        this.pending = new PendingFrees(groups.length);
        this.lastGroups = new int[Math.max(1, tun.nrGlobalGoals())];
        // the list history only matters to the ≤6.16 list scanner; xarrays are ordered by group number
        this.listOrder = gen.scanner() == KernelGeneration.Scanner.LISTS ? new ListOrder(groups.length, geo.numOrders())
                : null;
        // the list scanner's lists are filled in the order buddies get generated after mount
        for (int g : listOrder == null ? ascending(groups.length) : mountInitOrder(geo, groups)) {
            touch(groups[g]);
        }
    }

    /**
     * The buddy state right after mount, from the group descriptors. Only 6.1 needs it: its lazyinit
     * prefetch (super.c ext4_run_li_request → ext4_mb_prefetch / ext4_mb_prefetch_fini, 6.1.192)
     * reads only bitmaps of groups that are neither BLOCK_UNINIT nor free-less, then walks back
     * only as many groups as reads were issued, testing each group against the descriptor of the
     * group examined before it. So some groups keep EXT4_MB_GRP_NEED_INIT, and
     * ext4_mb_good_group_nolock skips those at CR0/CR1 unless they lead a flex group or are
     * BLOCK_UNINIT; they are absent from the mb_optimize_scan lists until first loaded. 6.12+
     * (fini over the whole batch, no BLOCK_UNINIT exclusion) generates every buddy with free
     * clusters, as the constructor assumes.
     *
     * @param bgFlags bg_flags of each group (BLOCK_UNINIT = 2)
     * @param csum    ext4_has_group_desc_csum()
     */
    public void mountState(java.util.function.IntUnaryOperator bgFlags, boolean csum) {
        if (gen.criteria() != 4) {
            return;
        }
        int n = groups.length;
        blockUninit = new boolean[n];
        for (int g = 0; g < n; g++) {
            blockUninit[g] = csum && (bgFlags.applyAsInt(g) & 2) != 0;
        }
        needInit = new boolean[n];
        java.util.Arrays.fill(needInit, true);
        boolean[] read = new boolean[n];
        int nr = Math.min(n, geo.logGroupsPerFlex() > 0
                ? Math.min(1 << Math.min(geo.logGroupsPerFlex(), 20), 65536 >> (geo.blockBits() - 9)) * 8 : 32);
        int perPage = Math.max(1, (4096 >> geo.blockBits()) / 2);
        int[] order = new int[n];
        int k = 0;
        int next = 0;
        while (true) {
            int start = next;
            int ios = 0;
            int g = start;
            for (int i = 0; i < nr; i++) {
                if (!read[g] && needInit[g] && groups[g].free() > 0 && !blockUninit[g]) {
                    read[g] = true;
                    ios++;
                }
                g = g + 1 >= n ? 0 : g + 1;
            }
            next = g;
            int grp = next;
            for (int i = 0; i < ios; i++) {
                int descOf = grp; // 6.1 reads the descriptor before stepping back
                grp = grp == 0 ? n - 1 : grp - 1;
                if (needInit[grp] && groups[descOf].free() > 0 && !blockUninit[descOf]) {
                    int first = grp / perPage * perPage;
                    for (int j = first; j < Math.min(n, first + perPage); j++) {
                        if (needInit[j]) {
                            needInit[j] = false;
                            order[k++] = j;
                        }
                    }
                }
            }
            if (start >= next) {
                break;
            }
        }
        if (listOrder != null) {
            listOrder = new ListOrder(n, geo.numOrders());
            for (int i = 0; i < k; i++) {
                touch(groups[order[i]]);
            }
        }
    }

    /** A buddy the kernel evidently loaded (ext4_mb_load_buddy → ext4_mb_init_group): listed from now on. */
    public void applyLoaded(int group) {
        if (needInit != null && group >= 0 && group < needInit.length && needInit[group]) {
            needInit[group] = false;
            touch(groups[group]);
        }
    }

    /** Whether the model holds the group's buddy as not generated yet (6.1 only). */
    public boolean needsInit(int group) {
        return needInit != null && needInit[group];
    }

    private static int[] ascending(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * The order in which the buddies of the groups get generated right after mount, which is the
     * order of the ≤6.16 mb_optimize_scan lists (mb_set_largest_free_order / mb_update_avg_fragment_size
     * append a group at a list's tail when ext4_mb_generate_buddy first runs for it). The lazyinit
     * thread (super.c ext4_run_li_request, EXT4_LI_MODE_PREFETCH_BBITMAP, started at mount unless
     * no_prefetch_block_bitmaps) reads s_mb_prefetch bitmaps from lr_next_group on (ext4_mb_prefetch,
     * wrapping), then ext4_mb_prefetch_fini walks the same number of groups <b>backwards</b> from the
     * new lr_next_group and calls ext4_mb_init_group for each that still needs it and has free
     * clusters; it stops once lr_next_group wrapped. ext4_mb_init_cache generates every group sharing
     * the buddy-cache page (two blocks per group: PAGE_SIZE / blocksize / 2 groups, at least 1) in
     * ascending order. s_mb_prefetch (ext4_mb_init) = min(flex size, BLK_MAX_SEGMENT_SIZE &gt;&gt;
     * (blocksize_bits - 9)) * 8 with flex_bg, else 32, at most the group count. Groups with no free
     * cluster are never listed (bb_free == 0) and come last. 6.1.192's fini walks back only as many
     * groups as bitmap reads were issued and skips BLOCK_UNINIT groups; that is not modelled (6.1
     * is taken as the 6.5 order).
     */
    static int[] mountInitOrder(Geometry geo, BuddyGroup[] groups) {
        int n = groups.length;
        int nr = geo.logGroupsPerFlex() > 0
                ? Math.min(1 << Math.min(geo.logGroupsPerFlex(), 20), 65536 >> (geo.blockBits() - 9)) * 8 : 32;
        nr = Math.min(nr, n);
        int perPage = Math.max(1, (4096 >> geo.blockBits()) / 2);
        boolean[] done = new boolean[n];
        int[] order = new int[n];
        int k = 0;
        int next = 0;
        while (true) {
            int start = next;
            next = (int) ((start + (long) nr) % n);
            int grp = next;
            for (int i = 0; i < nr; i++) {
                grp = grp == 0 ? n - 1 : grp - 1;
                if (!done[grp] && groups[grp].free() > 0) {
                    int first = grp / perPage * perPage;
                    for (int j = first; j < Math.min(n, first + perPage); j++) {
                        if (!done[j]) {
                            done[j] = true;
                            order[k++] = j;
                        }
                    }
                }
            }
            if (start >= next) {
                break;
            }
        }
        for (int g = 0; g < n; g++) {
            if (!done[g]) {
                order[k++] = g;
            }
        }
        return order;
    }

    public Geometry geometry() {
        return geo;
    }

    public MbTunables tunables() {
        return tun;
    }

    public KernelGeneration generation() {
        return gen;
    }

    public BuddyGroup group(int g) {
        return groups[g];
    }

    public int groupCount() {
        return groups.length;
    }

    public long totalFree() {
        long f = 0;
        for (BuddyGroup g : groups) {
            f += g.free();
        }
        return f;
    }

    // ====================================================================== prediction

    /** The allocation context (struct ext4_allocation_context), scratch state of one prediction. */
    private final class Ac {
        final AllocRequest ar;
        /** EXT4_MB_ALIGNED_ALLOC (RFC policy only, see {@link AlignedRules}). */
        final boolean aligned;
        int flags;
        // o_ex
        long oLogical;
        int oGroup;
        int oStart;
        int oLen;
        // g_ex
        long gLogical;
        int gGroup;
        int gStart;
        int gLen;
        int origGoalLen;
        // b_ex
        int bGroup = -1;
        int bStart;
        int bLen;
        int cr;
        int twoOrder;
        int found;
        int groupsScanned;
        int status = CONTINUE;

        Ac(AllocRequest ar, boolean aligned) {
            this.ar = ar;
            this.aligned = aligned;
        }
    }

    private static final int CONTINUE = 0;
    private static final int FOUND = 1;
    private static final int BREAK = 2;

    /** Predicts one ext4_mb_new_blocks() call; no model state changes. */
    public Prediction predict(AllocRequest ar) {
        return predict(ar, AllocationPolicy.MAINLINE);
    }

    /** Predicts one ext4_mb_new_blocks() call under an allocation policy; no model state changes. */
    public Prediction predict(AllocRequest ar, AllocationPolicy policy) {
        Ac ac = new Ac(ar, policy.aligned(ar));
        initializeContext(ac);
        MbExtent orig = new MbExtent(ac.oGroup, ac.oStart, ac.oLen, ac.oLogical);

        // ext4_mb_use_preallocated
        Prediction pa = usePreallocated(ac, orig);
        if (pa != null) {
            return pa;
        }
        normalizeRequest(ac);
        regularAllocator(ac);
        MbExtent goalEx = new MbExtent(ac.gGroup, ac.gStart, ac.gLen, ac.gLogical);
        int flags16 = ac.flags & 0xFFFF;
        if (ac.status != FOUND) {
            int cr = gen.scanner() == KernelGeneration.Scanner.XARRAY ? KernelGeneration.CR_NONE
                    : gen.finalFailureCr();
            return new Prediction(false, null, 0, flags16, orig, goalEx, new MbExtent(0, 0, 0, 0), cr, ac.found,
                    ac.groupsScanned, null, 0, 0);
        }
        // ext4_mb_use_best_found
        int bLen = Math.min(ac.bLen, ac.gLen);
        long bLogical = ac.gLogical;
        MbExtent result = new MbExtent(ac.bGroup, ac.bStart, bLen, bLogical);
        long block;
        long len;
        Prediction.NewPa newPa = null;
        if (ac.oLen < bLen) {
            long pstart = geo.block(ac.bGroup, ac.bStart);
            if ((ac.flags & MbFlags.HINT_GROUP_ALLOC) != 0) {
                newPa = new Prediction.NewPa(Prealloc.Type.GROUP, pstart, pstart, bLen);
                block = pstart;
                len = ac.oLen;
            } else {
                long lstart = newInodePaLstart(ac, bLen, bLogical);
                newPa = new Prediction.NewPa(Prealloc.Type.INODE, pstart, lstart, bLen);
                long start = pstart + (ac.oLogical - lstart);
                long end = Math.min(pstart + geo.c2b(bLen), start + geo.c2b(ac.oLen));
                // ext4_mb_use_inode_pa goes through (group, cluster offset): the block is cluster aligned
                block = geo.block(geo.groupOf(start), geo.offsetOf(start));
                len = geo.numB2C(end - start);
                if (gen.resultLogicalAdjusted()) {
                    result = new MbExtent(ac.bGroup, ac.bStart, bLen, lstart);
                }
            }
        } else {
            block = geo.block(ac.bGroup, ac.bStart);
            len = bLen;
        }
        return new Prediction(false, null, 0, flags16, orig, goalEx, result, ac.cr, ac.found, ac.groupsScanned,
                newPa, block, len);
    }

    /** ext4_mb_initialize_context + ext4_mb_group_or_file. */
    private void initializeContext(Ac ac) {
        AllocRequest ar = ac.ar;
        long len = ar.len();
        if (len >= geo.clustersPerGroup()) {
            len = geo.clustersPerGroup();
        }
        long goal = ar.goal();
        if (goal < geo.firstDataBlock() || goal >= geo.blocksCount()) {
            goal = geo.firstDataBlock();
        }
        ac.oLogical = geo.lblkCmask(ar.logical());
        ac.oGroup = geo.groupOf(goal);
        ac.oStart = geo.offsetOf(goal);
        ac.oLen = (int) len;
        ac.gLogical = ac.oLogical;
        ac.gGroup = ac.oGroup;
        ac.gStart = ac.oStart;
        ac.gLen = ac.oLen;
        ac.origGoalLen = ac.gLen;
        ac.flags = ar.flags();
        groupOrFile(ac);
    }

    /** ext4_mb_group_or_file (identical in 6.1, 6.12, 7.3). */
    private void groupOrFile(Ac ac) {
        if ((ac.flags & MbFlags.HINT_DATA) == 0 || (ac.flags & MbFlags.HINT_GOAL_ONLY) != 0) {
            return;
        }
        boolean groupEligible = tun.groupPrealloc() > 0 && !ac.aligned;
        boolean inodeEligible = true;
        long size = ac.oLogical + geo.c2b(ac.oLen);
        long isize = isizeBlocks(ac);
        // ext4_fs_is_busy() is not observable: modelled as not busy
        if (size == isize && !ac.ar.openForWrite()) {
            inodeEligible = false;
        }
        size = Math.max(size, isize);
        if (size > tun.streamReq()) {
            groupEligible = false;
        }
        if (!groupEligible) {
            ac.flags |= inodeEligible ? MbFlags.STREAM_ALLOC : MbFlags.HINT_NOPREALLOC;
            return;
        }
        ac.flags |= MbFlags.HINT_GROUP_ALLOC;
    }

    private long isizeBlocks(Ac ac) {
        long b = ac.ar.isizeBytes();
        if (b < 0) {
            return ac.oLogical + geo.c2b(ac.oLen); // unknown: as if the request ended the file
        }
        return (b + geo.blockSize() - 1) >> geo.blockBits();
    }

    private long isizeBytes(Ac ac) {
        long b = ac.ar.isizeBytes();
        return b < 0 ? (ac.oLogical + geo.c2b(ac.oLen)) << geo.blockBits() : b;
    }

    /** ext4_mb_use_preallocated; null when no PA satisfies the request. */
    private Prediction usePreallocated(Ac ac, MbExtent orig) {
        if ((ac.flags & MbFlags.HINT_DATA) == 0) {
            return null;
        }
        Prealloc pa = findInodePa(ac.ar.ino(), ac.oLogical);
        boolean alignedFits = !ac.aligned || pa == null || AlignedRules.inodePaFits(geo, pa, ac.gLogical, ac.gLen);
        if (pa != null && pa.free > 0 && goalCheck(ac, pa) && alignedFits) {
            long start = pa.pstart + (ac.oLogical - pa.lstart);
            long end = Math.min(pa.pstart + geo.c2b(pa.len), start + geo.c2b(ac.oLen));
            long len = geo.numB2C(end - start);
            MbExtent res = new MbExtent(geo.groupOf(start), geo.offsetOf(start), len, ac.oLogical);
            return new Prediction(true, Prealloc.Type.INODE, pa.pstart, ac.flags & 0xFFFF, orig, orig, res, 0, 0, 0,
                    null, geo.block(geo.groupOf(start), geo.offsetOf(start)), len);
        }
        if (pa != null && ac.aligned) {
            ac.flags |= MbFlags.HINT_NOPREALLOC;
        }
        if ((ac.flags & MbFlags.HINT_GROUP_ALLOC) == 0) {
            return null;
        }
        List<List<Prealloc>> lists = lgLists.get(ac.ar.cpu());
        if (lists == null) {
            return null;
        }
        int order = Math.min(BuddyGroup.fls(ac.oLen) - 1, PREALLOC_TB_SIZE - 1);
        long goalBlock = geo.block(ac.gGroup, ac.gStart);
        Prealloc best = null;
        for (int i = Math.max(order, 0); i < PREALLOC_TB_SIZE; i++) {
            for (Prealloc p : lists.get(i)) {
                if (!p.deleted && p.free >= ac.oLen) {
                    if (best == null || Math.abs(goalBlock - p.pstart) < Math.abs(goalBlock - best.pstart)) {
                        best = p;
                    }
                }
            }
        }
        if (best == null) {
            return null;
        }
        MbExtent res = new MbExtent(geo.groupOf(best.pstart), geo.offsetOf(best.pstart), ac.oLen, ac.oLogical);
        return new Prediction(true, Prealloc.Type.GROUP, best.pstart, ac.flags & 0xFFFF, orig, orig, res, 0, 0, 0,
                null, best.pstart, ac.oLen);
    }

    /** The inode PA the kernel would look at for a logical block (rbtree: nearest left; 6.1: newest covering). */
    private Prealloc findInodePa(long ino, long logical) {
        TreeMap<Long, Prealloc> t = inodePas.get(ino);
        if (t == null || t.isEmpty()) {
            return null;
        }
        if (gen.inodePaTree()) {
            Map.Entry<Long, Prealloc> e = t.floorEntry(logical);
            if (e == null) {
                return null;
            }
            Prealloc p = e.getValue();
            return logical < p.lstart + geo.c2b(p.len) ? p : null;
        }
        Prealloc newest = null;
        for (Prealloc p : t.values()) {
            if (logical >= p.lstart && logical < p.lstart + geo.c2b(p.len) && p.free > 0
                    && (newest == null || p.seq > newest.seq)) {
                newest = p;
            }
        }
        return newest;
    }

    /** ext4_mb_pa_goal_check (6.4+): only with GOAL_ONLY. */
    private boolean goalCheck(Ac ac, Prealloc pa) {
        if ((ac.flags & MbFlags.HINT_GOAL_ONLY) == 0 || !gen.inodePaTree()) {
            return true;
        }
        long start = pa.pstart + (ac.gLogical - pa.lstart);
        if (geo.block(ac.gGroup, ac.gStart) != start) {
            return false;
        }
        return ac.gLen <= pa.len - ((ac.gLogical - pa.lstart) >> geo.clusterBits());
    }

    /** ext4_mb_normalize_request. */
    private void normalizeRequest(Ac ac) {
        if ((ac.flags & MbFlags.HINT_DATA) == 0 || (ac.flags & MbFlags.HINT_GOAL_ONLY) != 0
                || (ac.flags & MbFlags.HINT_NOPREALLOC) != 0) {
            return;
        }
        if ((ac.flags & MbFlags.HINT_GROUP_ALLOC) != 0) {
            ac.gLen = tun.groupPrealloc();
            return;
        }
        int bsbits = geo.blockBits();
        long size = (ac.oLogical + geo.c2b(ac.oLen)) << bsbits;
        long isize = isizeBytes(ac);
        if (size < isize) {
            size = isize;
        }
        long max = 2L << bsbits;
        long startOff = 0;
        if (size <= (1L << 20)) {
            size = size <= 16 * 1024 ? 16 * 1024 : Long.highestOneBit(size - 1) << 1;
        } else if (size <= 4L << 20 || max <= 2 * 1024) {
            startOff = (ac.oLogical >> (21 - bsbits)) << 21;
            size = 2L << 20;
        } else if (size <= 8L << 20 || max <= 4 * 1024) {
            startOff = (ac.oLogical >> (22 - bsbits)) << 22;
            size = 4L << 20;
        } else if (eightMibCheck(ac, bsbits) || max <= 8 * 1024) {
            startOff = (ac.oLogical >> (23 - bsbits)) << 23;
            size = 8L << 20;
        } else {
            startOff = ac.oLogical << bsbits;
            size = geo.c2b(ac.oLen) << bsbits;
        }
        size >>= bsbits;
        long start = startOff >> bsbits;
        if (ac.aligned) {
            start = ac.oLogical;
            size = Math.max(size, geo.c2b(ac.oLen));
        }
        long bpg = geo.blocksPerGroup();
        start = Math.max(start, ac.oLogical / bpg * bpg);
        if (start + size > EXT_MAX_BLOCKS) {
            size = EXT_MAX_BLOCKS - start;
        }
        AllocRequest ar = ac.ar;
        if (ar.pleft() != 0 && start <= ar.lleft()) {
            size -= ar.lleft() + 1 - start;
            start = ar.lleft() + 1;
        }
        if (ar.pright() != 0 && start + size - 1 >= ar.lright()) {
            size -= start + size - ar.lright();
        }
        if (size > bpg) {
            size = bpg;
        }
        long end = start + size;
        long[] se = adjustOverlap(ac, start, end);
        start = se[0];
        end = se[1];
        if (ac.aligned && end > start) {
            end = start + AlignedRules.powerOfTwoSize(end - start, geo.c2b(ac.oLen));
        }
        size = end - start;
        if (size <= 0 || start > ac.oLogical || start + size <= ac.oLogical) {
            // the kernel BUG()s here; the model keeps the original request
            return;
        }
        ac.gLogical = start;
        ac.gLen = (int) geo.numB2C(size);
        ac.origGoalLen = ac.gLen;
        if (ar.pright() != 0 && ar.lright() == start + size && ar.pright() >= size
                && ar.pright() - size >= geo.firstDataBlock()) {
            ac.gGroup = geo.groupOf(ar.pright() - size);
            ac.gStart = geo.offsetOf(ar.pright() - size);
            ac.flags |= MbFlags.HINT_TRY_GOAL;
        }
        if (ar.pleft() != 0 && ar.lleft() + 1 == start && ar.pleft() + 1 < geo.blocksCount()) {
            ac.gGroup = geo.groupOf(ar.pleft() + 1);
            ac.gStart = geo.offsetOf(ar.pleft() + 1);
            ac.flags |= MbFlags.HINT_TRY_GOAL;
        }
    }

    /** The 8 MiB branch: 6.5+ compares the request in blocks, 6.1 (bug) in clusters. */
    private boolean eightMibCheck(Ac ac, int bsbits) {
        long req = gen.criteria() == 4 ? ac.oLen : geo.c2b(ac.oLen);
        return req <= ((8L << 20) >> bsbits);
    }

    /** ext4_mb_pa_adjust_overlap: trim [start, end) against the nearest non-deleted PAs. */
    private long[] adjustOverlap(Ac ac, long start, long end) {
        TreeMap<Long, Prealloc> t = inodePas.get(ac.ar.ino());
        if (t == null || t.isEmpty()) {
            return new long[] {start, end};
        }
        long ns = start;
        long ne = end;
        if (gen.inodePaTree()) {
            Map.Entry<Long, Prealloc> l = t.floorEntry(ac.oLogical);
            Map.Entry<Long, Prealloc> r = t.higherEntry(ac.oLogical);
            if (l != null) {
                long lend = l.getValue().lstart + geo.c2b(l.getValue().len);
                if (lend > ns) {
                    ns = lend;
                }
            }
            if (r != null && r.getValue().lstart < ne) {
                ne = r.getValue().lstart;
            }
        } else {
            for (Prealloc p : t.values()) {
                long pend = p.lstart + geo.c2b(p.len);
                if (p.lstart >= ne || pend <= ns) {
                    continue;
                }
                if (pend <= ac.oLogical) {
                    ns = Math.max(ns, pend);
                }
                if (p.lstart > ac.oLogical) {
                    ne = Math.min(ne, p.lstart);
                }
            }
        }
        return new long[] {ns, ne};
    }

    /** ext4_mb_new_inode_pa: logical start of a best extent shorter than the goal window. */
    private long newInodePaLstart(Ac ac, int bLen, long bLogical) {
        int goalLen = gen.lstartUsesOrigGoal() ? ac.origGoalLen : ac.gLen;
        if (bLen >= goalLen) {
            return bLogical;
        }
        long origGoalEnd = ac.gLogical + geo.c2b(goalLen);
        long oEnd = ac.oLogical + geo.c2b(ac.oLen);
        long l = origGoalEnd - geo.c2b(bLen);
        if (ac.oLogical >= l) {
            return l;
        }
        l = ac.gLogical;
        if (oEnd <= l + geo.c2b(bLen)) {
            return l;
        }
        return ac.oLogical;
    }

    // ---------------------------------------------------------------- ext4_mb_regular_allocator

    private void regularAllocator(Ac ac) {
        if (!ac.aligned) {
            findByGoal(ac);
        }
        if (ac.status == FOUND || (ac.flags & MbFlags.HINT_GOAL_ONLY) != 0) {
            return;
        }
        int i = BuddyGroup.fls(ac.gLen);
        ac.twoOrder = 0;
        if (i >= tun.order2Req() && i <= geo.numOrders() && Integer.bitCount(ac.gLen) == 1) {
            ac.twoOrder = i - 1;
        }
        if ((ac.flags & MbFlags.STREAM_ALLOC) != 0) {
            if (gen.streamGoal() == KernelGeneration.StreamGoal.PER_INODE_HASH) {
                int hash = (int) Long.remainderUnsigned(ac.ar.ino() & 0xFFFFFFFFL, lastGroups.length);
                ac.gGroup = lastGroups[hash];
                ac.gStart = -1;
                ac.flags &= ~MbFlags.HINT_TRY_GOAL;
            } else {
                ac.gGroup = lastGroup;
                ac.gStart = lastStart;
            }
        }
        ac.cr = ac.twoOrder != 0 ? CR_POWER2_ALIGNED : CR_GOAL_LEN_FAST;
        boolean first = true;
        while (true) {
            if (!first) {
                // "lost chunk" retry after ext4_mb_try_best_found failed: HINT_FIRST at CR_ANY_FREE
                ac.bGroup = -1;
                ac.bLen = 0;
                ac.status = CONTINUE;
                ac.flags |= MbFlags.HINT_FIRST;
                ac.cr = CR_ANY_FREE;
            }
            first = false;
            while (ac.cr < KernelGeneration.CR_NONE) {
                if (ac.aligned && !AlignedRules.criterionAllowed(ac.cr, ac.gLen)) {
                    break;
                }
                scanGroups(ac);
                if (ac.status != CONTINUE) {
                    break;
                }
            }
            if (ac.bLen > 0 && ac.status != FOUND && (ac.flags & MbFlags.HINT_FIRST) == 0) {
                // ext4_mb_try_best_found: nobody else allocates in the model, so it is still there
                int max = groups[ac.bGroup].findExtentLength(ac.bStart, ac.bLen);
                if (max > 0) {
                    ac.bLen = max;
                    ac.status = FOUND;
                } else {
                    continue;
                }
            }
            break;
        }
    }

    /** ext4_mb_find_by_goal. */
    private void findByGoal(Ac ac) {
        if ((ac.flags & (MbFlags.HINT_TRY_GOAL | MbFlags.HINT_GOAL_ONLY)) == 0) {
            return;
        }
        if (ac.gGroup < 0 || ac.gGroup >= groups.length) {
            return;
        }
        BuddyGroup g = groups[ac.gGroup];
        if (g.free() == 0) {
            return;
        }
        int max = g.findExtentLength(ac.gStart, ac.gLen);
        // 6.5+ compares g_len with EXT4_NUM_B2C(s_stripe); 6.1 with s_stripe itself (blocks)
        long stripeC = geo.stripe() == 0 ? 0 : gen.scanAlignedReplaces() ? geo.stripe() : geo.numB2C(geo.stripe());
        if (max >= ac.gLen && ac.gLen == stripeC) {
            long start = geo.block(ac.gGroup, ac.gStart);
            if (start % geo.stripe() == 0) {
                ac.found++;
                useBest(ac, ac.gGroup, ac.gStart, max);
            }
        } else if (max >= ac.gLen) {
            ac.found++;
            useBest(ac, ac.gGroup, ac.gStart, max);
        } else if (max > 0 && (ac.flags & MbFlags.HINT_MERGE) != 0) {
            ac.found++;
            useBest(ac, ac.gGroup, ac.gStart, max);
        }
    }

    private void useBest(Ac ac, int group, int start, int len) {
        ac.bGroup = group;
        ac.bStart = start;
        ac.bLen = len;
        ac.status = FOUND;
    }

    private boolean shouldOptimizeScan(Ac ac) {
        return tun.optimizeScan() && ac.cr < CR_GOAL_LEN_SLOW;
    }

    /** ext4_mb_scan_groups (xarray generation) / the list-scanner loop of older kernels. */
    private void scanGroups(Ac ac) {
        int ngroups = ac.ar.extents() ? groups.length : groups.length; // s_blockfile_groups not modelled
        int start = ac.gGroup;
        if (start >= ngroups || start < 0) {
            start = 0;
        }
        if (gen.scanner() == KernelGeneration.Scanner.LISTS) {
            listScan(ac, start, ngroups);
            return;
        }
        if (!shouldOptimizeScan(ac)) {
            linear(ac, ngroups, start, ngroups);
            return;
        }
        if (tun.maxLinearGroups() > 0) {
            int count = tun.maxLinearGroups();
            start = linear(ac, ngroups, start, count);
            if (ac.status != CONTINUE) {
                return;
            }
        }
        switch (ac.cr) {
            case CR_POWER2_ALIGNED -> scanP2(ac, start, ngroups);
            case CR_GOAL_LEN_FAST -> scanGoalFast(ac, start, ngroups);
            case CR_BEST_AVAIL_LEN -> scanBestAvail(ac, start, ngroups);
            default -> ac.cr++;
        }
    }

    /** ext4_mb_scan_groups_linear; returns the next start group. */
    private int linear(Ac ac, int ngroups, int start, int count) {
        int group = start;
        for (int i = 0; i < count; i++) {
            scanGroup(ac, group);
            if (ac.status != CONTINUE) {
                return group;
            }
            group = group + 1 >= ngroups ? 0 : group + 1;
        }
        if (count == ngroups) {
            ac.cr++;
        }
        return group;
    }

    private void scanP2(Ac ac, int start, int ngroups) {
        int s = start;
        int e = ngroups;
        while (true) {
            for (int order = ac.twoOrder; order < geo.numOrders(); order++) {
                for (int g = s; g < e; g++) {
                    BuddyGroup bg = groups[g];
                    if (bg.largestFreeOrder() == order && bg.free() > 0) {
                        scanGroup(ac, g);
                        if (ac.status != CONTINUE) {
                            return;
                        }
                    }
                }
            }
            if (s == 0) {
                break;
            }
            e = s;
            s = 0;
        }
        ac.cr = CR_GOAL_LEN_FAST;
    }

    private boolean scanAvgRange(Ac ac, int order, int s, int e) {
        for (int g = s; g < e; g++) {
            if (groups[g].avgFragmentSizeOrder() == order) {
                scanGroup(ac, g);
                if (ac.status != CONTINUE) {
                    return true;
                }
            }
        }
        return false;
    }

    private void scanGoalFast(Ac ac, int start, int ngroups) {
        int s = start;
        int e = ngroups;
        while (true) {
            for (int i = BuddyGroup.avgFragmentOrder(ac.gLen, geo.numOrders()); i < geo.numOrders(); i++) {
                if (scanAvgRange(ac, i, s, e)) {
                    return;
                }
            }
            if (s == 0) {
                break;
            }
            e = s;
            s = 0;
        }
        ac.cr = (ac.flags & MbFlags.HINT_DATA) != 0 ? CR_BEST_AVAIL_LEN : CR_GOAL_LEN_SLOW;
    }

    private void scanBestAvail(Ac ac, int start, int ngroups) {
        int order = BuddyGroup.fls(ac.gLen) - 1;
        if (order - 1 > geo.numOrders()) {
            order = geo.numOrders();
        }
        int minOrder = Math.max(order - tun.bestAvailTrimOrder(), 0);
        int stripeC = 0;
        if (geo.stripe() > 0) {
            stripeC = (int) geo.numB2C(geo.stripe());
            if ((1 << minOrder) < stripeC) {
                minOrder = BuddyGroup.fls(stripeC) - 1;
            }
        }
        if ((1 << minOrder) < ac.oLen) {
            minOrder = BuddyGroup.fls(ac.oLen);
        }
        int s = start;
        int e = ngroups;
        while (true) {
            for (int i = order; i >= minOrder; i--) {
                ac.gLen = 1 << i;
                if (stripeC > 0) {
                    ac.gLen = (ac.gLen + stripeC - 1) / stripeC * stripeC;
                }
                int fo = BuddyGroup.avgFragmentOrder(ac.gLen, geo.numOrders());
                if (scanAvgRange(ac, fo, s, e)) {
                    return;
                }
            }
            if (s == 0) {
                break;
            }
            e = s;
            s = 0;
        }
        ac.gLen = ac.origGoalLen;
        ac.cr = CR_GOAL_LEN_SLOW;
    }

    /**
     * The ≤6.16 list scanner (6.1 ext4_mb_choose_next_group, 6.5-6.16 same shape with 5 criteria):
     * the goal group first, then at the optimised criteria the first good group in list order
     * (lists are appended at the tail whenever a group's order changes), linear otherwise.
     */
    private void listScan(Ac ac, int start, int ngroups) {
        int cr = ac.cr;
        boolean optimized = tun.optimizeScan() && cr < CR_GOAL_LEN_SLOW;
        int linearRemaining = tun.maxLinearGroups(); // ac_groups_linear_remaining, reset per criterion
        int group = start;
        for (int i = 0; i < ngroups; i++) {
            if (i > 0) {
                if (!optimized || linearRemaining > 0) {
                    // next_linear_group
                    if (optimized) {
                        linearRemaining--;
                    }
                    group = group + 1 >= ngroups ? 0 : group + 1;
                } else {
                    int next = chooseNextFromLists(ac, group, ngroups, listOrder);
                    if (ac.cr != cr) {
                        return; // no list had a good group: "goto repeat" at the new criterion
                    }
                    group = next;
                }
            }
            scanGroup(ac, group);
            if (ac.status != CONTINUE) {
                return;
            }
        }
        ac.cr = nextCriterionAfterPass(ac, cr);
    }

    /** ext4_mb_choose_next_group (≤6.16): first good group in list order; otherwise next criterion. */
    int chooseNextFromLists(Object o, int current, int ngroups, ListOrder lo) {
        Ac ac = (Ac) o;
        int cr = ac.cr;
        switch (cr) {
            case CR_POWER2_ALIGNED -> {
                for (int i = ac.twoOrder; i < geo.numOrders(); i++) {
                    int g = lo.firstByLfo(i, gg -> goodGroup(ac, gg, cr));
                    if (g >= 0) {
                        ac.flags |= MbFlags.CR0_OPTIMIZED;
                        return g;
                    }
                }
                ac.cr = CR_GOAL_LEN_FAST;
            }
            case CR_GOAL_LEN_FAST -> {
                for (int i = BuddyGroup.avgFragmentOrder(ac.gLen, geo.numOrders()); i < geo.numOrders(); i++) {
                    int g = lo.firstByAvg(i, gg -> goodGroup(ac, gg, cr));
                    if (g >= 0) {
                        return g;
                    }
                }
                ac.cr = gen.criteria() == 5 && (ac.flags & MbFlags.HINT_DATA) != 0 ? CR_BEST_AVAIL_LEN
                        : CR_GOAL_LEN_SLOW;
            }
            case CR_BEST_AVAIL_LEN -> {
                int order = BuddyGroup.fls(ac.gLen) - 1;
                int minOrder = Math.max(order - tun.bestAvailTrimOrder(), 0);
                int stripeC = geo.stripe() > 0 ? (int) geo.numB2C(geo.stripe()) : 0;
                if (stripeC > 0 && (1 << minOrder) < stripeC) {
                    minOrder = BuddyGroup.fls(stripeC) - 1;
                }
                if ((1 << minOrder) < ac.oLen) {
                    minOrder = BuddyGroup.fls(ac.oLen);
                }
                for (int i = order; i >= minOrder; i--) {
                    int len = 1 << i;
                    if (stripeC > 0) {
                        len = (len + stripeC - 1) / stripeC * stripeC;
                    }
                    int saved = ac.gLen;
                    ac.gLen = len;
                    int g = lo.firstByAvg(BuddyGroup.avgFragmentOrder(len, geo.numOrders()),
                            gg -> goodGroup(ac, gg, cr));
                    if (g >= 0) {
                        return g;
                    }
                    ac.gLen = saved;
                }
                ac.gLen = ac.origGoalLen;
                ac.cr = CR_GOAL_LEN_SLOW;
            }
            default -> {
                return current + 1 >= ngroups ? 0 : current + 1;
            }
        }
        return current + 1 >= ngroups ? 0 : current + 1;
    }

    private int nextCriterionAfterPass(Ac ac, int cr) {
        if (gen.criteria() == 4) {
            return switch (cr) {
                case CR_POWER2_ALIGNED -> CR_GOAL_LEN_FAST;
                case CR_GOAL_LEN_FAST -> CR_GOAL_LEN_SLOW;
                case CR_GOAL_LEN_SLOW -> CR_ANY_FREE;
                default -> KernelGeneration.CR_NONE;
            };
        }
        if (cr == CR_BEST_AVAIL_LEN) {
            ac.gLen = ac.origGoalLen;
        }
        return cr + 1;
    }

    /** ext4_mb_scan_group: good-group checks, then __ext4_mb_scan_group. */
    void scanGroup(Ac ac, int g) {
        BuddyGroup bg = groups[g];
        int free = bg.free();
        if (free == 0) {
            return;
        }
        if (ac.cr < CR_ANY_FREE && free < ac.gLen) {
            return;
        }
        // EXT4_MB_GRP_NEED_INIT (ext4_mb_good_group_nolock): at the cheap criteria a cold buddy is
        // not loaded, except for the first group of a flex group and BLOCK_UNINIT groups; otherwise
        // ext4_mb_init_group generates it and the scan goes on (6.1 only, see mountState).
        if (needInit != null && needInit[g] && ac.cr < CR_GOAL_LEN_SLOW && !blockUninit[g]
                && (geo.logGroupsPerFlex() == 0 || (g & (geo.flexSize() - 1)) != 0)) {
            return;
        }
        if (!goodGroup(ac, g, ac.cr)) {
            return;
        }
        ac.groupsScanned++;
        if (ac.cr == CR_POWER2_ALIGNED) {
            simpleScan(ac, bg);
            return;
        }
        long stripeC = geo.stripe() == 0 ? 0 : geo.numB2C(geo.stripe());
        boolean stripeAligned = geo.stripe() >= geo.clusterRatio() && stripeC > 0 && ac.gLen % stripeC == 0;
        if (gen.scanAlignedReplaces()) {
            // 6.1: at CR1 with g_len a multiple of s_stripe (compared raw, in blocks) the aligned scan
            // replaces the complex scan
            if (ac.cr == CR_GOAL_LEN_FAST && geo.stripe() > 0 && ac.gLen % geo.stripe() == 0) {
                scanAligned(ac, bg);
            } else {
                complexScan(ac, bg);
            }
            return;
        }
        if ((ac.cr == CR_GOAL_LEN_FAST || ac.cr == CR_BEST_AVAIL_LEN) && stripeAligned) {
            scanAligned(ac, bg);
        }
        if (ac.status == CONTINUE) {
            complexScan(ac, bg);
        }
    }

    /** ext4_mb_good_group. */
    boolean goodGroup(Ac ac, int g, int cr) {
        BuddyGroup bg = groups[g];
        int free = bg.free();
        if (free == 0) {
            return false;
        }
        int frags = bg.fragments();
        if (frags == 0) {
            return false;
        }
        switch (cr) {
            case CR_POWER2_ALIGNED:
                if ((ac.flags & MbFlags.HINT_DATA) != 0 && geo.flexSize() >= FLEX_SIZE_DIR_ALLOC_SCHEME
                        && g % geo.flexSize() == 0) {
                    return false;
                }
                if (free < ac.gLen) {
                    return false;
                }
                if (ac.twoOrder >= geo.numOrders()) {
                    return true;
                }
                return bg.largestFreeOrder() >= ac.twoOrder;
            case CR_GOAL_LEN_FAST:
            case CR_BEST_AVAIL_LEN:
                return free / frags >= ac.gLen;
            case CR_GOAL_LEN_SLOW:
                return free >= ac.gLen;
            default:
                return true;
        }
    }

    /** ext4_mb_simple_scan_group. */
    private void simpleScan(Ac ac, BuddyGroup bg) {
        for (int i = ac.twoOrder; i < geo.numOrders(); i++) {
            if (bg.counter(i) == 0) {
                continue;
            }
            int k = bg.firstChunkOfOrder(i);
            if (k < 0) {
                break;
            }
            ac.found++;
            useBest(ac, bg.group(), k, 1 << i);
            break;
        }
    }

    /** ext4_mb_complex_scan_group. */
    private void complexScan(Ac ac, BuddyGroup bg) {
        int free = bg.free();
        int n = bg.size();
        int i = bg.firstFree();
        boolean cheap = ac.cr < CR_GOAL_LEN_SLOW;
        while (free > 0 && ac.status == CONTINUE) {
            i = bg.nextFree(i, n);
            if (i >= n) {
                break;
            }
            if (cheap && gen.skipShortRuns()) {
                int j = bg.nextUsed(i, n);
                int freelen = j - i;
                if (freelen < ac.gLen) {
                    i = j;
                    free -= freelen;
                    continue;
                }
            }
            int exLen = bg.findExtentLength(i, ac.gLen);
            if (exLen <= 0 || free < exLen) {
                break;
            }
            measureExtent(ac, bg.group(), i, exLen);
            i += exLen;
            free -= exLen;
        }
        checkLimits(ac, true);
    }

    /** ext4_mb_scan_aligned. */
    private void scanAligned(Ac ac, BuddyGroup bg) {
        long first = geo.groupFirstBlock(bg.group());
        long stripe = geo.stripe();
        long a = (first + stripe - 1) / stripe;
        long iBlocks = a * stripe - first;
        // 6.5+ converts the stripe and the start to clusters; 6.1 uses s_stripe blocks as cluster counts
        boolean legacy = gen.scanAlignedReplaces();
        int stripeC = (int) (legacy ? stripe : geo.numB2C(stripe));
        int i = (int) (legacy ? iBlocks : iBlocks >> geo.clusterBits());
        while (i < bg.size()) {
            if (!bg.isUsed(i)) {
                int max = bg.findExtentLength(i, stripeC);
                if (max >= stripeC) {
                    ac.found++;
                    useBest(ac, bg.group(), i, max);
                    break;
                }
            }
            i += stripeC;
        }
    }

    /** ext4_mb_measure_extent. */
    private void measureExtent(Ac ac, int group, int start, int len) {
        ac.found++;
        if ((ac.flags & MbFlags.HINT_FIRST) != 0 || len == ac.gLen) {
            useBest(ac, group, start, len);
            return;
        }
        if (ac.bLen == 0) {
            ac.bGroup = group;
            ac.bStart = start;
            ac.bLen = len;
            return;
        }
        if (ac.bLen < ac.gLen) {
            if (len > ac.bLen) {
                ac.bGroup = group;
                ac.bStart = start;
                ac.bLen = len;
            }
        } else if (len > ac.gLen) {
            if (len < ac.bLen) {
                ac.bGroup = group;
                ac.bStart = start;
                ac.bLen = len;
            }
        }
        checkLimits(ac, false);
    }

    /** ext4_mb_check_limits. */
    private void checkLimits(Ac ac, boolean finishGroup) {
        if (ac.status == FOUND) {
            return;
        }
        if (ac.found > tun.maxToScan() && (ac.flags & MbFlags.HINT_FIRST) == 0) {
            ac.status = BREAK;
            return;
        }
        if (ac.bLen < ac.gLen) {
            return;
        }
        if (finishGroup || ac.found > tun.minToScan()) {
            ac.status = FOUND;
        }
    }

    // ====================================================================== applying the kernel's actions

    /** Marks clusters in use (the kernel's found extent, or an allocation without mballoc events). */
    public void applyUsed(int group, int start, int len) {
        if (group < 0 || group >= groups.length || len <= 0) {
            return;
        }
        int l = Math.min(len, groups[group].size() - start);
        if (start < 0 || l <= 0) {
            return;
        }
        applyLoaded(group);
        groups[group].setUsed(start, l);
        touch(groups[group]);
    }

    /** Marks a block range in use, split per group. */
    public void applyUsedBlocks(long block, long clusters) {
        long b = block;
        long left = clusters;
        while (left > 0 && b < geo.blocksCount()) {
            int g = geo.groupOf(b);
            int off = geo.offsetOf(b);
            int n = (int) Math.min(left, geo.clustersPerGroup() - off);
            applyUsed(g, off, n);
            left -= n;
            b = geo.block(g, off + n);
        }
    }

    /** Returns clusters to the buddy at once (PA discard: those clusters never reached the on-disk bitmap). */
    public void applyFreeNow(int group, int start, int len) {
        if (group < 0 || group >= groups.length || len <= 0 || start < 0) {
            return;
        }
        int l = Math.min(len, groups[group].size() - start);
        applyLoaded(group);
        groups[group].free(start, l);
        touch(groups[group]);
        // a discard of something still pending makes the pending entry moot
    }

    /** ext4_mb_free_metadata: freed clusters become allocatable at the freeing transaction's commit. */
    public void applyFreeDeferred(int group, int start, int len, long nowNs) {
        if (group < 0 || group >= groups.length || len <= 0 || start < 0) {
            return;
        }
        applyLoaded(group); // ext4_mb_clear_bb loads the buddy of the freed range
        pending.add(new PendingFree(group, start, Math.min(len, groups[group].size() - start), nowNs));
    }

    /** Commits every pending free made at or before {@code freedUpToNs}. */
    public void commitUpTo(long freedUpToNs) {
        commitSorted(freedUpToNs);
    }

    /** Pending frees overlapping a cluster range of a group. */
    public boolean pendingOverlaps(int group, int start, int len) {
        return pending.overlaps(group, start, len);
    }

    /**
     * The kernel allocated clusters the model still holds as freed-but-uncommitted: the freeing
     * transaction has evidently committed, and jbd2 commits transactions in order, so every free
     * made up to that one is committed too. Returns the number of pending frees released.
     */
    public int inferCommit(int group, int start, int len) {
        long latest = pending.latestOverlapping(group, start, len);
        if (latest == Long.MIN_VALUE) {
            return 0;
        }
        return commitSorted(latest);
    }

    private int commitSorted(long upTo) {
        return pending.releaseUpTo(upTo, releaseToBuddy);
    }

    /** ext4_free_data_in_buddy for one committed entry. */
    private void releaseToBuddy(PendingFree p) {
        groups[p.group()].free(p.start(), p.len());
        touch(groups[p.group()]);
        if (commitListener != null) {
            commitListener.accept(p);
        }
    }

    private final java.util.function.Consumer<PendingFree> releaseToBuddy = this::releaseToBuddy;

    private java.util.function.Consumer<PendingFree> commitListener;

    /** Called for every pending free the model releases to the buddy (for classification). */
    public void onCommit(java.util.function.Consumer<PendingFree> listener) {
        this.commitListener = listener;
    }

    /** Drops pending frees overlapping a range the kernel just allocated (it evidently had them back). */
    public void forgetPending(int group, int start, int len) {
        // parts that are still pending but were in use anyway stay used; nothing to re-add to the buddy
        pending.forget(group, start, len);
    }

    /** Adds to {@code out} the pending frees made at or before {@code freedUpToNs}. */
    public void pendingSnapshot(List<PendingFree> out, long freedUpToNs) {
        pending.snapshot(out, freedUpToNs);
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Creates a PA as the kernel did (ext4_mb_new_inode_pa / ext4_mb_new_group_pa event). */
    public Prealloc applyNewPa(Prealloc.Type type, long ino, int cpu, long pstart, long lstart, int len) {
        Prealloc pa = new Prealloc(type, ino, cpu, pstart, lstart, len, len, ++paSeq);
        if (type == Prealloc.Type.INODE) {
            inodePas.computeIfAbsent(ino, k -> new TreeMap<>()).put(lstart, pa);
        }
        return pa;
    }

    /** ext4_mb_use_inode_pa accounting: {@code clusters} taken from the inode PA covering {@code block}. */
    public boolean applyUseInodePa(long ino, long block, long clusters) {
        TreeMap<Long, Prealloc> t = inodePas.get(ino);
        if (t == null) {
            return false;
        }
        for (Iterator<Prealloc> it = t.values().iterator(); it.hasNext();) {
            Prealloc p = it.next();
            if (block >= p.pstart && block < p.pstart + geo.c2b(p.len)) {
                p.free -= (int) clusters;
                if (p.free <= 0) {
                    p.deleted = true;
                    it.remove(); // ext4_mb_put_pa
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Group PA use as in ext4_mb_release_context: head advanced by the allocation, then re-filed
     * by ext4_mb_add_n_trim (or dropped when empty).
     */
    public boolean applyUseGroupPa(Prealloc pa, long clusters) {
        if (pa == null) {
            return false;
        }
        removeFromLg(pa);
        pa.pstart += geo.c2b(clusters);
        pa.lstart += geo.c2b(clusters);
        pa.free -= (int) clusters;
        pa.len -= (int) clusters;
        if (pa.free > 0) {
            addNTrim(pa);
        } else {
            pa.deleted = true;
        }
        return true;
    }

    /** The group PA of any locality group whose current head is {@code block} (preferring cpu's). */
    public Prealloc findGroupPa(int cpu, long block) {
        List<List<Prealloc>> own = lgLists.get(cpu);
        Prealloc p = findIn(own, block);
        if (p != null) {
            return p;
        }
        for (List<List<Prealloc>> l : lgLists.values()) {
            p = findIn(l, block);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static Prealloc findIn(List<List<Prealloc>> lists, long block) {
        if (lists == null) {
            return null;
        }
        for (List<Prealloc> b : lists) {
            for (Prealloc p : b) {
                if (p.pstart == block) {
                    return p;
                }
            }
        }
        return null;
    }

    private void removeFromLg(Prealloc pa) {
        List<List<Prealloc>> lists = lgLists.get(pa.cpu);
        if (lists != null) {
            for (List<Prealloc> b : lists) {
                b.remove(pa);
            }
        }
    }

    /** ext4_mb_add_n_trim without the trim (the kernel's own discard events are applied instead). */
    private void addNTrim(Prealloc pa) {
        List<List<Prealloc>> lists = lgLists.computeIfAbsent(pa.cpu, k -> {
            List<List<Prealloc>> l = new ArrayList<>();
            for (int i = 0; i < PREALLOC_TB_SIZE; i++) {
                l.add(new ArrayList<>());
            }
            return l;
        });
        int order = Math.min(BuddyGroup.fls(pa.free) - 1, PREALLOC_TB_SIZE - 1);
        List<Prealloc> bucket = lists.get(order);
        int pos = bucket.size();
        for (int i = 0; i < bucket.size(); i++) {
            if (!bucket.get(i).deleted && pa.free < bucket.get(i).free) {
                pos = i;
                break;
            }
        }
        bucket.add(pos, pa);
    }

    /** ext4_mb_release_group_pa as traced (pstart, len). */
    public boolean applyReleaseGroupPa(long pstart) {
        for (List<List<Prealloc>> l : lgLists.values()) {
            for (List<Prealloc> b : l) {
                for (Iterator<Prealloc> it = b.iterator(); it.hasNext();) {
                    Prealloc p = it.next();
                    if (p.pstart == pstart) {
                        p.deleted = true;
                        it.remove();
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** ext4_mb_release_inode_pa as traced: the PA of {@code ino} containing {@code block} is gone. */
    public boolean applyReleaseInodePa(long ino, long block) {
        TreeMap<Long, Prealloc> t = inodePas.get(ino);
        if (t == null) {
            return false;
        }
        for (Iterator<Prealloc> it = t.values().iterator(); it.hasNext();) {
            Prealloc p = it.next();
            if (block >= p.pstart && block < p.pstart + geo.c2b(p.len)) {
                p.deleted = true;
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** ext4_discard_preallocations(inode): every PA of the inode is dropped. */
    public int applyDiscardInodePas(long ino) {
        TreeMap<Long, Prealloc> t = inodePas.remove(ino);
        return t == null ? 0 : t.size();
    }

    /** Remembers the stream goal as ext4_mb_use_best_found does for STREAM_ALLOC. */
    public void applyStreamGoal(long ino, int group, int start) {
        if (gen.streamGoal() == KernelGeneration.StreamGoal.PER_INODE_HASH) {
            lastGroups[(int) Long.remainderUnsigned(ino & 0xFFFFFFFFL, lastGroups.length)] = group;
        } else {
            lastGroup = group;
            lastStart = start;
        }
    }

    /** Inode PAs of an inode (read-only view). */
    public NavigableMap<Long, Prealloc> inodePas(long ino) {
        TreeMap<Long, Prealloc> t = inodePas.get(ino);
        return t == null ? new TreeMap<>() : java.util.Collections.unmodifiableNavigableMap(t);
    }

    /** Every live PA (inode and group). */
    public List<Prealloc> allPas() {
        List<Prealloc> all = new ArrayList<>();
        for (TreeMap<Long, Prealloc> t : inodePas.values()) {
            all.addAll(t.values());
        }
        for (List<List<Prealloc>> l : lgLists.values()) {
            for (List<Prealloc> b : l) {
                all.addAll(b);
            }
        }
        return all;
    }

    private void touch(BuddyGroup bg) {
        if (listOrder != null && (needInit == null || !needInit[bg.group()])) {
            listOrder.touch(bg);
        }
    }

    /** The list scanner's history (group order per list), kept current after every change. */
    ListOrder listOrder() {
        return listOrder;
    }
}
