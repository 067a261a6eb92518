package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the atomic-write rules need to know about the file system: block and cluster size, the group
 * geometry (for the aligned-allocation what-if) and the journalling mode. Read from dumpe2fs output
 * (the superblock header) and, for {@code data=journal}, from the mount options.
 *
 * @param firstDataBlock   s_first_data_block: 1 for 1 KiB blocks, else 0; groups start there, so the
 *                         buddy's group-relative alignment is absolute only when it is 0
 * @param blocksPerGroup   blocks per group (clusters per group x cluster ratio)
 * @param clustersPerGroup clusters per group (= blocks per group without bigalloc)
 */
public record FsLayout(int blockSize, int clusterSize, long blockCount, long firstDataBlock, long blocksPerGroup,
                       long clustersPerGroup, long inodesPerGroup, int flexBgSize, boolean extents,
                       boolean dataJournal) {

    /** "Group 3: (Blocks ...": the per-group part of dumpe2fs output (not "Group descriptor size:"). */
    static final java.util.regex.Pattern GROUP_LINE = java.util.regex.Pattern.compile("Group \\d+:");

    public FsLayout {
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two");
        }
        if (clusterSize < blockSize || Integer.bitCount(clusterSize) != 1) {
            throw new IllegalArgumentException("cluster size " + clusterSize + " for block size " + blockSize);
        }
        if (blocksPerGroup <= 0 || clustersPerGroup <= 0 || blockCount <= 0) {
            throw new IllegalArgumentException("empty group geometry");
        }
    }

    /** The layout of a superblock read by the fs-state loader (image or dumpe2fs). */
    public static FsLayout of(io.mbscope.replay.fs.FsGeometry g, String mountOptions) {
        boolean dataJournal = mountOptions != null && ("," + mountOptions + ",").contains(",data=journal,");
        boolean extents = (g.featureIncompat() & io.mbscope.replay.fs.FsGeometry.INCOMPAT_EXTENTS) != 0;
        return new FsLayout(g.blockSize(), g.clusterSize(), g.blocksCount(), g.firstDataBlock(), g.blocksPerGroup(),
                g.clustersPerGroup(), g.inodesPerGroup(), g.flexSize(), extents, dataJournal);
    }

    /** A plain layout for hand-made scenarios: 1 group start at block 0, extents, ordered data. */
    public static FsLayout simple(int blockSize, int clusterSize, long blockCount, long blocksPerGroup) {
        return new FsLayout(blockSize, clusterSize, blockCount, 0, blocksPerGroup,
                blocksPerGroup / (clusterSize / blockSize), 8192, 16, true, false);
    }

    public boolean bigalloc() {
        return clusterSize > blockSize;
    }

    public int clusterRatio() {
        return clusterSize / blockSize;
    }

    public int clusterBits() {
        return Integer.numberOfTrailingZeros(clusterRatio());
    }

    public int blockBits() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    public long groupCount() {
        return (blockCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
    }

    /** ext4_group_first_block_no. */
    public long groupFirstBlock(long group) {
        return firstDataBlock + group * blocksPerGroup;
    }

    /** ext4_get_group_no_and_offset: the group of a block. */
    public long groupOf(long block) {
        return Math.max(0, block - firstDataBlock) / blocksPerGroup;
    }

    /** Clusters in a group (the last one may be short). */
    public long clustersInGroup(long group) {
        long blocks = Math.min(blocksPerGroup, blockCount - groupFirstBlock(group));
        return Math.max(0, (blocks + clusterRatio() - 1) / clusterRatio());
    }

    /**
     * Parses dumpe2fs output (only the superblock header is needed). {@code mountOptions} is the
     * options column of /proc/mounts (meta.txt proc_mounts) or null; data=journal is only known from it.
     */
    public static FsLayout fromDumpe2fs(List<String> lines, String mountOptions) {
        int blockSize = -1;
        int clusterSize = -1;
        long blockCount = -1;
        long first = -1;
        long bpg = -1;
        long cpg = -1;
        long ipg = -1;
        int flex = 1;
        boolean extents = false;
        for (String line : lines) {
            if (GROUP_LINE.matcher(line).lookingAt()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "Block size" -> blockSize = (int) num(key, value);
                case "Cluster size" -> clusterSize = (int) num(key, value);
                case "Block count" -> blockCount = num(key, value);
                case "First block" -> first = num(key, value);
                case "Blocks per group" -> bpg = num(key, value);
                case "Clusters per group" -> cpg = num(key, value);
                case "Inodes per group" -> ipg = num(key, value);
                case "Flex block group size" -> flex = (int) num(key, value);
                case "Filesystem features" -> extents = (" " + value + " ").contains(" extent ");
                default -> {
                }
            }
        }
        if (blockSize < 0 || blockCount < 0 || first < 0 || bpg < 0 || ipg < 0) {
            throw new IllegalArgumentException(
                    "dumpe2fs: expected Block size, Block count, First block, Blocks per group and Inodes per group");
        }
        if (clusterSize < 0) {
            clusterSize = blockSize;
        }
        if (cpg < 0) {
            cpg = bpg / (clusterSize / blockSize);
        }
        // Bigalloc dumpe2fs prints "Blocks per group" = clusters x ratio even when the fs is smaller than one group.
        boolean dataJournal = mountOptions != null && ("," + mountOptions + ",").contains(",data=journal,");
        return new FsLayout(blockSize, clusterSize, blockCount, first, bpg, cpg, ipg, flex, extents, dataJournal);
    }

    public static FsLayout fromDumpe2fs(Path dumpe2fs, String mountOptions) throws IOException {
        return fromDumpe2fs(Files.readAllLines(dumpe2fs), mountOptions);
    }

    private static long num(String key, String value) {
        String v = value.split("\\s+")[0];
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dumpe2fs " + key + ": expected a number, found \"" + value + "\"", e);
        }
    }
}
