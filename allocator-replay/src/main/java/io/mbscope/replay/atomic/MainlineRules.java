package io.mbscope.replay.atomic;

/**
 * The upstream kernel's verdict on pwritev2(RWF_ATOMIC) to an ext4 file, by version. Read in
 * Debian linux-source 6.12.117 and 7.3.4 ([C]); 6.13–6.18 are taken as 7.3 except where noted ([I]).
 *
 * <p>Order of the checks (7.3.4): {@code kiocb_set_rw_flags} (include/linux/fs.h: unknown RWF bit or
 * no FMODE_CAN_ATOMIC_WRITE → EOPNOTSUPP; ext4_file_open sets the mode iff
 * {@code ext4_inode_can_atomic_write}), then {@code ext4_file_write_iter} (fs/ext4/file.c: length
 * outside [s_awu_min, s_awu_max] → EINVAL), then {@code generic_atomic_write_valid} (fs/read_write.c:
 * not ubuf → EINVAL, not a power of two → EINVAL, offset not aligned to the length → EINVAL, no
 * IOCB_DIRECT → EOPNOTSUPP). What passes reaches iomap: ext4 maps the whole range as one extent
 * (bigalloc's slow path zeroes mixed mappings inside the cluster), so the model predicts success.
 */
public final class MainlineRules {

    private MainlineRules() {
    }

    /** s_awu_min / s_awu_max of ext4_atomic_write_init (fs/ext4/super.c); both 0 when unsupported. */
    public record FsUnits(long min, long max) {
        public boolean supported() {
            return min > 0;
        }
    }

    public static FsUnits fsUnits(KernelVersion kernel, FsLayout fs, DeviceAtomicLimits dev) {
        if (!kernel.atLeast(6, 13) || !dev.canAtomicWrite() || !fs.extents()) {
            return new FsUnits(0, 0);
        }
        long min = Math.max(fs.blockSize(), dev.unitMinBytes());
        // 6.16 made the upper bound the cluster size (multi-fsblock atomic writes on bigalloc);
        // 6.13-6.15 bounded it by the block size [I: 6.13 source not read, atomic_writes.rst history].
        long fsMax = kernel.atLeast(6, 16) ? fs.clusterSize() : fs.blockSize();
        long max = Math.min(fsMax, dev.unitMaxBytes());
        if (min == 0 || max == 0 || min > max) {
            return new FsUnits(0, 0);
        }
        return new FsUnits(min, max);
    }

    /**
     * The verdict before any block is mapped. A success here means the write reaches
     * iomap_dio_rw; {@link Reason#DATA_JOURNAL_BUFFERED} marks a success that is not atomic.
     */
    public static Verdict precheck(KernelVersion kernel, FsLayout fs, DeviceAtomicLimits dev, AtomicWrite w) {
        if (!kernel.atLeast(6, 11)) {
            return Verdict.of(Errno.EOPNOTSUPP, Reason.NO_RWF_ATOMIC);
        }
        if (!kernel.atLeast(6, 13)) {
            return Verdict.of(Errno.EOPNOTSUPP, Reason.FS_NO_ATOMIC);
        }
        FsUnits units = fsUnits(kernel, fs, dev);
        if (!units.supported()) {
            Reason why = !dev.canAtomicWrite() ? Reason.DEVICE_NO_ATOMIC
                    : !fs.extents() ? Reason.INODE_CANNOT : Reason.FS_UNITS_EMPTY;
            return Verdict.of(Errno.EOPNOTSUPP, why);
        }
        if (!w.extents()) {
            return Verdict.of(Errno.EOPNOTSUPP, Reason.INODE_CANNOT);
        }
        long len = w.length();
        if (len < 0) {
            return Verdict.of(Errno.OTHER, Reason.LENGTH_UNKNOWN);
        }
        if (len < units.min()) {
            return Verdict.of(Errno.EINVAL, Reason.BELOW_UNIT_MIN);
        }
        if (len > units.max()) {
            return Verdict.of(Errno.EINVAL, Reason.ABOVE_UNIT_MAX);
        }
        // __import_iovec turns a single iovec into an ITER_UBUF; two or more stay ITER_IOVEC.
        if (w.segments() != 1) {
            return Verdict.of(Errno.EINVAL, Reason.MULTI_SEGMENT);
        }
        if (!AtomicWrite.isPowerOfTwo(len)) {
            return Verdict.of(Errno.EINVAL, Reason.NOT_POWER_OF_TWO);
        }
        if (w.offset() % len != 0) {
            return Verdict.of(Errno.EINVAL, Reason.MISALIGNED_OFFSET);
        }
        if (!w.direct()) {
            return Verdict.of(Errno.EOPNOTSUPP, Reason.NOT_DIRECT);
        }
        if (fs.dataJournal()) {
            // ext4_dio_write_iter: !ext4_should_use_dio() -> ext4_buffered_write_iter, IOCB_ATOMIC ignored.
            return Verdict.of(Errno.SUCCESS, Reason.DATA_JOURNAL_BUFFERED);
        }
        return Verdict.ok();
    }

    /**
     * statx(STATX_WRITE_ATOMIC) of a regular file. 6.12 ext4_getattr does not fill the atomic fields
     * (the mask comes back without STATX_WRITE_ATOMIC) [C 6.12]; 6.13+ always answers for regular files
     * through generic_fill_statx_atomic_writes, with 0/0 when the inode cannot (fs/stat.c) [C 7.3].
     */
    public static StatxPrediction statx(KernelVersion kernel, FsLayout fs, DeviceAtomicLimits dev,
                                        boolean extentsInode) {
        if (!kernel.atLeast(6, 13)) {
            return StatxPrediction.NOT_REPORTED;
        }
        FsUnits units = fsUnits(kernel, fs, dev);
        if (!units.supported() || !extentsInode) {
            return new StatxPrediction(true, 0, 0, 0, false);
        }
        return new StatxPrediction(true, units.min(), units.max(), 1, true);
    }
}
