package io.mbscope.replay.atomic;

import io.mbscope.parsers.event.TraceEvent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC aligned allocator as a what-if over the real run. The real file system state is replayed
 * from the trace (free space, each inode's mapping, each inode PA), and every atomic write asks: what
 * would the RFC have done here? A write the real kernel refused but the RFC would have allocated is
 * kept as an overlay (its mapping, clusters and new inode PA) so later writes to the same range see
 * it; a later real allocation of an overlay cluster is counted as a collision and the real world wins.
 * Writes the real kernel performed keep their real placement.
 */
public final class RfcWhatIf {

    /** The RFC's switches: its TODO fallback, and the cover letter's data=journal question. */
    public record Options(boolean fallbackToOriginal, boolean dataJournalRefuses) {
    }

    private static final int MFLAG_MAPPED = 0x10;
    private static final int MFLAG_UNWRITTEN = 0x800;

    /** An inode preallocation: blocks [pstart, pstart+len) for logical [lstart, lstart+len). */
    private static final class Pa {
        final long ino;
        final long lstart;
        final long pstart;
        final long len;
        final BitSet usedBlocks = new BitSet();
        final boolean overlay;

        Pa(long ino, long lstart, long pstart, long len, boolean overlay) {
            this.ino = ino;
            this.lstart = lstart;
            this.pstart = pstart;
            this.len = len;
            this.overlay = overlay;
        }

        boolean holds(long pblk) {
            return pblk >= pstart && pblk < pstart + len;
        }
    }

    private final FsLayout layout;
    private final FreeSpace real;
    private final Options options;
    private final Map<Long, InodeMap> maps = new HashMap<>();
    private final Map<Long, InodeMap> overlayMaps = new HashMap<>();
    private final Map<Long, List<long[]>> overlayClaims = new HashMap<>();
    private final BitSet claimed = new BitSet();
    private final List<Pa> pas = new ArrayList<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private long collisions;
    private long badEvents;

    public RfcWhatIf(FreeSpace initial, Options options) {
        this.real = Objects.requireNonNull(initial, "initial").copy();
        this.layout = initial.layout();
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The replayed real free space (for checks against dumpe2fs-after). */
    public FreeSpace realSpace() {
        return real;
    }

    /** Real allocations that took clusters an RFC-only allocation had claimed. */
    public long collisions() {
        return collisions;
    }

    /** Events whose extents fell outside the file system (counted, not applied). */
    public long badEvents() {
        return badEvents;
    }

    /**
     * Free blocks still held by real preallocations (inode and locality group) that the trace has not
     * released: the bitmap counts them as used until they are discarded (at the latest at unmount).
     */
    public long outstandingPaBlocks() {
        long n = 0;
        for (Pa pa : pas) {
            if (!pa.overlay) {
                n += pa.len - pa.usedBlocks.cardinality();
            }
        }
        return n;
    }

    public InodeMap map(long ino) {
        return maps.computeIfAbsent(ino, k -> new InodeMap());
    }

    /** Applies one real event's effect on free space, mappings and PAs. */
    public void apply(TraceEvent e) {
        if (e instanceof TraceEvent.MballocAlloc a) {
            if (a.result().len() > 0) {
                long c = real.cluster(a.result().group(), a.result().start());
                if (real.inRange(c, a.result().len())) {
                    real.markUsed(c, a.result().len());
                    realTakes(c, a.result().len());
                } else {
                    badEvents++;
                }
            }
        } else if (e instanceof TraceEvent.MballocFree f) {
            free(f.group(), f.start(), f.len());
        } else if (e instanceof TraceEvent.MballocDiscard d) {
            free(d.group(), d.start(), d.len());
        } else if (e instanceof TraceEvent.MapBlocksExit m) {
            if (m.ret() > 0 && m.pblk() > 0 && (m.mflags() & (MFLAG_MAPPED | MFLAG_UNWRITTEN)) != 0) {
                boolean unwritten = (m.mflags() & MFLAG_UNWRITTEN) != 0;
                map(m.ino()).map(m.lblk(), m.ret(), m.pblk(), unwritten);
                InodeMap o = overlayMaps.get(m.ino());
                if (o != null) {
                    o.remove(m.lblk(), m.ret());
                }
            }
        } else if (e instanceof TraceEvent.RemoveBlocks r) {
            if (r.to() >= r.from()) {
                map(r.ino()).remove(r.from(), r.to() - r.from() + 1);
                InodeMap o = overlayMaps.get(r.ino());
                if (o != null) {
                    o.remove(r.from(), r.to() - r.from() + 1);
                }
            }
        } else if (e instanceof TraceEvent.FreeInode f) {
            forget(f.ino());
        } else if (e instanceof TraceEvent.MbNewPa p) {
            // Locality-group PAs are kept (ino -1) only to account for their free space; RFC 4/7 never
            // lets an aligned request use one.
            pas.add(new Pa(p.group() ? -1 : p.ino(), p.lstart(), p.pstart(), p.len() * layout.clusterRatio(), false));
        } else if (e instanceof TraceEvent.AllocateBlocks a) {
            long blocks = a.len() * layout.clusterRatio();
            for (Pa pa : pas) {
                if (!pa.overlay && (pa.ino == a.ino() || pa.ino == -1) && pa.holds(a.block())) {
                    long from = a.block() - pa.pstart;
                    pa.usedBlocks.set((int) from, (int) Math.min(pa.len, from + blocks));
                }
            }
        } else if (e instanceof TraceEvent.MbReleaseInodePa r) {
            pas.removeIf(pa -> !pa.overlay && pa.ino == r.ino() && pa.holds(r.block()));
        } else if (e instanceof TraceEvent.MbReleaseGroupPa r) {
            pas.removeIf(pa -> !pa.overlay && pa.ino == -1 && pa.pstart == r.pstart());
        } else if (e instanceof TraceEvent.DioBegin d) {
            sizes.merge(d.ino(), d.isize(), Math::max);
        } else if (e instanceof TraceEvent.DioComplete d) {
            sizes.put(d.ino(), d.isize());
        } else if (e instanceof TraceEvent.Truncate t) {
            sizes.remove(t.ino());
        }
    }

    private void free(long group, long start, long len) {
        long c = real.cluster(group, start);
        if (real.inRange(c, len)) {
            real.markFree(c, len);
        } else {
            badEvents++;
        }
    }

    private void realTakes(long cluster, long len) {
        int from = (int) cluster;
        int to = (int) (cluster + len);
        int hit = claimed.nextSetBit(from);
        if (hit >= 0 && hit < to) {
            collisions++;
            claimed.clear(from, to);
            long firstBlock = real.blockOfCluster(cluster);
            long blocks = len * layout.clusterRatio();
            for (InodeMap o : overlayMaps.values()) {
                for (InodeMap.Run r : o.runs()) {
                    if (r.pblk() < firstBlock + blocks && firstBlock < r.pblk() + r.len()) {
                        o.remove(r.lblk(), r.len());
                    }
                }
            }
            pas.removeIf(pa -> pa.overlay && pa.pstart < firstBlock + blocks && firstBlock < pa.pstart + pa.len);
        }
    }

    private void forget(long ino) {
        maps.remove(ino);
        overlayMaps.remove(ino);
        sizes.remove(ino);
        pas.removeIf(pa -> pa.ino == ino);
        List<long[]> claims = overlayClaims.remove(ino);
        if (claims != null) {
            for (long[] c : claims) {
                claimed.clear((int) c[0], (int) (c[0] + c[1]));
            }
        }
    }

    /**
     * What the RFC would do with an atomic write of {@code length} bytes at {@code offset} to inode
     * {@code ino}, in the state just before it. {@code keep} adds an RFC-only success to the overlay
     * (pass true when the real kernel did not perform the write).
     */
    public RfcOutcome evaluate(long ino, AtomicWrite w, DeviceAtomicLimits dev, boolean keep) {
        Verdict pre = RfcRules.precheck(layout, dev, w, options.dataJournalRefuses());
        if (!pre.success() || pre.reason() != Reason.OK) {
            return RfcOutcome.of(pre);
        }
        int bs = layout.blockSize();
        long lblk = w.offset() / bs;
        long n = w.length() / bs;
        List<InodeMap.Run> runs = effectiveLookup(ino, lblk, n);
        long mapped = runs.stream().mapToLong(InodeMap.Run::len).sum();
        if (mapped == n) {
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
        // A hole: RFC 4/7 lets an aligned request use an inode PA if the block it would get is aligned.
        for (Pa pa : pas) {
            if (pa.ino != ino || lblk < pa.lstart || lblk + n > pa.lstart + pa.len) {
                continue;
            }
            long off = lblk - pa.lstart;
            long pblk = pa.pstart + off;
            int nextUsed = pa.usedBlocks.nextSetBit((int) off);
            if (pblk % n == 0 && (nextUsed < 0 || nextUsed >= off + n)) {
                if (keep) {
                    pa.usedBlocks.set((int) off, (int) (off + n));
                    overlayMaps.computeIfAbsent(ino, k -> new InodeMap()).map(lblk, n, pblk, false);
                }
                return new RfcOutcome(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_PREALLOC), pblk, -1, 0, 0);
            }
        }
        long goal = goal(ino, lblk);
        long normalized = normalizedBlocks(ino, lblk, n, w.length());
        AlignedAllocator alloc = new AlignedAllocator(new ClaimedView());
        int ratio = layout.clusterRatio();
        AlignedAllocator.Outcome o = alloc.find(new AlignedAllocator.Request(goal, Math.max(1, n / ratio),
                Math.max(1, normalized / ratio), options.fallbackToOriginal()));
        long firstAligned = alloc.firstAlignedFreeAfter(goal, n);
        if (!o.found()) {
            return new RfcOutcome(Verdict.of(Errno.ENOSPC, Reason.RFC_NO_ALIGNED_SPACE), -1, goal, normalized, 0,
                    firstAligned);
        }
        long chunkBlocks = o.chunkClusters() * ratio;
        if (!o.absoluteAligned()) {
            return new RfcOutcome(Verdict.of(Errno.EIO, Reason.RFC_GROUP_RELATIVE_ALIGNMENT), o.block(), goal,
                    normalized, chunkBlocks, firstAligned);
        }
        if (keep) {
            overlayMaps.computeIfAbsent(ino, k -> new InodeMap()).map(lblk, n, o.block(), false);
            claimed.set((int) o.cluster(), (int) (o.cluster() + o.chunkClusters()));
            overlayClaims.computeIfAbsent(ino, k -> new ArrayList<>()).add(new long[] {o.cluster(), o.chunkClusters()});
            if (chunkBlocks > n) {
                pas.add(new Pa(ino, lblk + n, o.block() + n, chunkBlocks - n, true));
            }
        }
        Reason r = o.fellBack() ? Reason.RFC_OK_FALLBACK : Reason.RFC_OK_ALLOCATED;
        return new RfcOutcome(Verdict.of(Errno.SUCCESS, r), o.block(), goal, normalized, chunkBlocks, firstAligned);
    }

    /** The real free space minus the clusters RFC-only allocations claimed, without copying either. */
    private final class ClaimedView implements ClusterSpace {
        @Override
        public FsLayout layout() {
            return layout;
        }

        @Override
        public long nextFree(long from) {
            long c = real.nextFree(from);
            while (c < real.clusterCount() && claimed.get((int) c)) {
                c = real.nextFree(claimed.nextClearBit((int) c));
            }
            return c;
        }

        @Override
        public long nextUsed(long from) {
            long a = real.nextUsed(from);
            long b = claimed.nextSetBit((int) from);
            return a < 0 ? b : b < 0 ? a : Math.min(a, b);
        }

        @Override
        public void markUsed(long cluster, long len) {
            throw new UnsupportedOperationException("the what-if view is read-only");
        }
    }

    private List<InodeMap.Run> effectiveLookup(long ino, long lblk, long n) {
        InodeMap o = overlayMaps.get(ino);
        List<InodeMap.Run> base = map(ino).lookup(lblk, n);
        if (o == null || o.isEmpty()) {
            return base;
        }
        InodeMap merged = new InodeMap();
        for (InodeMap.Run r : base) {
            merged.map(r.lblk(), r.len(), r.pblk(), r.unwritten());
        }
        for (InodeMap.Run r : o.lookup(lblk, n)) {
            merged.map(r.lblk(), r.len(), r.pblk(), r.unwritten());
        }
        return merged.lookup(lblk, n);
    }

    /**
     * ext4_ext_find_goal: from the extent at or before lblk (or the first one), else
     * ext4_inode_to_goal_block: the first block of the inode's group, rounded down to its flex group
     * and +1 for regular files (delalloc mounts return bg_start without colouring).
     */
    long goal(long ino, long lblk) {
        InodeMap.Run r = map(ino).goalRun(lblk);
        InodeMap o = overlayMaps.get(ino);
        InodeMap.Run ro = o == null ? null : o.goalRun(lblk);
        if (ro != null && (r == null || (ro.lblk() <= lblk && ro.lblk() > r.lblk()))) {
            r = ro;
        }
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
     * ext4_mb_normalize_request's size prediction (files up to 1 MiB: next power of two, at least
     * 16 KiB; then 2/4/8 MiB windows) from max(end of the request, i_size), with the RFC 4/7 rules:
     * start stays at the request, the window is trimmed at the next mapped block or PA of the inode,
     * then rounded down to a power of two but not below the request, and capped at a group.
     */
    long normalizedBlocks(long ino, long lblk, long n, long lengthBytes) {
        int bs = layout.blockSize();
        long size = Math.max((lblk + n) * bs, sizes.getOrDefault(ino, 0L));
        long window;
        if (size <= 1L << 20) {
            window = size <= 16 << 10 ? 16 << 10 : Long.highestOneBit(size - 1) << 1;
        } else if (size <= 4L << 20) {
            window = 2L << 20;
        } else if (size <= 8L << 20) {
            window = 4L << 20;
        } else {
            window = Math.max(lengthBytes, 8L << 20);
        }
        long blocks = Math.max(n, window / bs);
        long end = lblk + blocks;
        long next = map(ino).nextMapped(lblk);
        InodeMap o = overlayMaps.get(ino);
        long nextO = o == null ? -1 : o.nextMapped(lblk);
        if (next >= 0) {
            end = Math.min(end, next);
        }
        if (nextO >= 0) {
            end = Math.min(end, nextO);
        }
        for (Pa pa : pas) {
            if (pa.ino == ino && pa.lstart >= lblk + n) {
                end = Math.min(end, pa.lstart);
            }
        }
        long size2 = Math.max(n, end - lblk);
        long pow = Long.highestOneBit(size2);
        // The largest buddy chunk: 2^(blocksize_bits + 1) clusters.
        long cap = Long.highestOneBit(Math.min(layout.blocksPerGroup(),
                (1L << (layout.blockBits() + 1)) * layout.clusterRatio()));
        return Math.max(n, Math.min(pow, cap));
    }
}
