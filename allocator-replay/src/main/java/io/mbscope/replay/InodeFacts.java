package io.mbscope.replay;

import io.mbscope.parsers.event.TraceEvent;

/**
 * What mballoc reads from the inode but the allocator events do not carry: i_size and whether a
 * writer has the file open. Inferred from other events; every inference is an approximation:
 *
 * <ul>
 *   <li>i_size: iomap_dio_rw_begin / iomap_dio_complete print it (exact at those instants);
 *       write syscalls (pwrite64, pwritev2) extend it to pos + ret, the file descriptor being bound
 *       to the inode of the first ext4/iomap event the same task emits inside the syscall;
 *       fallocate without KEEP_SIZE extends it to offset + len; a truncate (ext4_ext_remove_space
 *       up to EXT_MAX_BLOCKS - 1) sets it to the removal start; ext4_unlink_enter prints it.
 *       Unknown → the model takes the request's logical end as i_size.</li>
 *   <li>open for write: set by write syscalls, DIO, fallocate on the inode; cleared by
 *       ext4_discard_preallocations when its caller means "no writer" (see
 *       {@link #discardMeansNoWriter}), by unlink, and when the descriptor a task wrote the file
 *       through is seen naming another inode (the file was closed in between, see {@link #rebind}).
 *       A writer closing a file with dirty delalloc data fires no event: until the descriptor is
 *       reused such files count as open (what ext4_mb_group_or_file then decides is classified
 *       {@link DivergenceClass#OPEN_STATE_NOT_TRACED}).</li>
 * </ul>
 */
final class InodeFacts {

    private static final long EXT_MAX_BLOCKS_M1 = 0xFFFFFFFEL;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;

    private final int blockBits;
    /** ino → i_size in bytes (absent: unknown). Primitive maps: these are read or written for most events. */
    private final LongLongMap isize = new LongLongMap();
    /** ino → 1 open for write, 0 not (absent: assumed open). */
    private final LongLongMap open = new LongLongMap();
    /** per pid: the write syscall in flight. */
    private final LongObjMap<Syscall> inFlight = new LongObjMap<>();
    /** per pid+fd: the inode the descriptor was bound to. */
    private final LongLongMap fdIno = new LongLongMap();
    private final LongObjMap<TraceEvent.FallocateEnter> falloc = new LongObjMap<>();
    /** fd → inode of the latest binding, whatever the task (for close hints that carry no pid). */
    private final LongLongMap lastFdIno = new LongLongMap();
    /** per pid: its latest event among those that tell a discard's caller apart. */
    private final LongObjMap<TraceEvent> lastByPid = new LongObjMap<>();

    private static final class Syscall {
        final long fd;
        final long pos;
        long ino = -1;

        Syscall(long fd, long pos) {
            this.fd = fd;
            this.pos = pos;
        }
    }

    InodeFacts(int blockBits) {
        this.blockBits = blockBits;
    }

    long isizeBytes(long ino) {
        return isize.get(ino, -1);
    }

    /**
     * Without any evidence about the inode the writer is assumed to still have it open: data
     * allocations mostly come from a task inside write/fsync, and a wrong "open" only costs the
     * normalisation of a closed file's last writeback.
     */
    boolean openForWrite(long ino) {
        return open.get(ino, 1) != 0;
    }

    private void grow(long ino, long size) {
        isize.put(ino, isize.containsKey(ino) ? Math.max(isize.get(ino, 0), size) : size);
    }

    private static long fdKey(int pid, long fd) {
        return ((long) pid << 32) ^ fd;
    }

    private void bind(int pid, long ino) {
        Syscall s = inFlight.get(pid);
        if (s != null && s.ino < 0 && ino > 0) {
            s.ino = ino;
            rebind(pid, s.fd, ino);
        }
    }

    /**
     * A task's file descriptor now refers to {@code ino}. A descriptor number names one open file
     * at a time in a task's fd table, so if it named another inode before, that file was closed
     * (close(2), or dup2/dup3 over it, which closes it too) in between: the kernel's
     * ext4_release_file ran for that writer. When no other known descriptor still names the old
     * inode, inode_is_open_for_write() (i_writecount &gt; 0) is taken as false from then on; a close
     * that leaves delalloc blocks reserved fires no trace event of its own, this is how the trace
     * still reveals it.
     */
    private void rebind(int pid, long fd, long ino) {
        long key = fdKey(pid, fd);
        boolean had = fdIno.containsKey(key);
        long prev = fdIno.get(key, 0);
        fdIno.put(key, ino);
        lastFdIno.put(fd, ino);
        if (had && prev != ino && !fdIno.containsValue(prev)) {
            open.put(prev, 0);
        }
    }

    /**
     * What the kernel's own decision for this inode reveals (ext4_mb_group_or_file and
     * ext4_mb_normalize_request in the ext4_mballoc_alloc event), so the next request of the
     * same inode starts from it:
     * <ul>
     *   <li>HINT_NOPREALLOC on a data request without NOPREALLOC from the caller: size == i_size and
     *       no writer → i_size is the request end, closed;</li>
     *   <li>STREAM_ALLOC: a writer has it open, or i_size differs from the request end;</li>
     *   <li>HINT_GROUP_ALLOC: max(end, i_size) ≤ mb_stream_req → i_size ≤ that;</li>
     *   <li>STREAM_ALLOC with an untrimmed window starting at 0 and no neighbours: the window is
     *       roundup_pow_of_two(max(end, i_size)) (≤ 1 MiB class) → i_size ≤ the window.</li>
     * </ul>
     */
    void learn(long ino, int requestFlags, int kernelFlags, long endBlocks, long goalLogical, long goalBlocks,
               boolean neighbours, boolean modelSaidNoPrealloc, int streamReq) {
        final int nopre = 0x40;
        final int group = 0x80;
        final int stream = 0x800;
        if ((requestFlags & 0x20) == 0 || (requestFlags & nopre) != 0) {
            return;
        }
        long bs = 1L << blockBits;
        if ((kernelFlags & nopre) != 0) {
            isize.put(ino, endBlocks * bs);
            open.put(ino, 0);
        } else if ((kernelFlags & group) != 0) {
            if (isize.containsKey(ino) && isize.get(ino, 0) > streamReq * bs) {
                isize.put(ino, endBlocks * bs);
            }
        } else if ((kernelFlags & stream) != 0) {
            if (modelSaidNoPrealloc) {
                open.put(ino, 1);
            }
            if (endBlocks <= streamReq) {
                if (!isize.containsKey(ino) || isize.get(ino, 0) <= streamReq * bs) {
                    isize.put(ino, (streamReq + 1) * bs);
                }
            }
            if (goalLogical == 0 && !neighbours && goalBlocks * bs <= (1L << 20) && goalBlocks > endBlocks) {
                long window = goalBlocks * bs;
                if (!isize.containsKey(ino)) {
                    isize.put(ino, window);
                } else {
                    long cur = isize.get(ino, 0);
                    if (cur > window || cur <= window / 2) {
                        isize.put(ino, window);
                    }
                }
            }
        }
    }

    /** A close(2) of {@code fd} known from outside the trace: its inode has no writer any more. */
    void fdClosed(long fd) {
        if (!lastFdIno.containsKey(fd)) {
            return; // no inode: the binding filter below cannot match anything
        }
        long ino = lastFdIno.removeValue(fd, -1);
        open.put(ino, 0);
        fdIno.removeIf((key, value) -> (key ^ fd) >>> 32 == key >>> 32 && value == ino);
    }

    void accept(TraceEvent ev, int kind) {
        switch (kind) {
            case EventKind.PWRITE_ENTER -> {
                TraceEvent.PwriteEnter p = (TraceEvent.PwriteEnter) ev;
                inFlight.put(ev.header().pid(), new Syscall(p.fd(), p.pos()));
            }
            case EventKind.PWRITEV2_ENTER -> {
                TraceEvent.Pwritev2Enter p = (TraceEvent.Pwritev2Enter) ev;
                inFlight.put(ev.header().pid(), new Syscall(p.fd(), p.pos()));
            }
            case EventKind.SYSCALL_EXIT -> {
                TraceEvent.SyscallExit x = (TraceEvent.SyscallExit) ev;
                int pid = ev.header().pid();
                Syscall s = inFlight.remove(pid);
                if (s != null && x.syscall().startsWith("pwrite")) {
                    long ino = s.ino;
                    if (ino > 0) {
                        rebind(pid, s.fd, ino);
                    } else {
                        ino = fdIno.get(fdKey(pid, s.fd), -1L);
                    }
                    if (ino > 0 && x.ret() > 0) {
                        grow(ino, s.pos + x.ret());
                        open.put(ino, 1);
                    }
                }
            }
            case EventKind.DIO_BEGIN -> {
                TraceEvent.DioBegin d = (TraceEvent.DioBegin) ev;
                bind(ev.header().pid(), d.ino());
                isize.put(d.ino(), d.isize());
                open.put(d.ino(), 1);
            }
            case EventKind.DIO_COMPLETE -> {
                TraceEvent.DioComplete d = (TraceEvent.DioComplete) ev;
                isize.put(d.ino(), d.isize());
            }
            case EventKind.MAP_BLOCKS_ENTER -> bind(ev.header().pid(), ((TraceEvent.MapBlocksEnter) ev).ino());
            case EventKind.REQUEST_BLOCKS -> bind(ev.header().pid(), ((TraceEvent.RequestBlocks) ev).ino());
            case EventKind.FALLOCATE_ENTER -> {
                TraceEvent.FallocateEnter f = (TraceEvent.FallocateEnter) ev;
                falloc.put(f.ino(), f);
                open.put(f.ino(), 1);
            }
            case EventKind.FALLOCATE_EXIT -> {
                TraceEvent.FallocateExit f = (TraceEvent.FallocateExit) ev;
                TraceEvent.FallocateEnter e = falloc.remove(f.ino());
                if (e != null && f.ret() >= 0 && (e.mode() & FALLOC_FL_KEEP_SIZE) == 0) {
                    grow(f.ino(), e.offset() + e.len());
                }
            }
            case EventKind.EXT_REMOVE_SPACE -> {
                TraceEvent.ExtRemoveSpace r = (TraceEvent.ExtRemoveSpace) ev;
                if (!r.done() && r.end() == EXT_MAX_BLOCKS_M1) {
                    long s = r.start() << blockBits;
                    if (!isize.containsKey(r.ino()) || isize.get(r.ino(), 0) > s) {
                        isize.put(r.ino(), s);
                    }
                }
            }
            case EventKind.UNLINK_ENTER -> {
                TraceEvent.UnlinkEnter u = (TraceEvent.UnlinkEnter) ev;
                isize.put(u.ino(), u.size());
                open.put(u.ino(), 0);
            }
            case EventKind.DISCARD_PREALLOCATIONS -> {
                TraceEvent.DiscardPreallocations d = (TraceEvent.DiscardPreallocations) ev;
                if (discardMeansNoWriter(d, lastByPid.get(ev.header().pid()))) {
                    open.put(d.ino(), 0);
                }
            }
            default -> {
            }
        }
        switch (kind) {
            case EventKind.MAP_BLOCKS_EXIT, EventKind.ALLOCATE_BLOCKS, EventKind.TRUNCATE, EventKind.RANGE_OP,
                    EventKind.FALLOCATE_ENTER, EventKind.EXT_REMOVE_SPACE, EventKind.UNLINK_ENTER,
                    EventKind.DISCARD_PREALLOCATIONS, EventKind.SYSCALL_EXIT -> lastByPid.put(ev.header().pid(), ev);
            default -> {
            }
        }
    }

    /** The same, dispatching by itself (tests, callers outside the engine). */
    void accept(TraceEvent ev) {
        accept(ev, EventKind.of(ev));
    }

    /**
     * Which caller of ext4_discard_preallocations() an event comes from, told by what the same task
     * did just before (the event itself does not say):
     * <ul>
     *   <li>right after its own allocation for the inode (ext4_allocate_blocks in 6.1, where
     *       ext4_ext_map_blocks calls it before its exit event; ext4_ext_map_blocks_exit from 6.x on,
     *       where ext4_es_insert_extent calls it after): ext4_da_update_reserve_space (inode.c),
     *       which discards only when no delalloc reservation is left <b>and</b>
     *       !inode_is_open_for_write() — whatever the task (flusher kworker or fsync);</li>
     *   <li>right after ext4_truncate_enter, ext4_ext_remove_space, a punch/zero/collapse/insert range
     *       or ext4_fallocate_enter on the inode: the truncate/fallocate paths (extents.c, inode.c),
     *       run by a writer that still holds the file: no evidence;</li>
     *   <li>otherwise, from a user task: ext4_release_file of the last writer (file.c) or eviction
     *       (super.c ext4_clear_inode): no writer left. A flusher kworker has no file to release.</li>
     * </ul>
     */
    private static boolean discardMeansNoWriter(TraceEvent.DiscardPreallocations d, TraceEvent prev) {
        long ino = d.ino();
        if ((prev instanceof TraceEvent.MapBlocksExit m && m.ino() == ino)
                || (prev instanceof TraceEvent.AllocateBlocks a && a.ino() == ino)) {
            return true;
        }
        if ((prev instanceof TraceEvent.Truncate t && t.ino() == ino)
                || (prev instanceof TraceEvent.RangeOp r && r.ino() == ino)
                || (prev instanceof TraceEvent.FallocateEnter f && f.ino() == ino)
                || (prev instanceof TraceEvent.ExtRemoveSpace x && x.ino() == ino)) {
            return false;
        }
        String comm = d.header().comm();
        return comm == null || !comm.startsWith("kworker");
    }
}
