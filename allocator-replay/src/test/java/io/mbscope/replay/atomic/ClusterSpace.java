package io.mbscope.replay.atomic;

/**
 * What the aligned allocator needs to read and change free space: {@link FreeSpace} is the what-if's
 * own bitmap; an adapter over the allocator model's buddy groups can implement the same.
 * Clusters are numbered across groups: cluster = group * clustersPerGroup + offset in group.
 */
public interface ClusterSpace {

    FsLayout layout();

    /** The first free cluster at or after {@code from}, or the cluster count. */
    long nextFree(long from);

    /** The first used cluster at or after {@code from}, or -1. */
    long nextUsed(long from);

    void markUsed(long cluster, long len);

    default long cluster(long group, long start) {
        return group * layout().clustersPerGroup() + start;
    }

    default long clusterOfBlock(long block) {
        return (block - layout().firstDataBlock()) / layout().clusterRatio();
    }

    default long blockOfCluster(long cluster) {
        return layout().firstDataBlock() + cluster * layout().clusterRatio();
    }
}
