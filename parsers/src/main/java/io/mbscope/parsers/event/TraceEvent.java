package io.mbscope.parsers.event;

/**
 * A decoded trace event. The allocator path, extent mapping, iomap DIO, the write syscalls and
 * trace markers are typed records; every other event is a {@link Generic} with its named fields,
 * so nothing is dropped.
 *
 * <p>Units are the kernel's: {@code dev} is the kernel-internal dev_t ({@code major << 20 | minor});
 * mballoc group/start/len values are clusters (blocks without bigalloc); {@code block}, {@code goal},
 * {@code pleft}/{@code pright} and other physical numbers are file-system blocks; {@code logical},
 * {@code lblk} are logical blocks of the file. Each record ends with the {@link RawEvent} it was
 * typed from (null for events built by hand, e.g. in tests).
 */
public sealed interface TraceEvent {

    EventHeader header();

    /** The event's name without system prefix, e.g. "ext4_mballoc_alloc". */
    String name();

    /** The untyped event with every field by name; null for synthesized events. */
    RawEvent raw();

    default long timestampNs() {
        return header().timestampNs();
    }

    default int cpu() {
        return header().cpu();
    }

    /** group/start/len@logical as printed by ext4_mballoc_alloc and ext4_mballoc_prealloc. */
    record MbExtent(long group, long start, long len, long logical) {
        @Override
        public String toString() {
            return group + "/" + start + "/" + len + "@" + logical;
        }
    }

    // ---------------------------------------------------------------- mballoc allocation path

    /** ext4_request_blocks: ext4_mb_new_blocks() entry with the allocation request ({@code ar}). */
    record RequestBlocks(EventHeader header, int dev, long ino, int flags, long len, long logical, long goal,
                         long lleft, long lright, long pleft, long pright, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_request_blocks";
        }
    }

    /** ext4_allocate_blocks: ext4_mb_new_blocks() exit; {@code block} is the first allocated block. */
    record AllocateBlocks(EventHeader header, int dev, long ino, int flags, long len, long block, long logical,
                          long goal, long lleft, long lright, long pleft, long pright, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_allocate_blocks";
        }
    }

    /**
     * ext4_mballoc_alloc: a regular (non-PA) allocation with the original request, the normalised
     * goal and the result; {@code flags} is ac_flags truncated to 16 bits by the tracepoint,
     * {@code buddy} the log2 order printed as "broken" (1 << buddy).
     */
    record MballocAlloc(EventHeader header, int dev, long ino, MbExtent orig, MbExtent goal, MbExtent result,
                        int found, int groups, int buddy, int flags, int tail, int cr, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mballoc_alloc";
        }
    }

    /** ext4_mballoc_prealloc: the request was satisfied from an inode or locality-group PA. */
    record MballocPrealloc(EventHeader header, int dev, long ino, MbExtent orig, MbExtent result, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mballoc_prealloc";
        }
    }

    /** ext4_mballoc_discard: unused PA space given back to the buddy (group/start/len in clusters). */
    record MballocDiscard(EventHeader header, int dev, long ino, long group, long start, long len, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mballoc_discard";
        }
    }

    /** ext4_mballoc_free: blocks freed back to the buddy (group/start/len in clusters). */
    record MballocFree(EventHeader header, int dev, long ino, long group, long start, long len, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mballoc_free";
        }
    }

    /** ext4_free_blocks: ext4_free_blocks() entry (fs blocks). */
    record FreeBlocks(EventHeader header, int dev, long ino, int mode, long block, long count, int flags,
                      RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_free_blocks";
        }
    }

    /** ext4_mb_new_inode_pa / ext4_mb_new_group_pa: a new preallocation ({@code group} tells which). */
    record MbNewPa(EventHeader header, boolean group, int dev, long ino, long pstart, long lstart, long len,
                   RawEvent raw) implements TraceEvent {
        public String name() {
            return group ? "ext4_mb_new_group_pa" : "ext4_mb_new_inode_pa";
        }
    }

    /** ext4_mb_release_inode_pa: an inode PA's unused blocks released ({@code block}, {@code count}). */
    record MbReleaseInodePa(EventHeader header, int dev, long ino, long block, long count, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mb_release_inode_pa";
        }
    }

    /** ext4_mb_release_group_pa: a locality-group PA released. */
    record MbReleaseGroupPa(EventHeader header, int dev, long pstart, long len, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_mb_release_group_pa";
        }
    }

    /** ext4_discard_preallocations: an inode's PAs are dropped (truncate, close of last writer...). */
    record DiscardPreallocations(EventHeader header, int dev, long ino, long len, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_discard_preallocations";
        }
    }

    /** ext4_mb_discard_preallocations: PAs dropped to find space ({@code needed} clusters). */
    record MbDiscardPreallocations(EventHeader header, int dev, long needed, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_mb_discard_preallocations";
        }
    }

    // ---------------------------------------------------------------- extent mapping and space changes

    /** ext4_ext_map_blocks_enter (and ext4_ind_map_blocks_enter when {@code indirect}). */
    record MapBlocksEnter(EventHeader header, boolean indirect, int dev, long ino, long lblk, long len, int flags,
                          RawEvent raw) implements TraceEvent {
        public String name() {
            return indirect ? "ext4_ind_map_blocks_enter" : "ext4_ext_map_blocks_enter";
        }
    }

    /** ext4_ext_map_blocks_exit (and ext4_ind_map_blocks_exit when {@code indirect}). */
    record MapBlocksExit(EventHeader header, boolean indirect, int dev, long ino, int flags, long lblk, long pblk,
                         long len, int mflags, int ret, RawEvent raw) implements TraceEvent {
        public String name() {
            return indirect ? "ext4_ind_map_blocks_exit" : "ext4_ext_map_blocks_exit";
        }
    }

    /** ext4_fallocate_enter. */
    record FallocateEnter(EventHeader header, int dev, long ino, long offset, long len, int mode, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_fallocate_enter";
        }
    }

    /** ext4_fallocate_exit. */
    record FallocateExit(EventHeader header, int dev, long ino, long pos, long blocks, int ret, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_fallocate_exit";
        }
    }

    /** ext4_punch_hole, ext4_zero_range, ext4_collapse_range, ext4_insert_range ({@code kind} is the event name). */
    record RangeOp(EventHeader header, String kind, int dev, long ino, long offset, long len, int mode,
                   RawEvent raw) implements TraceEvent {
        public String name() {
            return kind;
        }
    }

    /** ext4_remove_blocks: an extent (part) removed by truncate/punch. */
    record RemoveBlocks(EventHeader header, int dev, long ino, long from, long to, long eeLblk, long eePblk,
                        int eeLen, long pcLblk, long pcPclu, int pcState, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_remove_blocks";
        }
    }

    /** ext4_ext_remove_space ({@code done} false) and ext4_ext_remove_space_done ({@code done} true). */
    record ExtRemoveSpace(EventHeader header, boolean done, int dev, long ino, long start, long end, int depth,
                          RawEvent raw) implements TraceEvent {
        public String name() {
            return done ? "ext4_ext_remove_space_done" : "ext4_ext_remove_space";
        }
    }

    /** ext4_da_write_pages_extent: delayed-allocation writeback of one extent. */
    record DaWritePagesExtent(EventHeader header, int dev, long ino, long lblk, long len, int flags, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_da_write_pages_extent";
        }
    }

    /** ext4_ext_handle_unwritten_extents: unwritten-extent conversion path. */
    record HandleUnwrittenExtents(EventHeader header, int dev, long ino, int flags, long lblk, long pblk, long len,
                                  long allocated, long newblk, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_ext_handle_unwritten_extents";
        }
    }

    /** ext4_ext_convert_to_initialized_enter. */
    record ConvertToInitialized(EventHeader header, int dev, long ino, long mLblk, long mLen, long uLblk,
                                long uLen, long uPblk, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_ext_convert_to_initialized_enter";
        }
    }

    /** ext4_truncate_enter ({@code exit} false) / ext4_truncate_exit ({@code exit} true). */
    record Truncate(EventHeader header, boolean exit, int dev, long ino, long blocks, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return exit ? "ext4_truncate_exit" : "ext4_truncate_enter";
        }
    }

    /** ext4_unlink_enter. */
    record UnlinkEnter(EventHeader header, int dev, long ino, long parent, long size, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_unlink_enter";
        }
    }

    /** ext4_unlink_exit. */
    record UnlinkExit(EventHeader header, int dev, long ino, int ret, RawEvent raw) implements TraceEvent {
        public String name() {
            return "ext4_unlink_exit";
        }
    }

    /** ext4_free_inode. */
    record FreeInode(EventHeader header, int dev, long ino, long blocks, int mode, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "ext4_free_inode";
        }
    }

    // ---------------------------------------------------------------- iomap direct I/O

    /** iomap_dio_rw_begin: {@code kiFlags} holds IOCB_* (IOCB_ATOMIC on 6.11+), {@code dioFlags} IOMAP_DIO_*. */
    record DioBegin(EventHeader header, int dev, long ino, long isize, long pos, long count, long doneBefore,
                    int kiFlags, int dioFlags, boolean aio, RawEvent raw) implements TraceEvent {
        public String name() {
            return "iomap_dio_rw_begin";
        }
    }

    /** iomap_dio_complete. */
    record DioComplete(EventHeader header, int dev, long ino, long isize, long pos, int kiFlags, boolean aio,
                       int error, long ret, RawEvent raw) implements TraceEvent {
        public String name() {
            return "iomap_dio_complete";
        }
    }

    /** iomap_iter: one iteration of the iomap loop ({@code flags} are IOMAP_* operation flags). */
    record IomapIter(EventHeader header, int dev, long ino, long pos, long length, int status, int flags,
                     RawEvent raw) implements TraceEvent {
        public String name() {
            return "iomap_iter";
        }
    }

    /** iomap_iter_dstmap / iomap_iter_srcmap: the mapping the file system returned; addr in bytes. */
    record IomapMap(EventHeader header, boolean src, int dev, long ino, long addr, long offset, long length,
                    int type, int flags, int bdev, RawEvent raw) implements TraceEvent {
        public String name() {
            return src ? "iomap_iter_srcmap" : "iomap_iter_dstmap";
        }
    }

    // ---------------------------------------------------------------- syscalls and markers

    /** sys_enter_pwrite64. */
    record PwriteEnter(EventHeader header, long fd, long count, long pos, RawEvent raw) implements TraceEvent {
        public String name() {
            return "sys_enter_pwrite64";
        }
    }

    /** sys_enter_pwritev2: {@code pos} joins pos_l/pos_h; {@code flags} are RWF_* (RWF_ATOMIC = 0x40). */
    record Pwritev2Enter(EventHeader header, long fd, long vlen, long pos, int flags, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "sys_enter_pwritev2";
        }
    }

    /** sys_enter_fallocate. */
    record FallocateSyscallEnter(EventHeader header, long fd, int mode, long offset, long len, RawEvent raw)
            implements TraceEvent {
        public String name() {
            return "sys_enter_fallocate";
        }
    }

    /** sys_exit_* of any syscall: {@code syscall} is the name after sys_exit_ ("pwritev2"), ret the return value. */
    record SyscallExit(EventHeader header, String syscall, long ret, RawEvent raw) implements TraceEvent {
        public String name() {
            return "sys_exit_" + syscall;
        }
    }

    /** ftrace print (tracing_mark_write): a user-space marker, trailing newline removed. */
    record Marker(EventHeader header, String text, RawEvent raw) implements TraceEvent {
        public String name() {
            return "print";
        }
    }

    /** Any event mbscope does not type; all its fields by name through {@link RawEvent}. */
    record Generic(EventHeader header, RawEvent raw) implements TraceEvent {
        public String name() {
            return raw.name();
        }
    }
}
