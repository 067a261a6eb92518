package io.mbscope.replay.atomic;

import java.util.Objects;

/**
 * The RFC's aligned allocation policy (2023 "ext4: add aligned allocation support in mballoc",
 * patches 3 and 4) on a {@link ClusterSpace}, written from the buddy decomposition of free runs: a
 * test-only reference that the model's RFC policy is checked against. An aligned request has a power-of-two length; the
 * allocator does not try the goal extent ({@code ext4_mb_find_by_goal} is skipped), uses only
 * CR_POWER2_ALIGNED ({@code ext4_mb_simple_scan_group}: the first free buddy chunk of the smallest
 * order that holds the request, lowest address first), scans groups from the goal's group onwards,
 * and fails with -ENOSPC instead of trying an unaligned criterion. The chunk is aligned inside its
 * group (buddy orders are group relative); {@link Outcome#absoluteAligned()} tells whether the block
 * number is aligned too (not with 1 KiB blocks, whose groups start at block 1).
 *
 * <p>Approximations [I]: groups are scanned linearly (the RFC's 6.7 base would use the
 * mb_optimize_scan order lists on file systems with ≥ 16 groups); the stream-allocation goal
 * (s_mb_last_group) is not used.
 */
public final class AlignedAllocator {

    private final ClusterSpace space;

    public AlignedAllocator(ClusterSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /**
     * @param goalBlock          the goal block (ext4_ext_find_goal); decides the first group scanned
     * @param lenClusters        the write's length (a power of two)
     * @param normalizedClusters the normalised size (a power of two ≥ len); the chunk found is this long
     * @param fallbackToOriginal the RFC's TODO: retry with the original length when the normalised one fails
     */
    public record Request(long goalBlock, long lenClusters, long normalizedClusters, boolean fallbackToOriginal) {
        public Request {
            if (!AtomicWrite.isPowerOfTwo(lenClusters) || normalizedClusters < lenClusters
                    || !AtomicWrite.isPowerOfTwo(normalizedClusters)) {
                throw new IllegalArgumentException("aligned request needs power-of-two lengths, got len "
                        + lenClusters + " normalised " + normalizedClusters);
            }
        }
    }

    /**
     * @param found        whether a chunk was found
     * @param cluster      first cluster of the chunk (the write uses its first len clusters)
     * @param chunkClusters clusters taken (the normalised size, or the length after a fallback)
     * @param order        the buddy order of the free chunk the allocation came from
     * @param fellBack     the normalised size failed and the original length was used
     */
    public record Outcome(boolean found, long cluster, long block, long chunkClusters, int order, boolean fellBack,
                          boolean absoluteAligned) {
        static final Outcome NONE = new Outcome(false, -1, -1, 0, -1, false, false);
    }

    /** ext4's buddy has orders 0 .. blocksize_bits + 1 (MB_NUM_ORDERS = blocksize_bits + 2). */
    public int maxOrder() {
        return space.layout().blockBits() + 1;
    }

    /** Finds (without marking) the chunk the RFC allocator would take. */
    public Outcome find(Request r) {
        Outcome o = findOrder(r.goalBlock(), r.normalizedClusters(), r.lenClusters());
        if (o.found() || !r.fallbackToOriginal() || r.normalizedClusters() == r.lenClusters()) {
            return o;
        }
        Outcome f = findOrder(r.goalBlock(), r.lenClusters(), r.lenClusters());
        return f.found() ? new Outcome(true, f.cluster(), f.block(), f.chunkClusters(), f.order(), true,
                f.absoluteAligned()) : f;
    }

    /** Finds and marks the chunk used. */
    public Outcome allocate(Request r) {
        Outcome o = find(r);
        if (o.found()) {
            space.markUsed(o.cluster(), o.chunkClusters());
        }
        return o;
    }

    /**
     * The first block at or after {@code goalBlock} (wrapping to the start once) that begins a free
     * run of {@code lenBlocks} blocks aligned on the disk to {@code lenBlocks} and inside one group;
     * -1 if there is none. This is the plain "is there room" answer, independent of the buddy's choice.
     */
    public long firstAlignedFreeAfter(long goalBlock, long lenBlocks) {
        FsLayout l = space.layout();
        if (lenBlocks <= 0 || lenBlocks % l.clusterRatio() != 0) {
            return -1;
        }
        long first = l.firstDataBlock();
        long end = l.blockCount();
        long goal = goalBlock < first || goalBlock >= end ? first : goalBlock;
        long lenC = lenBlocks / l.clusterRatio();
        for (int pass = 0; pass < 2; pass++) {
            long a = roundUp(pass == 0 ? goal : first, lenBlocks);
            long stop = pass == 0 ? end : Math.min(end, goal + lenBlocks);
            while (a + lenBlocks <= stop) {
                if (a < first || l.groupOf(a) != l.groupOf(a + lenBlocks - 1)) {
                    a += lenBlocks;
                    continue;
                }
                long c = space.clusterOfBlock(a);
                long used = space.nextUsed(c);
                if (used < 0 || used >= c + lenC) {
                    return a;
                }
                a = roundUp(space.blockOfCluster(used) + l.clusterRatio(), lenBlocks);
            }
        }
        return -1;
    }

    private static long roundUp(long v, long m) {
        return (v + m - 1) / m * m;
    }

    private Outcome findOrder(long goalBlock, long chunkClusters, long lenClusters) {
        int k = Long.numberOfTrailingZeros(chunkClusters);
        if (k > maxOrder()) {
            return Outcome.NONE;
        }
        FsLayout layout = space.layout();
        long groups = layout.groupCount();
        long goalGroup = goalBlock < layout.firstDataBlock() || goalBlock >= layout.blockCount() ? 0
                : layout.groupOf(goalBlock);
        for (long i = 0; i < groups; i++) {
            long g = (goalGroup + i) % groups;
            long[] hit = scanGroup(g, k);
            if (hit != null) {
                long cluster = space.cluster(g, hit[0]);
                long block = space.blockOfCluster(cluster);
                long lenBlocks = lenClusters * layout.clusterRatio();
                return new Outcome(true, cluster, block, chunkClusters, (int) hit[1], false, block % lenBlocks == 0);
            }
        }
        return Outcome.NONE;
    }

    /**
     * ext4_mb_simple_scan_group over the buddy decomposition of the group's free runs: every free run
     * splits into maximal naturally aligned power-of-two chunks (capped at the top order), exactly the
     * buddy's free entries. Returns {offset in group, order} of the first chunk of the smallest order
     * ≥ k, or null.
     */
    long[] scanGroup(long group, int k) {
        int top = maxOrder();
        long base = group * space.layout().clustersPerGroup();
        long size = space.layout().clustersInGroup(group);
        long bestPos = -1;
        int bestOrder = Integer.MAX_VALUE;
        long p = 0;
        while (p < size) {
            long free = space.nextFree(base + p) - base;
            if (free >= size) {
                break;
            }
            long used = space.nextUsed(base + free);
            long end = used < 0 || used - base > size ? size : used - base;
            long q = free;
            while (q < end) {
                int order = q == 0 ? top : Math.min(top, Long.numberOfTrailingZeros(q));
                while ((1L << order) > end - q) {
                    order--;
                }
                if (order >= k && order < bestOrder) {
                    bestOrder = order;
                    bestPos = q;
                    if (order == k) {
                        return new long[] {bestPos, bestOrder};
                    }
                }
                q += 1L << order;
            }
            p = end;
        }
        return bestPos < 0 ? null : new long[] {bestPos, bestOrder};
    }
}
