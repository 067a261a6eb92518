package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbFlags;
import io.mbscope.replay.model.MbTunables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the trace tells about inode_is_open_for_write(), which ext4_mb_group_or_file() reads when a
 * request ends exactly at i_size (fs/ext4/mballoc.c, identical in 6.1, 6.12 and 7.3):
 *
 * <pre>
 *   if (size == isize &amp;&amp; !ext4_fs_is_busy(sbi) &amp;&amp; !inode_is_open_for_write(inode))
 *       inode_pa_eligible = false;
 *   ... size &gt; s_mb_stream_request → not group-eligible
 *   → STREAM_ALLOC if inode_pa_eligible, else HINT_NOPREALLOC
 * </pre>
 *
 * Hand-made events on a 1 KiB-block fs (so a 20 KiB file is 20 blocks, above mb_stream_req = 16,
 * and the group PA is out of the picture): only the open state decides the flags.
 */
class OpenStateTest {

    private static final int DA_FLAGS = MbFlags.HINT_DATA | MbFlags.DELALLOC_RESERVED | MbFlags.USE_RESERVED;
    private static final int WRITER = 100;
    private static final int FLUSHER = 7;

    private final List<AllocationVerdict> verdicts = new ArrayList<>();
    private long ts = 1_000_000;

    private ReplayEngine engine() {
        // 4 groups of 8192 1 KiB blocks, first data block 1, no flex_bg
        Geometry g = new Geometry(10, 0, 4 * 8192 + 1, 1, 8192, 8192, 4, 0, 0);
        ReplayEngine e = new ReplayEngine(g, MbTunables.defaults(g, false, 2), KernelGeneration.forRelease("7.3.4"),
                grp -> new long[128], ReplayOptions.defaults());
        e.addListener(new ReplayListener() {
            @Override
            public void onAllocation(AllocationVerdict v) {
                verdicts.add(v);
            }
        });
        return e;
    }

    private EventHeader h(int pid) {
        ts += 1000;
        return new EventHeader(ts, 0, pid, pid == FLUSHER ? "kworker/u8:1" : "wl");
    }

    /** pwrite64(fd, 20 KiB at 0) that reaches ext4 (ext4_da_map_blocks lookup) for ino. */
    private void pwrite(ReplayEngine e, long fd, long ino) {
        e.accept(new TraceEvent.PwriteEnter(h(WRITER), fd, 20480, 0, null));
        e.accept(new TraceEvent.MapBlocksEnter(h(WRITER), false, 0, ino, 0, 1, 0, null));
        e.accept(new TraceEvent.SyscallExit(h(WRITER), "pwrite64", 20480, null));
    }

    /** The flusher's delalloc writeback request for the whole 20-block file; returns the model's flags. */
    private int writeback(ReplayEngine e, long ino) {
        e.accept(new TraceEvent.RequestBlocks(h(FLUSHER), 0, ino, DA_FLAGS, 20, 0, 8193, 0, 0, 0, 0, null));
        e.accept(new TraceEvent.AllocateBlocks(h(FLUSHER), 0, ino, DA_FLAGS, 20, 8193, 0, 8193, 0, 0, 0, 0, null));
        return verdicts.get(verdicts.size() - 1).prediction().flags();
    }

    @Test
    void descriptorReusedForAnotherInodeMeansTheFirstFileWasClosed() {
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        pwrite(e, 8, 13); // fd 8 now names ino 13: close(8) of ino 12 happened in between
        // ino 12: size == isize == 20 blocks, no writer → inode PA not eligible → HINT_NOPREALLOC
        assertThat(writeback(e, 12) & (MbFlags.HINT_NOPREALLOC | MbFlags.STREAM_ALLOC))
                .isEqualTo(MbFlags.HINT_NOPREALLOC);
        // ino 13 is still held through fd 8 → STREAM_ALLOC
        assertThat(writeback(e, 13) & (MbFlags.HINT_NOPREALLOC | MbFlags.STREAM_ALLOC))
                .isEqualTo(MbFlags.STREAM_ALLOC);
    }

    @Test
    void sameDescriptorRewritingTheSameFileKeepsItOpen() {
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        pwrite(e, 8, 12);
        assertThat(writeback(e, 12) & MbFlags.STREAM_ALLOC).isNotZero();
    }

    @Test
    void anotherTasksDescriptorNumberSaysNothing() {
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        // a different task (its own fd table) writes ino 13 through its own fd 8
        e.accept(new TraceEvent.PwriteEnter(h(WRITER + 1), 8, 20480, 0, null));
        e.accept(new TraceEvent.MapBlocksEnter(h(WRITER + 1), false, 0, 13, 0, 1, 0, null));
        e.accept(new TraceEvent.SyscallExit(h(WRITER + 1), "pwrite64", 20480, null));
        assertThat(writeback(e, 12) & MbFlags.STREAM_ALLOC).isNotZero();
    }

    @Test
    void discardRightAfterTheFlushersAllocationMeansNoWriter() {
        // ext4_da_update_reserve_space: i_reserved_data_blocks == 0 && !inode_is_open_for_write()
        // → ext4_discard_preallocations, traced right after the allocation's map exit
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        e.accept(new TraceEvent.RequestBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 10, 0, 8193, 0, 0, 0, 0, null));
        e.accept(new TraceEvent.AllocateBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 10, 8193, 0, 8193, 0, 0, 0, 0, null));
        e.accept(new TraceEvent.MapBlocksExit(h(FLUSHER), false, 0, 12, 0, 0, 8193, 10, 0, 10, null));
        e.accept(new TraceEvent.DiscardPreallocations(h(FLUSHER), 0, 12, 0, null));
        // a later request ending at i_size (20 blocks): closed
        e.accept(new TraceEvent.RequestBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 10, 10, 8203, 9, 0, 8202, 0, null));
        e.accept(new TraceEvent.AllocateBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 10, 8203, 10, 8203, 9, 0, 8202, 0, null));
        assertThat(verdicts.get(1).prediction().flags() & MbFlags.HINT_NOPREALLOC).isNotZero();
    }

    @Test
    void truncateDiscardByTheWriterIsNotAClose() {
        // ext4_truncate → ext4_discard_preallocations comes from a writer that still holds the file
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        e.accept(new TraceEvent.Truncate(h(WRITER), false, 0, 12, 40, null));
        e.accept(new TraceEvent.DiscardPreallocations(h(WRITER), 0, 12, 0, null));
        assertThat(writeback(e, 12) & MbFlags.STREAM_ALLOC).isNotZero();
    }

    @Test
    void unseenCloseIsClassifiedAsOpenStateNotTraced() {
        // the writer closes ino 12 with its delalloc data (no event); the kernel then decides
        // HINT_NOPREALLOC, the model, still seeing a writer, STREAM_ALLOC
        ReplayEngine e = engine();
        pwrite(e, 8, 12);
        e.accept(new TraceEvent.RequestBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 20, 0, 8193, 0, 0, 0, 0, null));
        TraceEvent.MbExtent o = new TraceEvent.MbExtent(1, 0, 20, 0);
        e.accept(new TraceEvent.MballocAlloc(h(FLUSHER), 0, 12, o, o, o, 1, 1, 0,
                DA_FLAGS | MbFlags.HINT_NOPREALLOC, 0, 1, null));
        e.accept(new TraceEvent.AllocateBlocks(h(FLUSHER), 0, 12, DA_FLAGS, 20, 8193, 0, 8193, 0, 0, 0, 0, null));
        AllocationVerdict v = verdicts.get(0);
        assertThat(v.exact()).isFalse();
        assertThat(v.divergences()).allMatch(d -> d.cause() == DivergenceClass.OPEN_STATE_NOT_TRACED);
    }

    /** sys_enter_write / sys_enter_close as a capture tracing those syscalls carries them. */
    private TraceEvent sysEnter(String name, long fd) {
        EventFormat f = new EventFormat(-1, "syscalls", name, List.of(
                new FieldFormat("int", "__syscall_nr", 8, 4, true, false, -1),
                new FieldFormat("unsigned int", "fd", 16, 8, false, false, -1)), null);
        EventHeader hd = h(WRITER);
        return new TraceEvent.Generic(hd, new RawEvent(f, hd, new Object[] {1L, fd}));
    }

    @Test
    void tracedCloseEndsTheWriter() {
        ReplayEngine e = engine();
        // write(2) binds fd 5 to ino 12 (the da_write_begin lookup inside the syscall names the inode)
        e.accept(sysEnter("sys_enter_write", 5));
        e.accept(new TraceEvent.MapBlocksEnter(h(WRITER), false, 0, 12, 0, 1, 0, null));
        e.accept(new TraceEvent.SyscallExit(h(WRITER), "write", 20480, null));
        e.accept(sysEnter("sys_enter_close", 5));
        // closed, size == isize (unknown i_size is taken as the request end) → HINT_NOPREALLOC
        assertThat(writeback(e, 12) & (MbFlags.HINT_NOPREALLOC | MbFlags.STREAM_ALLOC))
                .isEqualTo(MbFlags.HINT_NOPREALLOC);
    }

    @Test
    void closeOfAnotherDescriptorKeepsTheWriter() {
        ReplayEngine e = engine();
        e.accept(sysEnter("sys_enter_write", 5));
        e.accept(new TraceEvent.MapBlocksEnter(h(WRITER), false, 0, 12, 0, 1, 0, null));
        e.accept(new TraceEvent.SyscallExit(h(WRITER), "write", 20480, null));
        e.accept(sysEnter("sys_enter_close", 6));
        assertThat(writeback(e, 12) & MbFlags.STREAM_ALLOC).isNotZero();
    }
}
