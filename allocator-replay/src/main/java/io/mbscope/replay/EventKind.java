package io.mbscope.replay;

import io.mbscope.parsers.event.TraceEvent;

/**
 * The replay's per-event dispatch: one class lookup per event, then a switch, instead of a chain
 * of instanceof tests repeated in every consumer (engine, inode facts, sync-write tracking).
 * Java 17 has no pattern switch over the sealed {@link TraceEvent}; this is its stand-in.
 */
final class EventKind {
    static final int OTHER = 0;
    static final int REQUEST_BLOCKS = 1;
    static final int MB_NEW_PA = 2;
    static final int MBALLOC_ALLOC = 3;
    static final int MBALLOC_PREALLOC = 4;
    static final int ALLOCATE_BLOCKS = 5;
    static final int MBALLOC_DISCARD = 6;
    static final int MB_RELEASE_INODE_PA = 7;
    static final int MB_RELEASE_GROUP_PA = 8;
    static final int DISCARD_PREALLOCATIONS = 9;
    static final int MBALLOC_FREE = 10;
    static final int MAP_BLOCKS_ENTER = 11;
    static final int MAP_BLOCKS_EXIT = 12;
    static final int RANGE_OP = 13;
    static final int REMOVE_BLOCKS = 14;
    static final int FREE_INODE = 15;
    static final int GENERIC = 16;
    static final int DA_WRITE_PAGES_EXTENT = 17;
    static final int PWRITE_ENTER = 18;
    static final int PWRITEV2_ENTER = 19;
    static final int FALLOCATE_SYSCALL_ENTER = 20;
    static final int SYSCALL_EXIT = 21;
    static final int DIO_BEGIN = 22;
    static final int DIO_COMPLETE = 23;
    static final int HANDLE_UNWRITTEN_EXTENTS = 24;
    static final int CONVERT_TO_INITIALIZED = 25;
    static final int FALLOCATE_ENTER = 26;
    static final int FALLOCATE_EXIT = 27;
    static final int EXT_REMOVE_SPACE = 28;
    static final int UNLINK_ENTER = 29;
    static final int IOMAP_ITER = 30;
    static final int IOMAP_MAP = 31;
    static final int MARKER = 32;
    static final int FREE_BLOCKS = 33;
    static final int TRUNCATE = 34;

    private static final ClassValue<Integer> KINDS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> c) {
            return kindOf(c);
        }
    };

    private EventKind() {
    }

    static int of(TraceEvent ev) {
        return KINDS.get(ev.getClass());
    }

    private static int kindOf(Class<?> c) {
        if (TraceEvent.RequestBlocks.class.isAssignableFrom(c)) {
            return REQUEST_BLOCKS;
        } else if (TraceEvent.MbNewPa.class.isAssignableFrom(c)) {
            return MB_NEW_PA;
        } else if (TraceEvent.MballocAlloc.class.isAssignableFrom(c)) {
            return MBALLOC_ALLOC;
        } else if (TraceEvent.MballocPrealloc.class.isAssignableFrom(c)) {
            return MBALLOC_PREALLOC;
        } else if (TraceEvent.AllocateBlocks.class.isAssignableFrom(c)) {
            return ALLOCATE_BLOCKS;
        } else if (TraceEvent.MballocDiscard.class.isAssignableFrom(c)) {
            return MBALLOC_DISCARD;
        } else if (TraceEvent.MbReleaseInodePa.class.isAssignableFrom(c)) {
            return MB_RELEASE_INODE_PA;
        } else if (TraceEvent.MbReleaseGroupPa.class.isAssignableFrom(c)) {
            return MB_RELEASE_GROUP_PA;
        } else if (TraceEvent.DiscardPreallocations.class.isAssignableFrom(c)) {
            return DISCARD_PREALLOCATIONS;
        } else if (TraceEvent.MballocFree.class.isAssignableFrom(c)) {
            return MBALLOC_FREE;
        } else if (TraceEvent.MapBlocksEnter.class.isAssignableFrom(c)) {
            return MAP_BLOCKS_ENTER;
        } else if (TraceEvent.MapBlocksExit.class.isAssignableFrom(c)) {
            return MAP_BLOCKS_EXIT;
        } else if (TraceEvent.RangeOp.class.isAssignableFrom(c)) {
            return RANGE_OP;
        } else if (TraceEvent.RemoveBlocks.class.isAssignableFrom(c)) {
            return REMOVE_BLOCKS;
        } else if (TraceEvent.FreeInode.class.isAssignableFrom(c)) {
            return FREE_INODE;
        } else if (TraceEvent.Generic.class.isAssignableFrom(c)) {
            return GENERIC;
        } else if (TraceEvent.DaWritePagesExtent.class.isAssignableFrom(c)) {
            return DA_WRITE_PAGES_EXTENT;
        } else if (TraceEvent.PwriteEnter.class.isAssignableFrom(c)) {
            return PWRITE_ENTER;
        } else if (TraceEvent.Pwritev2Enter.class.isAssignableFrom(c)) {
            return PWRITEV2_ENTER;
        } else if (TraceEvent.FallocateSyscallEnter.class.isAssignableFrom(c)) {
            return FALLOCATE_SYSCALL_ENTER;
        } else if (TraceEvent.SyscallExit.class.isAssignableFrom(c)) {
            return SYSCALL_EXIT;
        } else if (TraceEvent.DioBegin.class.isAssignableFrom(c)) {
            return DIO_BEGIN;
        } else if (TraceEvent.DioComplete.class.isAssignableFrom(c)) {
            return DIO_COMPLETE;
        } else if (TraceEvent.HandleUnwrittenExtents.class.isAssignableFrom(c)) {
            return HANDLE_UNWRITTEN_EXTENTS;
        } else if (TraceEvent.ConvertToInitialized.class.isAssignableFrom(c)) {
            return CONVERT_TO_INITIALIZED;
        } else if (TraceEvent.FallocateEnter.class.isAssignableFrom(c)) {
            return FALLOCATE_ENTER;
        } else if (TraceEvent.FallocateExit.class.isAssignableFrom(c)) {
            return FALLOCATE_EXIT;
        } else if (TraceEvent.ExtRemoveSpace.class.isAssignableFrom(c)) {
            return EXT_REMOVE_SPACE;
        } else if (TraceEvent.UnlinkEnter.class.isAssignableFrom(c)) {
            return UNLINK_ENTER;
        } else if (TraceEvent.IomapIter.class.isAssignableFrom(c)) {
            return IOMAP_ITER;
        } else if (TraceEvent.IomapMap.class.isAssignableFrom(c)) {
            return IOMAP_MAP;
        } else if (TraceEvent.Marker.class.isAssignableFrom(c)) {
            return MARKER;
        } else if (TraceEvent.FreeBlocks.class.isAssignableFrom(c)) {
            return FREE_BLOCKS;
        } else if (TraceEvent.Truncate.class.isAssignableFrom(c)) {
            return TRUNCATE;
        }
        return OTHER;
    }
}
