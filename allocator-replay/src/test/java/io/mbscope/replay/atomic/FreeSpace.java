package io.mbscope.replay.atomic;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A cluster bitmap of the whole file system: the minimal free-space state the aligned-allocation
 * what-if needs. Cluster {@code c} is group {@code c / clustersPerGroup}, offset
 * {@code c % clustersPerGroup}, first block {@code firstDataBlock + c * ratio}. It starts from
 * dumpe2fs's per-group "Free blocks:" lists and follows the bitmap changes the trace shows:
 * {@code ext4_mballoc_alloc} result extents (ext4_mb_mark_diskspace_used marks the whole found
 * extent, preallocated part included), {@code ext4_mballoc_free} and {@code ext4_mballoc_discard}.
 *
 * <p>Approximation: ext4 only lets freed data clusters be reused after the jbd2 commit of the
 * freeing transaction (ext4_free_data_in_buddy); the traces carry no jbd2 events, so a freed
 * cluster is free here at once.
 */
public final class FreeSpace implements ClusterSpace {

    private final FsLayout layout;
    private final long clusters;
    /** Set bit = cluster in use. */
    private final BitSet used;

    /** A file system with every cluster free. */
    public FreeSpace(FsLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
        long total = layout.groupCount() * layout.clustersPerGroup();
        long last = layout.groupCount() - 1;
        total = last * layout.clustersPerGroup() + layout.clustersInGroup(last);
        if (total <= 0 || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("file system of " + total + " clusters is out of range");
        }
        this.clusters = total;
        this.used = new BitSet((int) total);
    }

    @Override
    public FsLayout layout() {
        return layout;
    }

    public long clusterCount() {
        return clusters;
    }

    /**
     * The state dumpe2fs printed: every cluster used except those in the groups' "Free blocks:"
     * lists (block numbers; with bigalloc each number is a cluster's first block).
     */
    public static FreeSpace fromDumpe2fs(FsLayout layout, List<String> lines) {
        FreeSpace fs = new FreeSpace(layout);
        fs.used.set(0, (int) fs.clusters);
        boolean inGroups = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (FsLayout.GROUP_LINE.matcher(line).lookingAt()) {
                inGroups = true;
                continue;
            }
            if (!inGroups || !line.startsWith("Free blocks:")) {
                continue;
            }
            String list = line.substring("Free blocks:".length()).trim();
            if (list.isEmpty()) {
                continue;
            }
            for (String part : list.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int dash = p.indexOf('-');
                long a;
                long b;
                try {
                    a = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
                    b = dash < 0 ? a : Long.parseLong(p.substring(dash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("dumpe2fs Free blocks: expected a-b, found \"" + p + "\"", e);
                }
                if (b < a || a < layout.firstDataBlock()) {
                    throw new IllegalArgumentException("dumpe2fs Free blocks: bad range \"" + p + "\"");
                }
                long ca = fs.clusterOfBlock(a);
                long cb = fs.clusterOfBlock(b);
                if (cb >= fs.clusters) {
                    throw new IllegalArgumentException("dumpe2fs Free blocks: " + p + " beyond the file system");
                }
                fs.used.clear((int) ca, (int) cb + 1);
            }
        }
        return fs;
    }

    /** The block bitmaps of an {@link io.mbscope.replay.fs.FsState} (read from the image before the run). */
    public static FreeSpace fromFsState(FsLayout layout, io.mbscope.replay.fs.FsState state) {
        FreeSpace fs = new FreeSpace(layout);
        fs.used.set(0, (int) fs.clusters);
        int groups = state.geometry().groupCount();
        if (groups != layout.groupCount()) {
            throw new IllegalArgumentException("fs state has " + groups + " groups, layout " + layout.groupCount());
        }
        for (int g = 0; g < groups; g++) {
            for (io.mbscope.replay.fs.FsState.ClusterRange r : state.freeRanges(g)) {
                long c = fs.cluster(g, r.start());
                fs.check(c, r.length());
                fs.used.clear((int) c, (int) (c + r.length()));
            }
        }
        return fs;
    }

    @Override
    public long clusterOfBlock(long block) {
        return (block - layout.firstDataBlock()) / layout.clusterRatio();
    }

    @Override
    public long blockOfCluster(long cluster) {
        return layout.firstDataBlock() + cluster * layout.clusterRatio();
    }

    /** mballoc's group/start notation (clusters) to a cluster number. */
    @Override
    public long cluster(long group, long start) {
        return group * layout.clustersPerGroup() + start;
    }

    public boolean inRange(long cluster, long len) {
        return cluster >= 0 && len >= 0 && cluster + len <= clusters;
    }

    @Override
    public void markUsed(long cluster, long len) {
        check(cluster, len);
        used.set((int) cluster, (int) (cluster + len));
    }

    public void markFree(long cluster, long len) {
        check(cluster, len);
        used.clear((int) cluster, (int) (cluster + len));
    }

    public boolean isFree(long cluster, long len) {
        check(cluster, len);
        int next = used.nextSetBit((int) cluster);
        return next < 0 || next >= cluster + len;
    }

    public boolean isUsed(long cluster) {
        return used.get((int) cluster);
    }

    /** The first used cluster at or after {@code from}, or -1. */
    @Override
    public long nextUsed(long from) {
        return used.nextSetBit((int) from);
    }

    /** The first free cluster at or after {@code from}, or the cluster count. */
    @Override
    public long nextFree(long from) {
        return used.nextClearBit((int) from);
    }

    public long freeClustersInGroup(long group) {
        long start = group * layout.clustersPerGroup();
        long end = start + layout.clustersInGroup(group);
        return (end - start) - used.get((int) start, (int) end).cardinality();
    }

    public long freeClusters() {
        return clusters - used.cardinality();
    }

    /** The first cluster whose state differs from {@code other}'s, or -1 if the bitmaps are equal. */
    public long firstDifference(FreeSpace other) {
        if (other.clusters != clusters) {
            return Math.min(clusters, other.clusters);
        }
        BitSet x = (BitSet) used.clone();
        x.xor(other.used);
        return x.nextSetBit(0);
    }

    public FreeSpace copy() {
        FreeSpace c = new FreeSpace(layout);
        c.used.or(used);
        return c;
    }

    private void check(long cluster, long len) {
        if (!inRange(cluster, len)) {
            throw new IllegalArgumentException("clusters " + cluster + "+" + len + " outside 0.." + clusters);
        }
    }
}
