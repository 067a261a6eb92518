package io.mbscope.parsers.event;

import io.mbscope.parsers.event.TraceEvent.MbExtent;
import io.mbscope.parsers.format.EventFormat;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a {@link RawEvent} into its typed record by event name and field names, the same for every
 * container format. Field names are the kernel's (include/trace/events/ext4.h, iomap/trace.h,
 * the syscall wrappers); a field a kernel does not have reads as 0 (or -1 where 0 is meaningful).
 *
 * <p>The names are resolved once per {@link EventFormat} into a {@link Plan} (record kind + field
 * indexes, kept in {@link EventFormat#typerPlan()}): typing an event reads its values by index,
 * without hashing a field name or the event name.
 */
public final class EventTyper {
    private EventTyper() {
    }

    private static final int GENERIC = 0;
    private static final int MARKER = 1;
    private static final int SYSCALL_EXIT = 2;
    private static final int REQUEST_BLOCKS = 3;
    private static final int ALLOCATE_BLOCKS = 4;
    private static final int MBALLOC_ALLOC = 5;
    private static final int MBALLOC_PREALLOC = 6;
    private static final int MBALLOC_DISCARD = 7;
    private static final int MBALLOC_FREE = 8;
    private static final int FREE_BLOCKS = 9;
    private static final int MB_NEW_PA = 10;
    private static final int MB_RELEASE_INODE_PA = 11;
    private static final int MB_RELEASE_GROUP_PA = 12;
    private static final int DISCARD_PREALLOCATIONS = 13;
    private static final int MB_DISCARD_PREALLOCATIONS = 14;
    private static final int MAP_BLOCKS_ENTER = 15;
    private static final int MAP_BLOCKS_EXIT = 16;
    private static final int FALLOCATE_ENTER = 17;
    private static final int FALLOCATE_EXIT = 18;
    private static final int RANGE_OP = 19;
    private static final int REMOVE_BLOCKS = 20;
    private static final int EXT_REMOVE_SPACE = 21;
    private static final int DA_WRITE_PAGES_EXTENT = 22;
    private static final int HANDLE_UNWRITTEN_EXTENTS = 23;
    private static final int CONVERT_TO_INITIALIZED = 24;
    private static final int TRUNCATE = 25;
    private static final int UNLINK_ENTER = 26;
    private static final int UNLINK_EXIT = 27;
    private static final int FREE_INODE = 28;
    private static final int DIO_BEGIN = 29;
    private static final int DIO_COMPLETE = 30;
    private static final int IOMAP_ITER = 31;
    private static final int IOMAP_MAP = 32;
    private static final int PWRITE_ENTER = 33;
    private static final int PWRITEV2_ENTER = 34;
    private static final int FALLOCATE_SYSCALL_ENTER = 35;

    /** What one event name becomes: record kind and the fields it reads, in constructor order. */
    private record Spec(int kind, String[] fields) {
    }

    private static final Map<String, Spec> SPECS = new HashMap<>();

    private static void spec(int kind, String fields, String... names) {
        Spec s = new Spec(kind, fields.isEmpty() ? new String[0] : fields.trim().split("\\s+"));
        for (String n : names) {
            SPECS.put(n, s);
        }
    }

    static {
        spec(REQUEST_BLOCKS, "dev ino flags len logical goal lleft lright pleft pright", "ext4_request_blocks");
        spec(ALLOCATE_BLOCKS, "dev ino flags len block logical goal lleft lright pleft pright",
                "ext4_allocate_blocks");
        spec(MBALLOC_ALLOC, "dev ino orig_group orig_start orig_len orig_logical goal_group "
                + "goal_start goal_len goal_logical result_group result_start result_len "
                + "result_logical found groups buddy flags tail cr",
                "ext4_mballoc_alloc");
        spec(MBALLOC_PREALLOC, "dev ino orig_group orig_start orig_len orig_logical result_group "
                + "result_start result_len result_logical",
                "ext4_mballoc_prealloc");
        spec(MBALLOC_DISCARD, "dev ino result_group result_start result_len", "ext4_mballoc_discard");
        spec(MBALLOC_FREE, "dev ino result_group result_start result_len", "ext4_mballoc_free");
        spec(FREE_BLOCKS, "dev ino mode block count flags", "ext4_free_blocks");
        spec(MB_NEW_PA, "dev ino pa_pstart pa_lstart pa_len", "ext4_mb_new_inode_pa", "ext4_mb_new_group_pa");
        spec(MB_RELEASE_INODE_PA, "dev ino block count", "ext4_mb_release_inode_pa");
        spec(MB_RELEASE_GROUP_PA, "dev pa_pstart pa_len", "ext4_mb_release_group_pa");
        spec(DISCARD_PREALLOCATIONS, "dev ino len", "ext4_discard_preallocations");
        spec(MB_DISCARD_PREALLOCATIONS, "dev needed", "ext4_mb_discard_preallocations");
        spec(MAP_BLOCKS_ENTER, "dev ino lblk len flags", "ext4_ext_map_blocks_enter", "ext4_ind_map_blocks_enter");
        spec(MAP_BLOCKS_EXIT, "dev ino flags lblk pblk len mflags ret",
                "ext4_ext_map_blocks_exit", "ext4_ind_map_blocks_exit");
        spec(FALLOCATE_ENTER, "dev ino offset len mode", "ext4_fallocate_enter");
        spec(FALLOCATE_EXIT, "dev ino pos blocks ret", "ext4_fallocate_exit");
        spec(RANGE_OP, "dev ino offset len mode",
                "ext4_punch_hole", "ext4_zero_range", "ext4_collapse_range", "ext4_insert_range");
        spec(REMOVE_BLOCKS, "dev ino from to ee_lblk ee_pblk ee_len pc_lblk pc_pclu pc_state",
                "ext4_remove_blocks");
        spec(EXT_REMOVE_SPACE, "dev ino start end depth", "ext4_ext_remove_space", "ext4_ext_remove_space_done");
        spec(DA_WRITE_PAGES_EXTENT, "dev ino lblk len flags", "ext4_da_write_pages_extent");
        spec(HANDLE_UNWRITTEN_EXTENTS, "dev ino flags lblk pblk len allocated newblk",
                "ext4_ext_handle_unwritten_extents");
        spec(CONVERT_TO_INITIALIZED, "dev ino m_lblk m_len u_lblk u_len u_pblk",
                "ext4_ext_convert_to_initialized_enter");
        spec(TRUNCATE, "dev ino blocks", "ext4_truncate_enter", "ext4_truncate_exit");
        spec(UNLINK_ENTER, "dev ino parent size", "ext4_unlink_enter");
        spec(UNLINK_EXIT, "dev ino ret", "ext4_unlink_exit");
        spec(FREE_INODE, "dev ino blocks mode", "ext4_free_inode");
        spec(DIO_BEGIN, "dev ino isize pos count done_before ki_flags dio_flags aio", "iomap_dio_rw_begin");
        spec(DIO_COMPLETE, "dev ino isize pos ki_flags aio error ret", "iomap_dio_complete");
        spec(IOMAP_ITER, "dev ino pos length status flags", "iomap_iter");
        spec(IOMAP_MAP, "dev ino addr offset length type flags bdev", "iomap_iter_dstmap", "iomap_iter_srcmap");
        spec(PWRITE_ENTER, "fd count pos", "sys_enter_pwrite64");
        spec(PWRITEV2_ENTER, "fd vlen pos_l flags", "sys_enter_pwritev2");
        spec(FALLOCATE_SYSCALL_ENTER, "fd mode offset len", "sys_enter_fallocate");
        spec(MARKER, "", "print");
    }

    /** Per-format typing plan: record kind, a name-derived flag, and the index of each field read (-1: absent). */
    private static final class Plan {
        final int kind;
        final boolean flag;
        final String name;
        final int[] ix;

        Plan(int kind, boolean flag, String name, int[] ix) {
            this.kind = kind;
            this.flag = flag;
            this.name = name;
            this.ix = ix;
        }
    }

    private static Plan plan(EventFormat f) {
        Object o = f.typerPlan();
        if (o instanceof Plan p) {
            return p;
        }
        String n = f.name();
        Spec s = SPECS.get(n);
        int kind;
        String[] fields;
        String name = n;
        if (s != null) {
            kind = s.kind();
            fields = s.fields();
        } else if (n.startsWith("sys_exit_")) {
            kind = SYSCALL_EXIT;
            fields = new String[] {"ret"};
            name = n.substring("sys_exit_".length());
        } else {
            kind = GENERIC;
            fields = new String[0];
        }
        int[] ix = new int[fields.length];
        for (int i = 0; i < ix.length; i++) {
            ix[i] = f.indexOf(fields[i]);
        }
        boolean flag = switch (n) {
            case "ext4_mb_new_group_pa" -> true;
            case "ext4_ind_map_blocks_enter", "ext4_ind_map_blocks_exit" -> true;
            case "ext4_ext_remove_space_done", "ext4_truncate_exit", "iomap_iter_srcmap" -> true;
            default -> false;
        };
        Plan p = new Plan(kind, flag, name, ix);
        f.typerPlan(p);
        return p;
    }

    public static TraceEvent type(RawEvent r) {
        EventHeader h = r.header();
        Plan p = plan(r.format());
        int[] x = p.ix;
        switch (p.kind) {
            case REQUEST_BLOCKS:
                return new TraceEvent.RequestBlocks(h, i(r, x[0]), l(r, x[1]), i(r, x[2]), l(r, x[3]), l(r, x[4]),
                        l(r, x[5]), l(r, x[6]), l(r, x[7]), l(r, x[8]), l(r, x[9]), r);
            case ALLOCATE_BLOCKS:
                return new TraceEvent.AllocateBlocks(h, i(r, x[0]), l(r, x[1]), i(r, x[2]), l(r, x[3]), l(r, x[4]),
                        l(r, x[5]), l(r, x[6]), l(r, x[7]), l(r, x[8]), l(r, x[9]), l(r, x[10]), r);
            case MBALLOC_ALLOC:
                return new TraceEvent.MballocAlloc(h, i(r, x[0]), l(r, x[1]), ext(r, x, 2), ext(r, x, 6),
                        ext(r, x, 10), i(r, x[14]), i(r, x[15]), i(r, x[16]), i(r, x[17]), i(r, x[18]),
                        i(r, x[19]), r);
            case MBALLOC_PREALLOC:
                return new TraceEvent.MballocPrealloc(h, i(r, x[0]), l(r, x[1]), ext(r, x, 2), ext(r, x, 6), r);
            case MBALLOC_DISCARD:
                return new TraceEvent.MballocDiscard(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), l(r, x[4]),
                        r);
            case MBALLOC_FREE:
                return new TraceEvent.MballocFree(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), l(r, x[4]),
                        r);
            case FREE_BLOCKS:
                return new TraceEvent.FreeBlocks(h, i(r, x[0]), l(r, x[1]), i(r, x[2]), l(r, x[3]), l(r, x[4]),
                        i(r, x[5]), r);
            case MB_NEW_PA:
                return new TraceEvent.MbNewPa(h, p.flag, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        l(r, x[4]), r);
            case MB_RELEASE_INODE_PA:
                return new TraceEvent.MbReleaseInodePa(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), r);
            case MB_RELEASE_GROUP_PA:
                return new TraceEvent.MbReleaseGroupPa(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), r);
            case DISCARD_PREALLOCATIONS:
                return new TraceEvent.DiscardPreallocations(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), r);
            case MB_DISCARD_PREALLOCATIONS:
                return new TraceEvent.MbDiscardPreallocations(h, i(r, x[0]), l(r, x[1]), r);
            case MAP_BLOCKS_ENTER:
                return new TraceEvent.MapBlocksEnter(h, p.flag, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        i(r, x[4]), r);
            case MAP_BLOCKS_EXIT:
                return new TraceEvent.MapBlocksExit(h, p.flag, i(r, x[0]), l(r, x[1]), i(r, x[2]), l(r, x[3]),
                        l(r, x[4]), l(r, x[5]), i(r, x[6]), i(r, x[7]), r);
            case FALLOCATE_ENTER:
                return new TraceEvent.FallocateEnter(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), i(r, x[4]),
                        r);
            case FALLOCATE_EXIT:
                return new TraceEvent.FallocateExit(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), i(r, x[4]),
                        r);
            case RANGE_OP:
                return new TraceEvent.RangeOp(h, p.name, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        i(r, x[4]), r);
            case REMOVE_BLOCKS:
                return new TraceEvent.RemoveBlocks(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), l(r, x[4]),
                        l(r, x[5]), i(r, x[6]), l(r, x[7]), l(r, x[8]), i(r, x[9]), r);
            case EXT_REMOVE_SPACE:
                return new TraceEvent.ExtRemoveSpace(h, p.flag, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        i(r, x[4]), r);
            case DA_WRITE_PAGES_EXTENT:
                return new TraceEvent.DaWritePagesExtent(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        i(r, x[4]), r);
            case HANDLE_UNWRITTEN_EXTENTS:
                return new TraceEvent.HandleUnwrittenExtents(h, i(r, x[0]), l(r, x[1]), i(r, x[2]), l(r, x[3]),
                        l(r, x[4]), l(r, x[5]), l(r, x[6]), l(r, x[7]), r);
            case CONVERT_TO_INITIALIZED:
                return new TraceEvent.ConvertToInitialized(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        l(r, x[4]), l(r, x[5]), l(r, x[6]), r);
            case TRUNCATE:
                return new TraceEvent.Truncate(h, p.flag, i(r, x[0]), l(r, x[1]), l(r, x[2]), r);
            case UNLINK_ENTER:
                return new TraceEvent.UnlinkEnter(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), r);
            case UNLINK_EXIT:
                return new TraceEvent.UnlinkExit(h, i(r, x[0]), l(r, x[1]), i(r, x[2]), r);
            case FREE_INODE:
                return new TraceEvent.FreeInode(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), i(r, x[3]), r);
            case DIO_BEGIN:
                return new TraceEvent.DioBegin(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), l(r, x[4]),
                        l(r, x[5]), i(r, x[6]), i(r, x[7]), l(r, x[8]) != 0, r);
            case DIO_COMPLETE:
                return new TraceEvent.DioComplete(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), i(r, x[4]),
                        l(r, x[5]) != 0, i(r, x[6]), l(r, x[7]), r);
            case IOMAP_ITER:
                return new TraceEvent.IomapIter(h, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]), i(r, x[4]),
                        i(r, x[5]), r);
            case IOMAP_MAP:
                return new TraceEvent.IomapMap(h, p.flag, i(r, x[0]), l(r, x[1]), l(r, x[2]), l(r, x[3]),
                        l(r, x[4]), i(r, x[5]), i(r, x[6]), i(r, x[7]), r);
            case PWRITE_ENTER:
                return new TraceEvent.PwriteEnter(h, l(r, x[0]), l(r, x[1]), l(r, x[2]), r);
            case PWRITEV2_ENTER:
                return new TraceEvent.Pwritev2Enter(h, l(r, x[0]), l(r, x[1]), l(r, x[2]), i(r, x[3]), r);
            case FALLOCATE_SYSCALL_ENTER:
                return new TraceEvent.FallocateSyscallEnter(h, l(r, x[0]), i(r, x[1]), l(r, x[2]), l(r, x[3]), r);
            case MARKER: {
                String buf = r.getString("buf");
                if (buf != null && buf.endsWith("\n")) {
                    buf = buf.substring(0, buf.length() - 1);
                }
                return new TraceEvent.Marker(h, buf == null ? "" : buf, r);
            }
            case SYSCALL_EXIT:
                return new TraceEvent.SyscallExit(h, p.name, l(r, x[0]), r);
            default:
                return new TraceEvent.Generic(h, r);
        }
    }

    /** group/start/len/logical from four consecutive plan slots. */
    private static MbExtent ext(RawEvent r, int[] x, int k) {
        return new MbExtent(l(r, x[k]), l(r, x[k + 1]), l(r, x[k + 2]), l(r, x[k + 3]));
    }

    private static long l(RawEvent r, int index) {
        return r.getLong(index, 0);
    }

    private static int i(RawEvent r, int index) {
        return (int) r.getLong(index, 0);
    }
}
