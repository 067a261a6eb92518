package io.mbscope.replay.fs;

/**
 * One block group descriptor (struct ext4_group_desc, lo and hi halves joined).
 *
 * @param blockBitmap  block number of the block bitmap (may sit in another group with flex_bg)
 * @param inodeBitmap  block number of the inode bitmap
 * @param inodeTable   first block of the inode table
 * @param freeClusters bg_free_blocks_count: free clusters as the descriptor records them
 * @param freeInodes   bg_free_inodes_count
 * @param usedDirs     bg_used_dirs_count
 * @param flags        bg_flags: {@link FsGeometry#BG_INODE_UNINIT}, {@link FsGeometry#BG_BLOCK_UNINIT},
 *                     {@link FsGeometry#BG_INODE_ZEROED}
 * @param itableUnused bg_itable_unused
 */
public record GroupDesc(long blockBitmap, long inodeBitmap, long inodeTable, long freeClusters,
        long freeInodes, long usedDirs, int flags, long itableUnused) {

    public boolean blockUninit() {
        return (flags & FsGeometry.BG_BLOCK_UNINIT) != 0;
    }
}
