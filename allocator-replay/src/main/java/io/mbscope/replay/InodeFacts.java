package io.mbscope.replay;

import io.mbscope.parsers.event.TraceEvent;
import java.util.HashMap;
import java.util.Map;

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
    private final Map<Long, Long> isize = new HashMap<>();
    private final Map<Long, Boolean> open = new HashMap<>();
    /** per pid: the write syscall in flight. */
    private final Map<Integer, Syscall> inFlight = new HashMap<>();
    /** per pid+fd: the inode the descriptor was bound to. */
    private final Map<Long, Long> fdIno = new HashMap<>();
    private final Map<Long, TraceEvent.FallocateEnter> falloc = new HashMap<>();
    /** fd → inode of the latest binding, whatever the task (for close hints that carry no pid). */
    private final Map<Long, Long> lastFdIno = new HashMap<>();
    /** per pid: its latest event among those that tell a discard's caller apart. */
    private final Map<Integer, TraceEvent> lastByPid = new HashMap<>();

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
        Long v = isize.get(ino);
        return v == null ? -1 : v;
    }

    /**
     * Without any evidence about the inode the writer is assumed to still have it open: data
     * allocations mostly come from a task inside write/fsync, and a wrong "open" only costs the
     * normalisation of a closed file's last writeback.
     */
    boolean openForWrite(long ino) {
        return open.getOrDefault(ino, Boolean.TRUE);
    }

    private void grow(long ino, long size) {
        isize.merge(ino, size, Math::max);
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
        Long prev = fdIno.put(key, ino);
        lastFdIno.put(fd, ino);
        if (prev != null && prev != ino && !fdIno.containsValue(prev)) {
            open.put(prev, false);
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
            open.put(ino, false);
        } else if ((kernelFlags & group) != 0) {
            Long cur = isize.get(ino);
            if (cur != null && cur > streamReq * bs) {
                isize.put(ino, endBlocks * bs);
            }
        } else if ((kernelFlags & stream) != 0) {
            if (modelSaidNoPrealloc) {
                open.put(ino, true);
            }
            if (endBlocks <= streamReq) {
                Long cur = isize.get(ino);
                if (cur == null || cur <= streamReq * bs) {
                    isize.put(ino, (streamReq + 1) * bs);
                }
            }
            if (goalLogical == 0 && !neighbours && goalBlocks * bs <= (1L << 20) && goalBlocks > endBlocks) {
                Long cur = isize.get(ino);
                long window = goalBlocks * bs;
                if (cur == null || cur > window || cur <= window / 2) {
                    isize.put(ino, window);
                }
            }
        }
    }

    /** A close(2) of {@code fd} known from outside the trace: its inode has no writer any more. */
    void fdClosed(long fd) {
        Long ino = lastFdIno.remove(fd);
        if (ino != null) {
            open.put(ino, false);
        }
        fdIno.entrySet().removeIf(e -> (e.getKey() ^ fd) >>> 32 == e.getKey() >>> 32 && e.getValue().equals(ino));
    }

    void accept(TraceEvent ev) {
        int pid = ev.header().pid();
        if (ev instanceof TraceEvent.PwriteEnter p) {
            inFlight.put(pid, new Syscall(p.fd(), p.pos()));
        } else if (ev instanceof TraceEvent.Pwritev2Enter p) {
            inFlight.put(pid, new Syscall(p.fd(), p.pos()));
        } else if (ev instanceof TraceEvent.Generic g && g.name().startsWith("sys_enter_")) {
            // a capture that also traces write(2) and close(2) (mbscope record traces only the pwrite
            // family): write binds its descriptor like pwrite (the file offset is not in the event),
            // close drops the binding and with it, when no other known descriptor names the inode,
            // the writer (fput → ext4_release_file; the last writer also ends inode_is_open_for_write)
            long fd = g.raw().getLong("fd", -1);
            if (fd >= 0 && g.name().equals("sys_enter_write")) {
                inFlight.put(pid, new Syscall(fd, -1));
            } else if (fd >= 0 && g.name().equals("sys_enter_close")) {
                Long ino = fdIno.remove(fdKey(pid, fd));
                if (ino != null && !fdIno.containsValue(ino)) {
                    open.put(ino, false);
                }
            }
        } else if (ev instanceof TraceEvent.SyscallExit x) {
            Syscall s = inFlight.remove(pid);
            if (s != null && x.syscall().equals("write")) {
                if (s.ino > 0 && x.ret() > 0) {
                    open.put(s.ino, true);
                }
            } else if (s != null && x.syscall().startsWith("pwrite")) {
                long ino = s.ino;
                if (ino > 0) {
                    rebind(pid, s.fd, ino);
                } else {
                    ino = fdIno.getOrDefault(fdKey(pid, s.fd), -1L);
                }
                if (ino > 0 && x.ret() > 0) {
                    grow(ino, s.pos + x.ret());
                    open.put(ino, true);
                }
            }
        } else if (ev instanceof TraceEvent.DioBegin d) {
            bind(pid, d.ino());
            isize.put(d.ino(), d.isize());
            open.put(d.ino(), true);
        } else if (ev instanceof TraceEvent.DioComplete d) {
            isize.put(d.ino(), d.isize());
        } else if (ev instanceof TraceEvent.MapBlocksEnter m) {
            bind(pid, m.ino());
        } else if (ev instanceof TraceEvent.RequestBlocks r) {
            bind(pid, r.ino());
        } else if (ev instanceof TraceEvent.FallocateEnter f) {
            falloc.put(f.ino(), f);
            open.put(f.ino(), true);
        } else if (ev instanceof TraceEvent.FallocateExit f) {
            TraceEvent.FallocateEnter e = falloc.remove(f.ino());
            if (e != null && f.ret() >= 0 && (e.mode() & FALLOC_FL_KEEP_SIZE) == 0) {
                grow(f.ino(), e.offset() + e.len());
            }
        } else if (ev instanceof TraceEvent.ExtRemoveSpace r) {
            if (!r.done() && r.end() == EXT_MAX_BLOCKS_M1) {
                Long cur = isize.get(r.ino());
                long s = r.start() << blockBits;
                if (cur == null || cur > s) {
                    isize.put(r.ino(), s);
                }
            }
        } else if (ev instanceof TraceEvent.UnlinkEnter u) {
            isize.put(u.ino(), u.size());
            open.put(u.ino(), false);
        } else if (ev instanceof TraceEvent.DiscardPreallocations d) {
            if (discardMeansNoWriter(d, lastByPid.get(pid))) {
                open.put(d.ino(), false);
            }
        }
        if (ev instanceof TraceEvent.MapBlocksExit || ev instanceof TraceEvent.AllocateBlocks
                || ev instanceof TraceEvent.Truncate
                || ev instanceof TraceEvent.RangeOp || ev instanceof TraceEvent.FallocateEnter
                || ev instanceof TraceEvent.ExtRemoveSpace || ev instanceof TraceEvent.UnlinkEnter
                || ev instanceof TraceEvent.DiscardPreallocations || ev instanceof TraceEvent.SyscallExit) {
            lastByPid.put(pid, ev);
        }
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
