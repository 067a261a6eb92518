package io.mbscope.replay.atomic;

/** Why an atomic write gets its verdict; each names the kernel check that decides it. */
public enum Reason {
    OK("accepted"),
    NO_RWF_ATOMIC("kernel < 6.11: RWF_ATOMIC is not in RWF_SUPPORTED (kiocb_set_rw_flags)"),
    FS_NO_ATOMIC("ext4 < 6.13 never sets FMODE_CAN_ATOMIC_WRITE (kiocb_set_rw_flags)"),
    DEVICE_NO_ATOMIC("device has no atomic write support: s_awu_min = 0, no FMODE_CAN_ATOMIC_WRITE"),
    FS_UNITS_EMPTY("max(block size, device unit min) > min(cluster size, device unit max): s_awu_min = 0"),
    INODE_CANNOT("inode is not an extent-mapped regular file (ext4_inode_can_atomic_write)"),
    BELOW_UNIT_MIN("length below s_awu_min (ext4_file_write_iter)"),
    ABOVE_UNIT_MAX("length above s_awu_max (ext4_file_write_iter)"),
    MULTI_SEGMENT("more than one iovec: iter is not ubuf (generic_atomic_write_valid)"),
    NOT_POWER_OF_TWO("length is not a power of two (generic_atomic_write_valid)"),
    MISALIGNED_OFFSET("offset not aligned to the length (generic_atomic_write_valid)"),
    NOT_DIRECT("no O_DIRECT (generic_atomic_write_valid)"),
    LENGTH_UNKNOWN("length not known (no syscalls.csv row, no iomap_dio_rw_begin)"),
    MAPPING_SHORT("mapping shorter than the write (ext4_iomap_begin / iomap_dio_bio_iter)"),
    INVALIDATE_FAILED("page-cache invalidation failed: -EAGAIN instead of a buffered fallback (6.13+)"),
    DATA_JOURNAL_BUFFERED("data=journal: ext4_should_use_dio() is false and the write falls back to buffered I/O"),
    // --- the 2023 RFC (never merged) ---
    RFC_BIGALLOC("RFC 6/7: atomic writes not supported with bigalloc (ext4_dio_atomic_write_checks)"),
    RFC_NOT_EXTENTS("RFC 6/7: atomic writes not supported on non-extent files"),
    RFC_NOT_BLOCK_MULTIPLE("RFC 6/7: length not a multiple of the block size"),
    RFC_MISALIGNED_OFFSET("RFC 6/7: offset not naturally aligned to the length"),
    RFC_NOT_POWER_OF_TWO("RFC 6/7: length in blocks not a power of two"),
    RFC_DEVICE_LIMITS("RFC 5-6/7: blkdev_atomic_write_valid() refuses length/offset for this device"),
    RFC_DATA_JOURNAL("RFC cover letter Q4 (switch): data=journal refuses atomic DIO"),
    RFC_EXISTING_MISALIGNED("RFC 6/7: the existing extent is not one run aligned to the length (ext4_map_check_alignment)"),
    RFC_MIXED_MAPPING("RFC 6/7: range partly mapped; an aligned create would be shortened (ext4_map_blocks_aligned)"),
    RFC_SHORT_MAPPING("RFC 6/7: the aligned allocation returned fewer blocks than the write (ext4_map_blocks_aligned: m_len != requested)"),
    RFC_NO_ALIGNED_SPACE("RFC 3/7: no free aligned chunk (CR_POWER2_ALIGNED only, no fallback): -ENOSPC"),
    RFC_GROUP_RELATIVE_ALIGNMENT("RFC 6/7: buddy chunk aligned in its group but not on disk (first_data_block 1) -> m_pblk % m_len"),
    RFC_NO_BUFFERED_FALLBACK("RFC 1/7: page-cache invalidation failed and an atomic write returns the error (-EBUSY) instead of falling back to buffered I/O"),
    RFC_OK_EXISTING("RFC: existing aligned extent reused"),
    RFC_OK_PREALLOC("RFC 4/7: served from an aligned inode preallocation"),
    RFC_OK_ALLOCATED("RFC 3/7: aligned chunk allocated"),
    RFC_OK_FALLBACK("RFC TODO (switch): normalised size failed, original length allocated"),
    RFC_NO_FS_STATE("what-if not computed: no initial free-space state");

    private final String description;

    Reason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
