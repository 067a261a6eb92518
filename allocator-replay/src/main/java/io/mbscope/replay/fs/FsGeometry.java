package io.mbscope.replay.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Geometry of an ext4 file system, from its superblock (or from dumpe2fs's print of it).
 * Sizes in bytes; counts in blocks unless named clusters.
 *
 * <p>{@code descSize} is the size the kernel uses for a group descriptor: {@code s_desc_size}
 * with the 64bit feature, else 32 (fs/ext4/super.c, __ext4_fill_super). {@code logGroupsPerFlex}
 * is 0 without flex_bg. {@code volumeName} is "" when the label is empty (dumpe2fs prints
 * {@code <none>}).
 *
 * @param blockSize        bytes per block (1024..65536)
 * @param clusterRatio     blocks per cluster, 1 without bigalloc
 * @param blocksCount      blocks in the file system
 * @param firstDataBlock   1 for 1 KiB blocks without bigalloc, else 0
 * @param blocksPerGroup   blocks per group
 * @param clustersPerGroup clusters per group (bits used in one block bitmap)
 * @param groupCount       number of block groups
 * @param inodesPerGroup   inodes per group
 * @param inodeSize        bytes per on-disk inode
 * @param descSize         bytes per group descriptor as the kernel reads them
 * @param logGroupsPerFlex log2 of the flex group size, 0 without flex_bg
 * @param raidStride       s_raid_stride (blocks), 0 if unset
 * @param raidStripeWidth  s_raid_stripe_width (blocks), 0 if unset
 * @param reservedGdtBlocks s_reserved_gdt_blocks
 * @param featureCompat    s_feature_compat
 * @param featureIncompat  s_feature_incompat
 * @param featureRoCompat  s_feature_ro_compat
 * @param uuid             lower-case canonical UUID text
 * @param volumeName       label, "" if none
 */
public record FsGeometry(int blockSize, int clusterRatio, long blocksCount, long firstDataBlock,
        long blocksPerGroup, long clustersPerGroup, int groupCount, long inodesPerGroup, int inodeSize,
        int descSize, int logGroupsPerFlex, int raidStride, int raidStripeWidth, long reservedGdtBlocks,
        long featureCompat, long featureIncompat, long featureRoCompat, String uuid, String volumeName) {

    // Feature bits, fs/ext4/ext4.h EXT4_FEATURE_{COMPAT,RO_COMPAT,INCOMPAT}_* (same in 6.1..7.3).
    public static final long COMPAT_DIR_PREALLOC = 0x1, COMPAT_IMAGIC_INODES = 0x2, COMPAT_HAS_JOURNAL = 0x4,
            COMPAT_EXT_ATTR = 0x8, COMPAT_RESIZE_INODE = 0x10, COMPAT_DIR_INDEX = 0x20, COMPAT_LAZY_BG = 0x40,
            COMPAT_EXCLUDE_BITMAP = 0x100, COMPAT_SPARSE_SUPER2 = 0x200, COMPAT_FAST_COMMIT = 0x400,
            COMPAT_STABLE_INODES = 0x800, COMPAT_ORPHAN_FILE = 0x1000;
    public static final long RO_COMPAT_SPARSE_SUPER = 0x1, RO_COMPAT_LARGE_FILE = 0x2, RO_COMPAT_BTREE_DIR = 0x4,
            RO_COMPAT_HUGE_FILE = 0x8, RO_COMPAT_GDT_CSUM = 0x10, RO_COMPAT_DIR_NLINK = 0x20,
            RO_COMPAT_EXTRA_ISIZE = 0x40, RO_COMPAT_HAS_SNAPSHOT = 0x80, RO_COMPAT_QUOTA = 0x100,
            RO_COMPAT_BIGALLOC = 0x200, RO_COMPAT_METADATA_CSUM = 0x400, RO_COMPAT_REPLICA = 0x800,
            RO_COMPAT_READONLY = 0x1000, RO_COMPAT_PROJECT = 0x2000, RO_COMPAT_SHARED_BLOCKS = 0x4000,
            RO_COMPAT_VERITY = 0x8000, RO_COMPAT_ORPHAN_PRESENT = 0x10000;
    public static final long INCOMPAT_COMPRESSION = 0x1, INCOMPAT_FILETYPE = 0x2, INCOMPAT_RECOVER = 0x4,
            INCOMPAT_JOURNAL_DEV = 0x8, INCOMPAT_META_BG = 0x10, INCOMPAT_EXTENTS = 0x40, INCOMPAT_64BIT = 0x80,
            INCOMPAT_MMP = 0x100, INCOMPAT_FLEX_BG = 0x200, INCOMPAT_EA_INODE = 0x400, INCOMPAT_DIRDATA = 0x1000,
            INCOMPAT_CSUM_SEED = 0x2000, INCOMPAT_LARGEDIR = 0x4000, INCOMPAT_INLINE_DATA = 0x8000,
            INCOMPAT_ENCRYPT = 0x10000, INCOMPAT_CASEFOLD = 0x20000;

    /** Group descriptor flags (bg_flags), fs/ext4/ext4.h. */
    public static final int BG_INODE_UNINIT = 1, BG_BLOCK_UNINIT = 2, BG_INODE_ZEROED = 4;

    public FsGeometry {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(volumeName, "volumeName");
    }

    public boolean bigalloc() {
        return (featureRoCompat & RO_COMPAT_BIGALLOC) != 0;
    }

    public boolean flexBg() {
        return (featureIncompat & INCOMPAT_FLEX_BG) != 0;
    }

    public boolean is64bit() {
        return (featureIncompat & INCOMPAT_64BIT) != 0;
    }

    public boolean metaBg() {
        return (featureIncompat & INCOMPAT_META_BG) != 0;
    }

    public boolean sparseSuper() {
        return (featureRoCompat & RO_COMPAT_SPARSE_SUPER) != 0;
    }

    public boolean sparseSuper2() {
        return (featureCompat & COMPAT_SPARSE_SUPER2) != 0;
    }

    public boolean metadataCsum() {
        return (featureRoCompat & RO_COMPAT_METADATA_CSUM) != 0;
    }

    /** ext4_has_group_desc_csum(): only then are the *_UNINIT flags honoured by the kernel. */
    public boolean hasGroupDescCsum() {
        return (featureRoCompat & (RO_COMPAT_METADATA_CSUM | RO_COMPAT_GDT_CSUM)) != 0;
    }

    /** log2(clusterRatio): EXT4_CLUSTER_BITS. */
    public int clusterBits() {
        return Integer.numberOfTrailingZeros(clusterRatio);
    }

    /** log2(blockSize). */
    public int blockSizeBits() {
        return Integer.numberOfTrailingZeros(blockSize);
    }

    /** Cluster size in bytes. */
    public int clusterSize() {
        return blockSize * clusterRatio;
    }

    /** Groups per flex group (1 without flex_bg). */
    public int flexSize() {
        return flexBg() ? 1 << logGroupsPerFlex : 1;
    }

    /** Group descriptors per descriptor block: EXT4_DESC_PER_BLOCK. */
    public int descPerBlock() {
        return blockSize / descSize;
    }

    /** Descriptor blocks of the whole fs: sbi->s_gdb_count. */
    public long gdtBlocks() {
        return (groupCount + (long) descPerBlock() - 1) / descPerBlock();
    }

    /** Blocks of one inode table: sbi->s_itb_per_group. */
    public long inodeTableBlocks() {
        return (inodesPerGroup * inodeSize + blockSize - 1) / blockSize;
    }

    /** ext4_group_first_block_no. */
    public long groupFirstBlock(int group) {
        return firstDataBlock + group * blocksPerGroup;
    }

    /** Blocks in a group: the last one may be shorter. */
    public long blocksInGroup(int group) {
        if (group == groupCount - 1) {
            return blocksCount - groupFirstBlock(group);
        }
        return blocksPerGroup;
    }

    /** num_clusters_in_group() (fs/ext4/balloc.c): EXT4_NUM_B2C of the group's blocks. */
    public long clustersInGroup(int group) {
        return (blocksInGroup(group) + clusterRatio - 1) >> clusterBits();
    }

    /** Group of an absolute block (ext4_get_group_number). */
    public int groupOfBlock(long block) {
        return (int) ((block - firstDataBlock) / blocksPerGroup);
    }

    /** Cluster index inside its group of an absolute block (ext4_get_group_no_and_offset). */
    public long clusterInGroup(long block) {
        return ((block - firstDataBlock) % blocksPerGroup) >> clusterBits();
    }

    /** First block of cluster {@code cluster} of {@code group}. */
    public long clusterFirstBlock(int group, long cluster) {
        return groupFirstBlock(group) + (cluster << clusterBits());
    }

    /**
     * sbi->s_stripe when mounted without stripe=: s_raid_stripe_width, else s_raid_stride (each only
     * if at most blocks per group), 0 if 1, and 0 with bigalloc unless a multiple of the cluster
     * ratio (ext4_get_stripe_size and __ext4_fill_super, 6.12/7.3).
     */
    public long stripe() {
        return Tunables.stripeSize(this, 0);
    }

    /** sbi->s_stripe with a stripe= mount option (0 if none). */
    public long stripe(long mountOption) {
        return Tunables.stripeSize(this, mountOption);
    }

    /** Feature names as dumpe2fs prints them, in dumpe2fs's order (compat, incompat, ro_compat by bit). */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        Features.names(featureCompat, featureIncompat, featureRoCompat, names);
        return names;
    }

    /** Number of groups for the given superblock counts (ext4_fill_super's s_groups_count). */
    static long groupCountFor(long blocksCount, long firstDataBlock, long blocksPerGroup) {
        return (blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
    }
}
