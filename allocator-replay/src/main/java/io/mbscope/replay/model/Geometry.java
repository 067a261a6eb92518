package io.mbscope.replay.model;

/**
 * The file-system numbers mballoc computes with (ext4_sb_info), in the kernel's units.
 *
 * @param blockBits        log2(block size)
 * @param clusterBits      log2(blocks per cluster), 0 without bigalloc (s_cluster_bits)
 * @param blocksCount      ext4_blocks_count(es)
 * @param firstDataBlock   s_first_data_block (1 for 1 KiB blocks, else 0)
 * @param blocksPerGroup   EXT4_BLOCKS_PER_GROUP
 * @param clustersPerGroup EXT4_CLUSTERS_PER_GROUP (bitmap length)
 * @param groupCount       s_groups_count
 * @param logGroupsPerFlex s_log_groups_per_flex (0 without flex_bg)
 * @param stripe           s_stripe in blocks after ext4_get_stripe_size (0 = none)
 */
public record Geometry(int blockBits, int clusterBits, long blocksCount, long firstDataBlock, int blocksPerGroup,
                       int clustersPerGroup, int groupCount, int logGroupsPerFlex, long stripe) {

    public Geometry {
        if (blockBits < 10 || blockBits > 16 || clusterBits < 0 || clusterBits > 20 || blocksPerGroup <= 0
                || clustersPerGroup <= 0 || groupCount <= 0 || blocksCount <= 0 || stripe < 0) {
            throw new IllegalArgumentException("implausible geometry");
        }
    }

    public int blockSize() {
        return 1 << blockBits;
    }

    public int clusterRatio() {
        return 1 << clusterBits;
    }

    /** MB_NUM_ORDERS(sb) = blocksize_bits + 2. */
    public int numOrders() {
        return blockBits + 2;
    }

    /** ext4_get_group_number. */
    public int groupOf(long block) {
        return (int) ((block - firstDataBlock) / blocksPerGroup);
    }

    /** Offset in clusters inside the group (ext4_get_group_no_and_offset). */
    public int offsetOf(long block) {
        return (int) (((block - firstDataBlock) % blocksPerGroup) >> clusterBits);
    }

    /** ext4_group_first_block_no. */
    public long groupFirstBlock(int group) {
        return (long) group * blocksPerGroup + firstDataBlock;
    }

    /** ext4_grp_offs_to_block. */
    public long block(int group, long clusterOffset) {
        return groupFirstBlock(group) + (clusterOffset << clusterBits);
    }

    /** Clusters existing in a group (the last one may be short). */
    public int clustersInGroup(int group) {
        if (group < groupCount - 1) {
            return clustersPerGroup;
        }
        long blocks = blocksCount - groupFirstBlock(group);
        return (int) Math.min(clustersPerGroup, blocks >> clusterBits);
    }

    /** EXT4_NUM_B2C: blocks to clusters, rounded up. */
    public long numB2C(long blocks) {
        return (blocks + clusterRatio() - 1) >> clusterBits;
    }

    /** EXT4_C2B. */
    public long c2b(long clusters) {
        return clusters << clusterBits;
    }

    /** EXT4_LBLK_CMASK: logical block rounded down to its cluster. */
    public long lblkCmask(long lblk) {
        return lblk & ~((long) clusterRatio() - 1);
    }

    /** ext4_flex_bg_size. */
    public int flexSize() {
        return 1 << logGroupsPerFlex;
    }
}
