package io.mbscope.report;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A file system's free space at the start of a trace, as mballoc's buddy sees it: per group, which
 * clusters are in use. Built from the fs image (see {@code FsStates}) or by hand in tests.
 *
 * @param blockSize       bytes per block
 * @param clusterRatio    blocks per cluster (1 without bigalloc)
 * @param clustersPerGroup clusters of every group but possibly the last
 * @param groupClusters   clusters in each group (the last group may be short)
 * @param used            per group, the clusters in use (bit set = used)
 * @param description     one line for the summary, e.g. "4096-byte blocks, 1 group of 32768 clusters"
 */
public record FsSpace(int blockSize, int clusterRatio, int clustersPerGroup, int[] groupClusters, List<BitSet> used,
                      String description) {
    public FsSpace {
        Objects.requireNonNull(groupClusters, "groupClusters");
        if (groupClusters.length != used.size()) {
            throw new IllegalArgumentException(groupClusters.length + " group sizes for " + used.size() + " bitmaps");
        }
        List<BitSet> copy = new ArrayList<>(used.size());
        for (BitSet b : used) {
            copy.add((BitSet) b.clone());
        }
        used = List.copyOf(copy);
        groupClusters = groupClusters.clone();
    }

    public int groups() {
        return groupClusters.length;
    }

    /** log2 of the block size: mballoc's largest buddy order is this + 1 (ext4_mb_mark_free_simple's border). */
    public int maxOrder() {
        return Integer.numberOfTrailingZeros(blockSize) + 1;
    }

    public long totalClusters() {
        long n = 0;
        for (int c : groupClusters) {
            n += c;
        }
        return n;
    }
}
