package io.mbscope.replay.atomic;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.model.AllocRequest;
import io.mbscope.replay.model.AllocationPolicy;
import io.mbscope.replay.model.BuddyGroup;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.MballocModel;
import io.mbscope.replay.model.MbFlags;
import io.mbscope.replay.model.Prealloc;
import io.mbscope.replay.model.Prediction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC aligned allocator as a what-if, on the allocator model. A {@link ReplayEngine} replays the
 * whole trace (initial bitmaps from the capture, every real allocation, PA, free and discard, frees
 * held back until their journal commit), so the model is the real allocator state at every instant.
 * At each atomic write, {@link #evaluate} asks {@link MballocModel#predict(AllocRequest,
 * AllocationPolicy)} with {@link AllocationPolicy#RFC_ALIGNED} what ext4_mb_new_blocks would have done
 * with the request ext4_ext_map_blocks builds for the write (goal from ext4_ext_find_goal, left/right
 * neighbours from ext4_ext_search_left/right, i_size as the replay infers it): its PAs, normalisation,
 * criteria, group scan order, mb_optimize_scan and stream goal are those of the traced kernel's
 * generation.
 *
 * <p><b>The what-if state is the real state plus the what-if's own placements.</b> A write the real
 * kernel did not perform but the RFC would have placed is kept (its clusters, its new inode PA, its
 * mapping); a write the kernel performed keeps its real blocks (its RFC outcome is reported, not
 * applied), so every later real event still finds what it refers to. Conflicts, all counted:
 * <ul>
 *   <li>a later real allocation (ext4_mballoc_alloc result or ext4_allocate_blocks) that takes
 *       clusters a what-if placement holds: the real allocation wins; the what-if loses those clusters
 *       (its mapping of them is dropped, an overlay PA touched is dissolved and its other unused
 *       clusters return to the buddy) -- a {@link #collisions() collision};</li>
 *   <li>a later real mapping of a logical range the what-if had mapped (the workload rewrote it
 *       without RWF_ATOMIC): the real mapping wins and the what-if's blocks there are released at once
 *       (they never reached the disk);</li>
 *   <li>truncate/punch (ext4_remove_blocks) or inode release over what-if blocks: freed like the
 *       kernel frees data, at the next journal commit; ext4_discard_preallocations of the inode
 *       releases its what-if PAs at once, as the kernel does for PA space.</li>
 * </ul>
 */
public final class RfcReplay {

    /** The RFC's switches: its TODO fallback, and the cover letter's data=journal question. */
    public record Options(boolean fallbackToOriginal, boolean dataJournalRefuses) {
    }

    private static final int MFLAG_MAPPED = 0x10;
    private static final int MFLAG_UNWRITTEN = 0x800;

    /** A PA the what-if created: blocks [pstart, pstart+lenBlocks) for logical lstart.. . */
    private static final class OverlayPa {
        final long ino;
        final long pstart;
        final long lstart;
        final long lenBlocks;
        final BitSet used = new BitSet();

        OverlayPa(long ino, long pstart, long lstart, long lenBlocks) {
            this.ino = ino;
            this.pstart = pstart;
            this.lstart = lstart;
            this.lenBlocks = lenBlocks;
        }

        boolean overlaps(long block, long blocks) {
            return block < pstart + lenBlocks && pstart < block + blocks;
        }
    }

    private final ReplayEngine engine;
    private final MballocModel model;
    private final Geometry geo;
    private final FsLayout layout;
    private final Options options;
    private final boolean deferFrees;
    private final Map<Long, InodeMap> real = new HashMap<>();
    private final Map<Long, InodeMap> overlay = new HashMap<>();
    private final List<OverlayPa> overlayPas = new ArrayList<>();
    /** Clusters (group * clusters per group + offset) the what-if holds beyond the real state. */
    private final BitSet claimed = new BitSet();
    private long collisions;
    private long placements;
    private long rewrites;

    /**
     * @param engine     a replay engine started from the capture's initial state, owned by this what-if
     * @param layout     the same file system
     * @param deferFrees whether the engine holds frees until their commit (its commit delay is not 0)
     */
    public RfcReplay(ReplayEngine engine, FsLayout layout, Options options, boolean deferFrees) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.model = engine.model();
        this.geo = model.geometry();
        this.layout = Objects.requireNonNull(layout, "layout");
        this.options = Objects.requireNonNull(options, "options");
        this.deferFrees = deferFrees;
        if (geo.groupCount() != layout.groupCount() || geo.blockSize() != layout.blockSize()) {
            throw new IllegalArgumentException("model geometry (" + geo.groupCount() + " groups, block "
                    + geo.blockSize() + ") differs from the layout (" + layout.groupCount() + ", "
                    + layout.blockSize() + ")");
        }
    }

    public MballocModel model() {
        return model;
    }

    /** Real allocations that took clusters a what-if placement held. */
    public long collisions() {
        return collisions;
    }

    /** What-if placements kept in the state. */
    public long placements() {
        return placements;
    }

    /** Real mappings that replaced a what-if mapping of the same logical range. */
    public long rewrites() {
        return rewrites;
    }

    /** Clusters the what-if holds beyond the real state. */
    public long claimedClusters() {
        return claimed.cardinality();
    }

    /** The first blocks of the clusters the what-if holds beyond the real state, ascending. */
    public long[] claimedBlocks() {
        long[] out = new long[claimed.cardinality()];
        int i = 0;
        for (int c = claimed.nextSetBit(0); c >= 0; c = claimed.nextSetBit(c + 1)) {
            out[i++] = geo.block(c / geo.clustersPerGroup(), c % geo.clustersPerGroup());
        }
        return out;
    }

    /**
     * The free clusters of the real file system once every pending free has committed and every real
     * PA has been discarded, i.e. what dumpe2fs shows after unmount: the model's free clusters, plus
     * frees waiting for a commit, plus what the what-if holds, plus the unused part of real PAs.
     */
    public long realFreeClustersAtUnmount() {
        List<MballocModel.PendingFree> pending = new ArrayList<>();
        model.pendingSnapshot(pending, Long.MAX_VALUE);
        long n = model.totalFree() + claimed.cardinality();
        for (MballocModel.PendingFree p : pending) {
            n += p.len();
        }
        for (Prealloc pa : model.allPas()) {
            boolean mine = false;
            for (OverlayPa o : overlayPas) {
                mine |= o.ino == pa.ino() && o.pstart == pa.pstart() && pa.type() == Prealloc.Type.INODE;
            }
            if (!mine) {
                n += pa.free();
            }
        }
        return n;
    }

    /** Events the engine ignored (numbers outside the file system). */
    public int ignoredEvents() {
        return engine.ignoredEvents();
    }

    /** The real mapping of an inode as the trace built it. */
    public InodeMap realMap(long ino) {
        return real.computeIfAbsent(ino, k -> new InodeMap());
    }

    // ================================================================== real events

    /** Applies one real event: conflicts with what-if placements first, then the engine. */
    public void accept(TraceEvent e) {
        if (e instanceof TraceEvent.MballocAlloc a) {
            if (a.result().len() > 0) {
                collide(a.result().group(), a.result().start(), a.result().len(), e.timestampNs());
            }
        } else if (e instanceof TraceEvent.AllocateBlocks a) {
            if (a.len() > 0 && a.block() >= geo.firstDataBlock() && a.block() < geo.blocksCount()) {
                collide(geo.groupOf(a.block()), geo.offsetOf(a.block()), a.len(), e.timestampNs());
            }
        } else if (e instanceof TraceEvent.DiscardPreallocations d) {
            // what-if PAs of the inode go (the trace has no per-PA release event for them)
            releasePas(d.ino());
        } else if (e instanceof TraceEvent.MapBlocksExit m) {
            if (m.ret() > 0 && m.pblk() > 0 && (m.mflags() & (MFLAG_MAPPED | MFLAG_UNWRITTEN)) != 0) {
                InodeMap o = overlay.get(m.ino());
                if (o != null && !o.lookup(m.lblk(), m.ret()).isEmpty()) {
                    rewrites++;
                    releaseData(m.ino(), m.lblk(), m.ret(), false, e.timestampNs());
                }
                realMap(m.ino()).map(m.lblk(), m.ret(), m.pblk(), (m.mflags() & MFLAG_UNWRITTEN) != 0);
            }
        } else if (e instanceof TraceEvent.RemoveBlocks r) {
            if (r.to() >= r.from()) {
                long len = r.to() - r.from() + 1;
                releaseData(r.ino(), r.from(), len, deferFrees, e.timestampNs());
                realMap(r.ino()).remove(r.from(), len);
            }
        } else if (e instanceof TraceEvent.FreeInode f) {
            releaseData(f.ino(), 0, Long.MAX_VALUE / 4, deferFrees, e.timestampNs());
            releasePas(f.ino());
            real.remove(f.ino());
            overlay.remove(f.ino());
        }
        engine.accept(e);
        if (e instanceof TraceEvent.MballocDiscard d) {
            // a real PA's unused clusters go back to the buddy, but those the what-if took from it
            // (an aligned request served by that inode PA) stay the what-if's
            keepClaimed(d.group(), d.start(), d.len());
        }
    }

    private void keepClaimed(long group, long start, long len) {
        if (group < 0 || group >= geo.groupCount() || start < 0) {
            return;
        }
        long from = cluster(group, start);
        long to = from + Math.min(len, geo.clustersInGroup((int) group) - start);
        for (int c = claimed.nextSetBit((int) from); c >= 0 && c < to; c = claimed.nextSetBit(c + 1)) {
            model.applyUsed((int) group, (int) (c - cluster(group, 0)), 1);
        }
    }

    private long cluster(long group, long start) {
        return group * geo.clustersPerGroup() + start;
    }

    /** A real allocation of clusters [start, start+len) in a group: the real world wins over the what-if. */
    private void collide(long group, long start, long len, long nowNs) {
        if (group < 0 || group >= geo.groupCount() || start < 0) {
            return;
        }
        long from = cluster(group, start);
        long to = from + Math.min(len, geo.clustersPerGroup() - start);
        int hit = claimed.nextSetBit((int) from);
        if (hit < 0 || hit >= to) {
            return;
        }
        collisions++;
        claimed.clear((int) from, (int) to);
        long firstBlock = geo.block((int) group, (int) start);
        long blocks = geo.c2b(to - from);
        // the what-if's data there is lost
        for (Map.Entry<Long, InodeMap> en : overlay.entrySet()) {
            for (InodeMap.Run r : en.getValue().runs()) {
                long s = Math.max(r.pblk(), firstBlock);
                long t = Math.min(r.pblk() + r.len(), firstBlock + blocks);
                if (s < t) {
                    en.getValue().remove(r.lblk() + (s - r.pblk()), t - s);
                }
            }
        }
        // a what-if PA there dissolves; its other unused clusters go back to the buddy
        for (Iterator<OverlayPa> it = overlayPas.iterator(); it.hasNext();) {
            OverlayPa pa = it.next();
            if (pa.overlaps(firstBlock, blocks)) {
                it.remove();
                dissolve(pa, nowNs);
            }
        }
    }

    private void releasePas(long ino) {
        for (Iterator<OverlayPa> it = overlayPas.iterator(); it.hasNext();) {
            OverlayPa pa = it.next();
            if (pa.ino == ino) {
                it.remove();
                dissolve(pa, 0);
            }
        }
    }

    /** Drops a what-if PA from the model and frees its unused, still claimed clusters at once. */
    private void dissolve(OverlayPa pa, long nowNs) {
        model.applyReleaseInodePa(pa.ino, pa.pstart);
        int ratio = geo.clusterRatio();
        for (long b = 0; b < pa.lenBlocks; b += ratio) {
            if (!pa.used.get((int) b)) {
                freeClaimed(pa.pstart + b, 1, false, nowNs);
            }
        }
    }

    /** Releases what-if data of logical blocks [lblk, lblk+len) of an inode. */
    private void releaseData(long ino, long lblk, long len, boolean deferred, long nowNs) {
        InodeMap o = overlay.get(ino);
        if (o == null || o.isEmpty()) {
            return;
        }
        for (InodeMap.Run r : o.lookup(lblk, len)) {
            freeClaimed(r.pblk(), geo.numB2C(r.len()), deferred, nowNs);
        }
        o.remove(lblk, len);
    }

    /** Frees the claimed clusters among [block, block + clusters) in the model. */
    private void freeClaimed(long block, long clusters, boolean deferred, long nowNs) {
        if (block < geo.firstDataBlock() || block >= geo.blocksCount()) {
            return;
        }
        int g = geo.groupOf(block);
        int s = geo.offsetOf(block);
        for (int i = 0; i < clusters && s + i < geo.clustersInGroup(g); i++) {
            int c = (int) cluster(g, s + i);
            if (claimed.get(c)) {
                claimed.clear(c);
                if (deferred) {
                    model.applyFreeDeferred(g, s + i, 1, nowNs);
                } else {
                    model.applyFreeNow(g, s + i, 1);
                }
            }
        }
    }

    // ================================================================== the what-if

    /**
     * What the RFC would do with an atomic write of {@code w.length()} bytes at {@code w.offset()} to
     * inode {@code ino}, issued on {@code cpu}, in the state just before it. {@code keep} adds a
     * success to the what-if state (pass true when the real kernel did not perform the write).
     */
    public RfcOutcome evaluate(long ino, AtomicWrite w, DeviceAtomicLimits dev, int cpu, boolean keep) {
        Verdict pre = RfcRules.precheck(layout, dev, w, options.dataJournalRefuses());
        if (!pre.success() || pre.reason() != Reason.OK) {
            return RfcOutcome.of(pre);
        }
        int bs = layout.blockSize();
        long lblk = w.offset() / bs;
        long n = w.length() / bs;
        InodeMap merged = merged(ino);
        List<InodeMap.Run> runs = merged.lookup(lblk, n);
        long mapped = runs.stream().mapToLong(InodeMap.Run::len).sum();
        if (mapped == n) {
            // RFC 6/7 ext4_map_blocks_aligned: a lookup must return the whole range as one extent
            // starting at a multiple of the length (ext4_map_check_alignment)
            boolean oneRun = true;
            for (int i = 1; i < runs.size(); i++) {
                InodeMap.Run a = runs.get(i - 1);
                InodeMap.Run b = runs.get(i);
                if (b.pblk() != a.pblk() + a.len() || b.unwritten() != a.unwritten()) {
                    oneRun = false;
                }
            }
            long p = runs.get(0).pblk();
            if (oneRun && p % n == 0) {
                return new RfcOutcome(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_EXISTING), p, -1, 0, 0);
            }
            return new RfcOutcome(Verdict.of(Errno.EIO, Reason.RFC_EXISTING_MISALIGNED), p, -1, 0, 0);
        }
        if (mapped > 0) {
            return RfcOutcome.of(Verdict.of(Errno.EIO, Reason.RFC_MIXED_MAPPING));
        }
        AllocRequest ar = request(ino, merged, lblk, n, cpu, MbFlags.HINT_DATA);
        Prediction p = model.predict(ar, AllocationPolicy.RFC_ALIGNED);
        long normalized = p.preallocated() ? n : geo.c2b(p.goal().len());
        boolean fellBack = false;
        if (p.len() == 0 && options.fallbackToOriginal() && normalized > n) {
            // the RFC's TODO: retry without normalisation, i.e. for the original length only
            Prediction f = model.predict(request(ino, merged, lblk, n, cpu, MbFlags.HINT_DATA
                    | MbFlags.HINT_NOPREALLOC), AllocationPolicy.RFC_ALIGNED);
            if (f.len() > 0) {
                p = f;
                fellBack = true;
            }
        }
        long goal = ar.goal();
        if (p.len() == 0) {
            return new RfcOutcome(Verdict.of(Errno.ENOSPC, Reason.RFC_NO_ALIGNED_SPACE), -1, goal, normalized, 0,
                    firstAlignedFreeAfter(goal, n), p.criterion());
        }
        long block = p.block();
        long chunk = p.preallocated() ? geo.c2b(p.len()) : geo.c2b(Math.min(p.result().len(), p.goal().len()));
        if (geo.c2b(p.len()) < n) {
            return new RfcOutcome(Verdict.of(Errno.EIO, Reason.RFC_SHORT_MAPPING), block, goal, normalized, chunk,
                    -1, p.criterion());
        }
        if (block % n != 0) {
            // the buddy aligns inside the group; 1 KiB-block groups start at block 1 (RFC 6/7 m_pblk % m_len)
            return new RfcOutcome(Verdict.of(Errno.EIO, Reason.RFC_GROUP_RELATIVE_ALIGNMENT), block, goal,
                    normalized, chunk, firstAlignedFreeAfter(goal, n), p.criterion());
        }
        if (keep) {
            apply(p, ino, lblk, n, cpu);
        }
        Reason r = p.preallocated() ? Reason.RFC_OK_PREALLOC : fellBack ? Reason.RFC_OK_FALLBACK
                : Reason.RFC_OK_ALLOCATED;
        return new RfcOutcome(Verdict.of(Errno.SUCCESS, r), block, goal, normalized, chunk, -1, p.criterion());
    }

    /** ext4_ext_map_blocks' request for a hole [lblk, lblk+n) of a regular extent file (no delalloc: DIO). */
    private AllocRequest request(long ino, InodeMap map, long lblk, long n, int cpu, int flags) {
        InodeMap.Run left = map.leftOf(lblk);
        InodeMap.Run right = map.rightOf(lblk);
        long lleft = left == null ? lblk : left.end() - 1;
        long pleft = left == null ? 0 : left.pblk() + left.len() - 1;
        long lright = right == null ? lblk : right.lblk();
        long pright = right == null ? 0 : right.pblk();
        return new AllocRequest(ino, flags, geo.numB2C(n), lblk, goal(map, ino, lblk), lleft, lright, pleft, pright,
                cpu, engine.inferredIsizeBytes(ino), true, true);
    }

    /** Applies an RFC success to the model: its clusters, its new inode PA, the stream goal, the mapping. */
    private void apply(Prediction p, long ino, long lblk, long n, int cpu) {
        placements++;
        long block = p.block();
        long clusters = geo.numB2C(n);
        if (p.preallocated()) {
            model.applyUseInodePa(ino, block, clusters);
            for (OverlayPa pa : overlayPas) {
                if (pa.ino == ino && pa.overlaps(block, n)) {
                    pa.used.set((int) (block - pa.pstart), (int) (block - pa.pstart + n));
                }
            }
            claim(block, clusters);
        } else {
            int g = (int) p.result().group();
            int s = (int) p.result().start();
            int len = (int) Math.min(p.result().len(), p.goal().len());
            model.applyUsed(g, s, len);
            claim(geo.block(g, s), len);
            Prediction.NewPa np = p.newPa();
            if (np != null) {
                model.applyNewPa(Prealloc.Type.INODE, ino, cpu, np.pstart(), np.lstart(), np.len());
                model.applyUseInodePa(ino, block, clusters);
                OverlayPa pa = new OverlayPa(ino, np.pstart(), np.lstart(), geo.c2b(np.len()));
                pa.used.set((int) (block - np.pstart()), (int) (block - np.pstart() + n));
                overlayPas.add(pa);
            }
            if ((p.flags() & MbFlags.STREAM_ALLOC) != 0) {
                model.applyStreamGoal(ino, g, s);
            }
        }
        overlay.computeIfAbsent(ino, k -> new InodeMap()).map(lblk, n, block, false);
    }

    private void claim(long block, long clusters) {
        int g = geo.groupOf(block);
        long c = cluster(g, geo.offsetOf(block));
        claimed.set((int) c, (int) (c + clusters));
    }

    private InodeMap merged(long ino) {
        InodeMap o = overlay.get(ino);
        InodeMap r = realMap(ino);
        if (o == null || o.isEmpty()) {
            return r;
        }
        InodeMap m = new InodeMap();
        for (InodeMap.Run x : r.runs()) {
            m.map(x.lblk(), x.len(), x.pblk(), x.unwritten());
        }
        for (InodeMap.Run x : o.runs()) {
            m.map(x.lblk(), x.len(), x.pblk(), x.unwritten());
        }
        return m;
    }

    /**
     * ext4_ext_find_goal: from the extent at or before lblk (or the first one), else
     * ext4_inode_to_goal_block: the first block of the inode's group, rounded down to its flex group
     * and +1 for regular files (delalloc mounts return bg_start without colouring).
     */
    long goal(InodeMap map, long ino, long lblk) {
        InodeMap.Run r = map.goalRun(lblk);
        if (r != null) {
            return lblk >= r.lblk() ? r.pblk() + (lblk - r.lblk()) : Math.max(0, r.pblk() - (r.lblk() - lblk));
        }
        long group = layout.inodesPerGroup() > 0 ? (ino - 1) / layout.inodesPerGroup() : 0;
        if (layout.flexBgSize() >= 4) {
            group &= ~((long) layout.flexBgSize() - 1);
            group++;
        }
        long goal = layout.groupFirstBlock(group);
        return goal >= layout.blockCount() ? layout.firstDataBlock() : goal;
    }

    /**
     * The first block at or after {@code goalBlock} (wrapping once) that starts a free run of
     * {@code lenBlocks} blocks inside one group whose block number is a multiple of
     * {@code lenBlocks}, in the what-if state; -1 if there is none. The plain "was there room" answer,
     * independent of the buddy's choice.
     */
    public long firstAlignedFreeAfter(long goalBlock, long lenBlocks) {
        int ratio = geo.clusterRatio();
        if (lenBlocks <= 0 || lenBlocks % ratio != 0) {
            return -1;
        }
        long goal = goalBlock < geo.firstDataBlock() || goalBlock >= geo.blocksCount() ? geo.firstDataBlock()
                : goalBlock;
        int gg = geo.groupOf(goal);
        int groups = geo.groupCount();
        for (int i = 0; i <= groups; i++) {
            int g = (gg + i) % groups;
            int from = i == 0 ? geo.offsetOf(goal) : 0;
            int to = i == groups ? geo.offsetOf(goal) + (int) geo.numB2C(lenBlocks) : geo.clustersInGroup(g);
            long hit = alignedIn(g, from, Math.min(to, geo.clustersInGroup(g)), lenBlocks);
            if (hit >= 0) {
                return hit;
            }
        }
        return -1;
    }

    private long alignedIn(int g, int from, int to, long lenBlocks) {
        BuddyGroup bg = model.group(g);
        int lenC = (int) geo.numB2C(lenBlocks);
        long first = geo.groupFirstBlock(g);
        int i = from;
        while (i < to) {
            int f = bg.nextFree(i, to);
            if (f >= to) {
                return -1;
            }
            int u = bg.nextUsed(f, to);
            long b = geo.block(g, f);
            long a = (b + lenBlocks - 1) / lenBlocks * lenBlocks;
            int off = (int) geo.numB2C(a - first);
            if ((a - first) % geo.clusterRatio() == 0 && off + lenC <= u) {
                return a;
            }
            i = u;
        }
        return -1;
    }
}
