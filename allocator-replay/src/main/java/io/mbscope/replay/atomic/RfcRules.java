package io.mbscope.replay.atomic;

/**
 * The checks of the 2023 RFC "ext4: Allocator changes for atomic write support with DIO" (Ojaswin
 * Mujoo, Ritesh Harjani; never merged), applied as if the series were in the traced kernel. The RFC
 * sits on John Garry's 2023 VFS series, whose kiocb_set_rw_flags only turns RWF_ATOMIC into
 * IOCB_ATOMIC: there is no FMODE check, no single-segment rule and no O_DIRECT rule in the VFS.
 *
 * <p>Patch 6/7 ({@code ext4_dio_atomic_write_checks}, called from ext4_dio_write_checks) fails with
 * -EIO: bigalloc, non-extent inode, length not a block multiple, offset not aligned to the length,
 * length in blocks not a power of two, or {@code blkdev_atomic_write_valid} false. Buffered writes and
 * data=journal (ext4_should_use_dio false) never reach those checks and are written non-atomically.
 */
public final class RfcRules {

    private RfcRules() {
    }

    /** The verdict before any mapping; SUCCESS means the aligned mapping/allocation decides. */
    public static Verdict precheck(FsLayout fs, DeviceAtomicLimits dev, AtomicWrite w, boolean dataJournalRefuses) {
        long len = w.length();
        if (len < 0) {
            return Verdict.of(Errno.OTHER, Reason.LENGTH_UNKNOWN);
        }
        if (!w.direct()) {
            // Only the DIO path has the RFC checks; the buffered path ignores IOCB_ATOMIC.
            return Verdict.of(Errno.SUCCESS, Reason.NOT_DIRECT);
        }
        if (fs.dataJournal()) {
            return dataJournalRefuses ? Verdict.of(Errno.EIO, Reason.RFC_DATA_JOURNAL)
                    : Verdict.of(Errno.SUCCESS, Reason.DATA_JOURNAL_BUFFERED);
        }
        if (fs.bigalloc()) {
            return Verdict.of(Errno.EIO, Reason.RFC_BIGALLOC);
        }
        if (!w.extents()) {
            return Verdict.of(Errno.EIO, Reason.RFC_NOT_EXTENTS);
        }
        if (len == 0 || len % fs.blockSize() != 0) {
            return Verdict.of(Errno.EIO, Reason.RFC_NOT_BLOCK_MULTIPLE);
        }
        if (w.offset() % len != 0) {
            return Verdict.of(Errno.EIO, Reason.RFC_MISALIGNED_OFFSET);
        }
        if (!AtomicWrite.isPowerOfTwo(len / fs.blockSize())) {
            return Verdict.of(Errno.EIO, Reason.RFC_NOT_POWER_OF_TWO);
        }
        if (!blkdevAtomicWriteValid(dev, w.offset(), len)) {
            return Verdict.of(Errno.EIO, Reason.RFC_DEVICE_LIMITS);
        }
        return Verdict.ok();
    }

    /**
     * block/fops.c blkdev_atomic_write_valid as John Garry's 2023 series had it and RFC 5/7 exported
     * it with (bdev, pos, len): a device unit_min, offset and length multiples of it, a power-of-two
     * length not above unit_max, and a naturally aligned offset.
     */
    public static boolean blkdevAtomicWriteValid(DeviceAtomicLimits dev, long pos, long len) {
        long min = dev.unitMinBytes();
        if (min <= 0) {
            return false;
        }
        return pos % min == 0 && len % min == 0 && AtomicWrite.isPowerOfTwo(len)
                && len <= dev.unitMaxBytes() && pos % len == 0;
    }

    /**
     * RFC 7/7 ext4_getattr: 0/0 for non-extent inodes and bigalloc; otherwise, if the device reports
     * both units, min = max(device min, block size) and max = device max (0/0 if max < min). The RFC
     * reports no segment count (that field came later in John Garry's series), so segments is 0.
     */
    public static StatxPrediction statx(FsLayout fs, DeviceAtomicLimits dev, boolean extentsInode) {
        if (!extentsInode || fs.bigalloc()) {
            return new StatxPrediction(true, 0, 0, 0, false);
        }
        long awuMin = dev.unitMinBytes();
        long awuMax = dev.unitMaxBytes();
        if (awuMin == 0 || awuMax == 0) {
            return new StatxPrediction(true, 0, 0, 0, false);
        }
        long min = Math.max(awuMin, fs.blockSize());
        if (awuMax < min) {
            return new StatxPrediction(true, 0, 0, 0, false);
        }
        return new StatxPrediction(true, min, awuMax, 0, true);
    }
}
