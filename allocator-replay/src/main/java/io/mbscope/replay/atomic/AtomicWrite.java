package io.mbscope.replay.atomic;

/**
 * What the kernel checks of one pwritev2(RWF_ATOMIC): the byte offset and length, the iovec count,
 * the RWF_* flags, whether the file was opened O_DIRECT and whether the inode is extent mapped.
 *
 * @param length   total bytes of all iovecs, or -1 if unknown
 * @param segments iovec count (vlen)
 * @param direct   O_DIRECT at open (unknown counts as true: pwritev2 on a file without O_DIRECT
 *                 shows up as no iomap_dio_rw_begin, which the analyzer reports)
 */
public record AtomicWrite(long offset, long length, long segments, int rwFlags, boolean direct, boolean extents) {

    /** RWF_ATOMIC (include/uapi/linux/fs.h, 6.11+). */
    public static final int RWF_ATOMIC = 0x40;
    /** RWF_DSYNC. */
    public static final int RWF_DSYNC = 0x2;

    public static boolean isPowerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }
}
