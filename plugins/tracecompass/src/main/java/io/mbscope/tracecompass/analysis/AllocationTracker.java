package io.mbscope.tracecompass.analysis;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.AllocateBlocks;
import io.mbscope.parsers.event.TraceEvent.FreeBlocks;
import io.mbscope.parsers.event.TraceEvent.MapBlocksEnter;
import io.mbscope.parsers.event.TraceEvent.MapBlocksExit;
import io.mbscope.parsers.event.TraceEvent.MbNewPa;
import io.mbscope.parsers.event.TraceEvent.MbReleaseGroupPa;
import io.mbscope.parsers.event.TraceEvent.MbReleaseInodePa;
import io.mbscope.parsers.event.TraceEvent.RangeOp;
import io.mbscope.parsers.event.TraceEvent.RemoveBlocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-inode blocks and preallocations alive, rebuilt from the allocator's own events:
 * <ul>
 * <li>{@code ext4_allocate_blocks} (exit of ext4_mb_new_blocks) is the one event every successful
 *     allocation ends with, PA hit or not; {@code HINT_DATA} in its flags separates file data from
 *     extent-tree/directory blocks (ext4_new_meta_blocks passes no HINT_DATA).</li>
 * <li>{@code ext4_free_blocks} gives back blocks of an inode ({@code EXT4_FREE_BLOCKS_METADATA}
 *     marks tree blocks).</li>
 * <li>{@code ext4_mb_new_inode_pa}/{@code _group_pa} open a PA of {@code pa_len} clusters; every
 *     allocation whose block lies inside it uses {@code len} of them (ext4_mb_use_inode_pa /
 *     ext4_mb_use_group_pa decrement pa_free); ext4_mb_put_pa drops a PA whose pa_free reaches 0
 *     without an event; {@code ext4_mb_release_inode_pa}/{@code _group_pa} discard the rest.</li>
 * <li>{@code ext4_collapse_range}/{@code ext4_insert_range} shift logical offsets without
 *     allocating or freeing.</li>
 * </ul>
 * When the trace has the mapping events ({@code ext4_ext_map_blocks_exit},
 * {@code ext4_ind_map_blocks_exit}, {@code ext4_remove_blocks}), a file's data extents come from
 * them instead of {@code ext4_allocate_blocks}: on bigalloc most blocks are mapped inside a
 * cluster an earlier write allocated ({@code get_implied_cluster_alloc}, no allocator event), and
 * an allocation of a cluster maps only the blocks written, not the whole cluster.
 * Only one file system is tracked: events of other devices than the first allocation's are
 * ignored (the corpus filters by dev already). Memory is bounded by what is alive in the file
 * system, not by trace length.
 */
public final class AllocationTracker {
    /** EXT4_MB_HINT_DATA (tracepoints.md §1.1). */
    static final int HINT_DATA = 0x20;
    /** EXT4_MAP_MAPPED and EXT4_MAP_UNWRITTEN (BH_Mapped, BH_Unwritten; tracepoints.md §1.3). */
    static final int MAP_MAPPED = 0x10;
    static final int MAP_UNWRITTEN = 0x800;
    /** EXT4_FREE_BLOCKS_METADATA (ext4.h). */
    static final int FREE_BLOCKS_METADATA = 0x1;
    /** Key for the locality-group (per-CPU) preallocations, which belong to no inode. */
    public static final long GROUP_PA_OWNER = -1;

    /** A preallocation: physical/logical start in blocks, length and still-free part in clusters. */
    public static final class Pa {
        final long pstart;
        final long lstart;
        final long len;
        long free;

        Pa(long pstart, long lstart, long len) {
            this.pstart = pstart;
            this.lstart = lstart;
            this.len = len;
            this.free = len;
        }

        public long free() {
            return free;
        }
    }

    /** One inode: data runs keyed by physical block ({lblk, blocks}), metadata blocks, its PAs. */
    public static final class Inode {
        final TreeMap<Long, long[]> runs = new TreeMap<>();
        long dataBlocks;
        long metaBlocks;
        final List<Pa> pas = new ArrayList<>();

        public long dataBlocks() {
            return dataBlocks;
        }

        public long metaBlocks() {
            return metaBlocks;
        }

        /** Extents as FIEMAP reports them once merged: runs contiguous both logically and physically. */
        public int extents() {
            int n = 0;
            long endP = Long.MIN_VALUE;
            long endL = Long.MIN_VALUE;
            for (Map.Entry<Long, long[]> r : runs.entrySet()) {
                long p = r.getKey();
                long l = r.getValue()[0];
                if (p != endP || l != endL) {
                    n++;
                }
                endP = p + r.getValue()[1];
                endL = l + r.getValue()[1];
            }
            return n;
        }

        public long paFree() {
            long s = 0;
            for (Pa pa : pas) {
                s += pa.free;
            }
            return s;
        }

        public int paCount() {
            return pas.size();
        }

        boolean isEmpty() {
            return runs.isEmpty() && metaBlocks <= 0 && pas.isEmpty();
        }
    }

    private final CaptureStart fs;
    private final Map<Long, Inode> inodes = new HashMap<>();
    private final List<Pa> groupPas = new ArrayList<>();
    private int dev = -1;
    /** The trace has ext4_*_map_blocks events: data extents come from them. */
    private boolean mappingTraced;

    public AllocationTracker(CaptureStart fs) {
        this.fs = fs;
    }

    /** Applies one event; returns the inodes whose state changed ({@link #GROUP_PA_OWNER} for group PAs). */
    public Set<Long> apply(TraceEvent e) {
        Set<Long> changed = new TreeSet<>();
        if (e instanceof AllocateBlocks a) {
            if (a.len() <= 0 || !sameDev(a.dev())) {
                return changed; // failed allocation: block 0 / len 0
            }
            long blocks = a.len() * fs.clusterRatio();
            Inode in = inode(a.ino());
            if ((a.flags() & HINT_DATA) != 0) {
                // the map_blocks exit that follows maps what the file really uses of the allocation
                if (!mappingTraced) {
                    in.runs.put(a.block(), new long[] {a.logical(), blocks});
                    in.dataBlocks += blocks;
                }
            } else {
                in.metaBlocks += blocks;
            }
            changed.add(a.ino());
            consumePa(in.pas, a.block(), a.len(), a.ino(), changed);
            consumePa(groupPas, a.block(), a.len(), GROUP_PA_OWNER, changed);
        } else if (e instanceof FreeBlocks f) {
            if (f.count() <= 0 || !sameDev(f.dev())) {
                return changed;
            }
            Inode in = inodes.get(f.ino());
            if (in == null) {
                return changed; // blocks allocated before the capture started
            }
            if ((f.flags() & FREE_BLOCKS_METADATA) != 0 && !overlapsData(in, f.block(), f.count())) {
                in.metaBlocks = Math.max(0, in.metaBlocks - f.count());
            } else {
                in.dataBlocks -= removeRange(in.runs, f.block(), f.count());
            }
            changed.add(f.ino());
            dropIfEmpty(f.ino());
        } else if (e instanceof MapBlocksEnter m) {
            // ext4_map_blocks enters before it allocates: known before the first ext4_allocate_blocks
            mappingTraced |= sameDev(m.dev());
        } else if (e instanceof MapBlocksExit m) {
            if (!sameDev(m.dev())) {
                return changed;
            }
            mappingTraced = true;
            if (m.ret() > 0 && m.pblk() > 0 && (m.mflags() & (MAP_MAPPED | MAP_UNWRITTEN)) != 0
                    && map(m.ino(), m.lblk(), m.pblk(), m.ret())) {
                changed.add(m.ino());
            }
        } else if (e instanceof RemoveBlocks r) {
            // ext4_remove_blocks: logical [from, to] of the extent [ee_lblk(ee_pblk), ee_len] is unmapped;
            // on bigalloc a cluster still partly in use is not freed, so ext4_free_blocks may not follow
            Inode in = sameDev(r.dev()) ? inodes.get(r.ino()) : null;
            if (in != null && r.to() >= r.from() && r.from() >= r.eeLblk()) {
                long removed = removeRange(in.runs, r.eePblk() + (r.from() - r.eeLblk()), r.to() - r.from() + 1);
                if (removed > 0) {
                    in.dataBlocks -= removed;
                    changed.add(r.ino());
                    dropIfEmpty(r.ino());
                }
            }
        } else if (e instanceof MbNewPa p) {
            if (!sameDev(p.dev())) {
                return changed;
            }
            Pa pa = new Pa(p.pstart(), p.lstart(), p.len());
            if (p.group()) {
                groupPas.add(pa);
                changed.add(GROUP_PA_OWNER);
            } else {
                inode(p.ino()).pas.add(pa);
                changed.add(p.ino());
            }
        } else if (e instanceof MbReleaseInodePa r) {
            Inode in = inodes.get(r.ino());
            if (in != null && in.pas.removeIf(pa -> contains(pa, r.block()))) {
                changed.add(r.ino());
                dropIfEmpty(r.ino());
            }
        } else if (e instanceof MbReleaseGroupPa r) {
            if (groupPas.removeIf(pa -> pa.pstart == r.pstart())) {
                changed.add(GROUP_PA_OWNER);
            }
        } else if (e instanceof RangeOp r && (r.kind().equals("ext4_collapse_range")
                || r.kind().equals("ext4_insert_range"))) {
            Inode in = inodes.get(r.ino());
            if (in != null) {
                // offset/len are bytes, block aligned (the syscall is refused otherwise)
                long from = (r.offset() + (r.kind().equals("ext4_collapse_range") ? r.len() : 0)) / fs.blockSize();
                long shift = (r.kind().equals("ext4_collapse_range") ? -r.len() : r.len()) / fs.blockSize();
                for (long[] run : in.runs.values()) {
                    if (run[0] >= from) {
                        run[0] += shift;
                    }
                }
                changed.add(r.ino());
            }
        }
        return changed;
    }

    /**
     * Records that logical [lblk, lblk+len) of the inode maps to physical [pblk, pblk+len); false
     * when that was known already (a lookup of a mapped range, the common case).
     */
    private boolean map(long ino, long lblk, long pblk, long len) {
        Inode in = inodes.get(ino);
        if (in != null) {
            Map.Entry<Long, long[]> f = in.runs.floorEntry(pblk);
            if (f != null && f.getKey() + f.getValue()[1] >= pblk + len
                    && f.getValue()[0] + (pblk - f.getKey()) == lblk) {
                return false;
            }
        } else {
            in = inode(ino);
        }
        in.dataBlocks -= removeRange(in.runs, pblk, len);
        in.runs.put(pblk, new long[] {lblk, len});
        in.dataBlocks += len;
        return true;
    }

    private boolean sameDev(int d) {
        if (dev == -1) {
            dev = d;
        }
        return d == dev;
    }

    private Inode inode(long ino) {
        return inodes.computeIfAbsent(ino, k -> new Inode());
    }

    private void dropIfEmpty(long ino) {
        Inode in = inodes.get(ino);
        if (in != null && in.isEmpty()) {
            inodes.remove(ino);
        }
    }

    private boolean contains(Pa pa, long block) {
        return block >= pa.pstart && block < pa.pstart + pa.len * fs.clusterRatio();
    }

    private void consumePa(List<Pa> pas, long block, long clusters, long owner, Set<Long> changed) {
        for (Iterator<Pa> it = pas.iterator(); it.hasNext();) {
            Pa pa = it.next();
            if (contains(pa, block)) {
                pa.free -= clusters;
                if (pa.free <= 0) {
                    it.remove();
                }
                changed.add(owner);
                return;
            }
        }
    }

    private static boolean overlapsData(Inode in, long block, long count) {
        Map.Entry<Long, long[]> floor = in.runs.floorEntry(block + count - 1);
        return floor != null && floor.getKey() + floor.getValue()[1] > block;
    }

    /** Removes [block, block+count) from the runs; returns how many blocks were actually removed. */
    static long removeRange(TreeMap<Long, long[]> runs, long block, long count) {
        long end = block + count;
        long removed = 0;
        Map.Entry<Long, long[]> first = runs.floorEntry(block);
        Long from = first != null ? first.getKey() : runs.ceilingKey(block);
        if (from == null || from >= end) {
            return 0;
        }
        List<Long> keys = new ArrayList<>(runs.subMap(from, true, end, false).keySet());
        for (long p : keys) {
            long[] r = runs.get(p);
            long rEnd = p + r[1];
            if (rEnd <= block || p >= end) {
                continue;
            }
            runs.remove(p);
            long cutStart = Math.max(p, block);
            long cutEnd = Math.min(rEnd, end);
            removed += cutEnd - cutStart;
            if (p < cutStart) {
                runs.put(p, new long[] {r[0], cutStart - p});
            }
            if (cutEnd < rEnd) {
                runs.put(cutEnd, new long[] {r[0] + (cutEnd - p), rEnd - cutEnd});
            }
        }
        return removed;
    }

    /** The inode's state, or null when it holds nothing. */
    public Inode inode(Long ino) {
        return inodes.get(ino);
    }

    public Map<Long, Inode> inodes() {
        return java.util.Collections.unmodifiableMap(inodes);
    }

    /** Clusters still free in the locality-group PAs. */
    public long groupPaFree() {
        long s = 0;
        for (Pa pa : groupPas) {
            s += pa.free;
        }
        return s;
    }

    public int groupPaCount() {
        return groupPas.size();
    }
}
