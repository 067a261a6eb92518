package io.mbscope.replay.model;

/**
 * One ext4_mb_new_blocks() request (struct ext4_allocation_request) plus the inode facts mballoc
 * reads that are not in ext4_request_blocks.
 *
 * @param ino           inode number
 * @param flags         ar->flags
 * @param len           ar->len (clusters)
 * @param logical       ar->logical (blocks)
 * @param goal          ar->goal (blocks)
 * @param lleft         ar->lleft
 * @param lright        ar->lright
 * @param pleft         ar->pleft
 * @param pright        ar->pright
 * @param cpu           CPU of the request (selects the locality group)
 * @param isizeBytes    i_size_read(inode) as the replay infers it; negative = unknown
 * @param openForWrite  inode_is_open_for_write(inode) as the replay infers it
 * @param extents       inode has EXT4_INODE_EXTENTS
 */
public record AllocRequest(long ino, int flags, long len, long logical, long goal, long lleft, long lright,
                           long pleft, long pright, int cpu, long isizeBytes, boolean openForWrite,
                           boolean extents) {
}
