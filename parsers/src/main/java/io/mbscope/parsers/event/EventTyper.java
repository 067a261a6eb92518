package io.mbscope.parsers.event;

import io.mbscope.parsers.event.TraceEvent.MbExtent;

/**
 * Turns a {@link RawEvent} into its typed record by event name and field names, the same for every
 * container format. Field names are the kernel's (include/trace/events/ext4.h, iomap/trace.h,
 * the syscall wrappers); a field a kernel does not have reads as 0 (or -1 where 0 is meaningful).
 */
public final class EventTyper {
    private EventTyper() {
    }

    public static TraceEvent type(RawEvent r) {
        EventHeader h = r.header();
        String n = r.name();
        switch (n) {
            case "ext4_request_blocks":
                return new TraceEvent.RequestBlocks(h, dev(r), l(r, "ino"), i(r, "flags"), l(r, "len"),
                        l(r, "logical"), l(r, "goal"), l(r, "lleft"), l(r, "lright"), l(r, "pleft"),
                        l(r, "pright"), r);
            case "ext4_allocate_blocks":
                return new TraceEvent.AllocateBlocks(h, dev(r), l(r, "ino"), i(r, "flags"), l(r, "len"),
                        l(r, "block"), l(r, "logical"), l(r, "goal"), l(r, "lleft"), l(r, "lright"),
                        l(r, "pleft"), l(r, "pright"), r);
            case "ext4_mballoc_alloc":
                return new TraceEvent.MballocAlloc(h, dev(r), l(r, "ino"), ext(r, ORIG), ext(r, GOAL),
                        ext(r, RESULT), i(r, "found"), i(r, "groups"), i(r, "buddy"), i(r, "flags"),
                        i(r, "tail"), i(r, "cr"), r);
            case "ext4_mballoc_prealloc":
                return new TraceEvent.MballocPrealloc(h, dev(r), l(r, "ino"), ext(r, ORIG), ext(r, RESULT), r);
            case "ext4_mballoc_discard":
                return new TraceEvent.MballocDiscard(h, dev(r), l(r, "ino"), l(r, "result_group"),
                        l(r, "result_start"), l(r, "result_len"), r);
            case "ext4_mballoc_free":
                return new TraceEvent.MballocFree(h, dev(r), l(r, "ino"), l(r, "result_group"),
                        l(r, "result_start"), l(r, "result_len"), r);
            case "ext4_free_blocks":
                return new TraceEvent.FreeBlocks(h, dev(r), l(r, "ino"), i(r, "mode"), l(r, "block"),
                        l(r, "count"), i(r, "flags"), r);
            case "ext4_mb_new_inode_pa":
            case "ext4_mb_new_group_pa":
                return new TraceEvent.MbNewPa(h, n.equals("ext4_mb_new_group_pa"), dev(r), l(r, "ino"),
                        l(r, "pa_pstart"), l(r, "pa_lstart"), l(r, "pa_len"), r);
            case "ext4_mb_release_inode_pa":
                return new TraceEvent.MbReleaseInodePa(h, dev(r), l(r, "ino"), l(r, "block"), l(r, "count"), r);
            case "ext4_mb_release_group_pa":
                return new TraceEvent.MbReleaseGroupPa(h, dev(r), l(r, "pa_pstart"), l(r, "pa_len"), r);
            case "ext4_discard_preallocations":
                return new TraceEvent.DiscardPreallocations(h, dev(r), l(r, "ino"), l(r, "len"), r);
            case "ext4_mb_discard_preallocations":
                return new TraceEvent.MbDiscardPreallocations(h, dev(r), l(r, "needed"), r);
            case "ext4_ext_map_blocks_enter":
            case "ext4_ind_map_blocks_enter":
                return new TraceEvent.MapBlocksEnter(h, n.startsWith("ext4_ind"), dev(r), l(r, "ino"),
                        l(r, "lblk"), l(r, "len"), i(r, "flags"), r);
            case "ext4_ext_map_blocks_exit":
            case "ext4_ind_map_blocks_exit":
                return new TraceEvent.MapBlocksExit(h, n.startsWith("ext4_ind"), dev(r), l(r, "ino"),
                        i(r, "flags"), l(r, "lblk"), l(r, "pblk"), l(r, "len"), i(r, "mflags"), i(r, "ret"), r);
            case "ext4_fallocate_enter":
                return new TraceEvent.FallocateEnter(h, dev(r), l(r, "ino"), l(r, "offset"), l(r, "len"),
                        i(r, "mode"), r);
            case "ext4_fallocate_exit":
                return new TraceEvent.FallocateExit(h, dev(r), l(r, "ino"), l(r, "pos"), l(r, "blocks"),
                        i(r, "ret"), r);
            case "ext4_punch_hole":
            case "ext4_zero_range":
            case "ext4_collapse_range":
            case "ext4_insert_range":
                return new TraceEvent.RangeOp(h, n, dev(r), l(r, "ino"), l(r, "offset"), l(r, "len"),
                        i(r, "mode"), r);
            case "ext4_remove_blocks":
                return new TraceEvent.RemoveBlocks(h, dev(r), l(r, "ino"), l(r, "from"), l(r, "to"),
                        l(r, "ee_lblk"), l(r, "ee_pblk"), i(r, "ee_len"), l(r, "pc_lblk"), l(r, "pc_pclu"),
                        i(r, "pc_state"), r);
            case "ext4_ext_remove_space":
            case "ext4_ext_remove_space_done":
                return new TraceEvent.ExtRemoveSpace(h, n.endsWith("_done"), dev(r), l(r, "ino"), l(r, "start"),
                        l(r, "end"), i(r, "depth"), r);
            case "ext4_da_write_pages_extent":
                return new TraceEvent.DaWritePagesExtent(h, dev(r), l(r, "ino"), l(r, "lblk"), l(r, "len"),
                        i(r, "flags"), r);
            case "ext4_ext_handle_unwritten_extents":
                return new TraceEvent.HandleUnwrittenExtents(h, dev(r), l(r, "ino"), i(r, "flags"), l(r, "lblk"),
                        l(r, "pblk"), l(r, "len"), l(r, "allocated"), l(r, "newblk"), r);
            case "ext4_ext_convert_to_initialized_enter":
                return new TraceEvent.ConvertToInitialized(h, dev(r), l(r, "ino"), l(r, "m_lblk"), l(r, "m_len"),
                        l(r, "u_lblk"), l(r, "u_len"), l(r, "u_pblk"), r);
            case "ext4_truncate_enter":
            case "ext4_truncate_exit":
                return new TraceEvent.Truncate(h, n.endsWith("_exit"), dev(r), l(r, "ino"), l(r, "blocks"), r);
            case "ext4_unlink_enter":
                return new TraceEvent.UnlinkEnter(h, dev(r), l(r, "ino"), l(r, "parent"), l(r, "size"), r);
            case "ext4_unlink_exit":
                return new TraceEvent.UnlinkExit(h, dev(r), l(r, "ino"), i(r, "ret"), r);
            case "ext4_free_inode":
                return new TraceEvent.FreeInode(h, dev(r), l(r, "ino"), l(r, "blocks"), i(r, "mode"), r);
            case "iomap_dio_rw_begin":
                return new TraceEvent.DioBegin(h, dev(r), l(r, "ino"), l(r, "isize"), l(r, "pos"), l(r, "count"),
                        l(r, "done_before"), i(r, "ki_flags"), i(r, "dio_flags"), l(r, "aio") != 0, r);
            case "iomap_dio_complete":
                return new TraceEvent.DioComplete(h, dev(r), l(r, "ino"), l(r, "isize"), l(r, "pos"),
                        i(r, "ki_flags"), l(r, "aio") != 0, i(r, "error"), l(r, "ret"), r);
            case "iomap_iter":
                return new TraceEvent.IomapIter(h, dev(r), l(r, "ino"), l(r, "pos"), l(r, "length"),
                        i(r, "status"), i(r, "flags"), r);
            case "iomap_iter_dstmap":
            case "iomap_iter_srcmap":
                return new TraceEvent.IomapMap(h, n.endsWith("srcmap"), dev(r), l(r, "ino"), l(r, "addr"),
                        l(r, "offset"), l(r, "length"), i(r, "type"), i(r, "flags"), i(r, "bdev"), r);
            case "sys_enter_pwrite64":
                return new TraceEvent.PwriteEnter(h, l(r, "fd"), l(r, "count"), l(r, "pos"), r);
            case "sys_enter_pwritev2":
                // pwritev2 passes the offset as (pos_l, pos_h); on 64-bit kernels pos_from_hilo() shifts
                // pos_h out entirely (two shifts of BITS_PER_LONG/2), so the offset is pos_l alone.
                return new TraceEvent.Pwritev2Enter(h, l(r, "fd"), l(r, "vlen"), l(r, "pos_l"),
                        i(r, "flags"), r);
            case "sys_enter_fallocate":
                return new TraceEvent.FallocateSyscallEnter(h, l(r, "fd"), i(r, "mode"), l(r, "offset"),
                        l(r, "len"), r);
            case "print":
                String buf = r.getString("buf");
                if (buf != null && buf.endsWith("\n")) {
                    buf = buf.substring(0, buf.length() - 1);
                }
                return new TraceEvent.Marker(h, buf == null ? "" : buf, r);
            default:
                if (n.startsWith("sys_exit_")) {
                    return new TraceEvent.SyscallExit(h, n.substring("sys_exit_".length()), l(r, "ret"), r);
                }
                return new TraceEvent.Generic(h, r);
        }
    }

    // Field names as constants: concatenating prefix + "_group" per event allocated four strings and
    // rehashed them for the HashMap lookup (the top EventTyper cost in a JFR profile of `stats`).
    private static final String[] ORIG = {"orig_group", "orig_start", "orig_len", "orig_logical"};
    private static final String[] GOAL = {"goal_group", "goal_start", "goal_len", "goal_logical"};
    private static final String[] RESULT = {"result_group", "result_start", "result_len", "result_logical"};

    private static MbExtent ext(RawEvent r, String[] names) {
        return new MbExtent(l(r, names[0]), l(r, names[1]), l(r, names[2]), l(r, names[3]));
    }

    private static int dev(RawEvent r) {
        return (int) r.getLong("dev", 0);
    }

    private static long l(RawEvent r, String f) {
        return r.getLong(f, 0);
    }

    private static int i(RawEvent r, String f) {
        return (int) r.getLong(f, 0);
    }
}
