package io.mbscope.replay;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.model.AllocRequest;
import io.mbscope.replay.model.BuddyGroup;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MballocModel;
import io.mbscope.replay.model.MbFlags;
import io.mbscope.replay.model.MbTunables;
import io.mbscope.replay.model.Prealloc;
import io.mbscope.replay.model.Prediction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Replays a trace through the mballoc model: events in time order through {@link #accept}, one
 * {@link AllocationVerdict} per ext4_mb_new_blocks() call (ext4_request_blocks ...
 * ext4_allocate_blocks of one task), then {@link #finish}.
 *
 * <p>The model predicts each call from the state before it; then the state is moved forward with
 * what the kernel actually did (its found extent, its PAs, its frees and discards), so one wrong
 * prediction does not cascade into the next ones.
 */
public final class ReplayEngine {

    private final MballocModel model;
    private final KernelGeneration gen;
    private final Geometry geo;
    private final ReplayOptions opts;
    private final InodeFacts facts;
    private final List<ReplayListener> listeners = new ArrayList<>();

    // classification walks calls in its (HashMap) order, which names the peer it reports: kept as is
    private final Map<Integer, Call> calls = new HashMap<>();
    // primitive-keyed maps for the per-inode/per-pid state read on most events: no boxing
    private final LongLongMap indirectInodes = new LongLongMap();
    private final LongLongMap shifted = new LongLongMap();
    private final long[][] initial;
    private final BitSet[] touched;
    private final ArrayDeque<MballocModel.PendingFree> assumedCommits = new ArrayDeque<>();

    /** per pid: a write syscall in flight that will sync (RWF_DSYNC/RWF_SYNC or O_DSYNC/O_SYNC seen by iomap). */
    private final LongObjMap<boolean[]> syncWrites = new LongObjMap<>();
    private static final int RWF_DSYNC_OR_SYNC = 0x2 | 0x4;
    private final LongLongMap userWriteback = new LongLongMap();
    private boolean sawSyscalls;
    private boolean journal = true;
    private boolean dataWriteback;
    /** per pid: the ext4_free_blocks whose ext4_mballoc_free events follow. */
    private final LongObjMap<TraceEvent.FreeBlocks> freeing = new LongObjMap<>();
    private boolean sawJbd2;
    private int ignored;
    private int inferredCommits;
    private long jbd2CommitStartNs = Long.MIN_VALUE;

    // results
    private int allocations;
    private int exact;
    private final int[] fieldCompared = new int[Field.values().length];
    private final int[] fieldMatched = new int[Field.values().length];
    private final EnumMap<DivergenceClass, Integer> byClass = new EnumMap<>(DivergenceClass.class);
    private int unexplained;
    private final List<AllocationVerdict> verdicts = new ArrayList<>();
    private final LongObjMap<NavigableMap<Long, long[]>> layout = new LongObjMap<>();
    private long firstAcceptNs = -1;

    /** One ext4_mb_new_blocks() in flight. */
    private static final class Call {
        final TraceEvent.RequestBlocks req;
        final AllocRequest ar;
        final Prediction pred;
        final List<TraceEvent.MbNewPa> newPas = new ArrayList<>(2);
        TraceEvent.MballocAlloc alloc;
        TraceEvent.MballocPrealloc pre;
        /** calls on other CPUs whose request..allocate window overlapped this one's */
        final List<Call> peers = new ArrayList<>(1);
        /** a buddy change made outside any traced call (e.g. a truncate's PA discard) on another CPU */
        String foreignChange;
        boolean finished;
        /** this call changed the buddy: found extent marked used, or PA blocks discarded in its window */
        String changedBuddy;

        /** Bounded: a call left in flight (no ext4_allocate_blocks traced) must not grow with the trace. */
        void addPeer(Call p) {
            if (peers.size() < 64) {
                peers.add(p);
            }
        }

        Call(TraceEvent.RequestBlocks req, AllocRequest ar, Prediction pred) {
            this.req = req;
            this.ar = ar;
            this.pred = pred;
        }
    }

    /**
     * @param geo     geometry of the traced file system
     * @param tun     tunables in effect
     * @param gen     kernel generation (see {@link KernelGeneration#forRelease})
     * @param bitmaps initial in-use bitmap of each group (bit set = cluster in use)
     * @param opts    assumptions
     */
    public ReplayEngine(Geometry geo, MbTunables tun, KernelGeneration gen, IntFunction<long[]> bitmaps,
                        ReplayOptions opts) {
        this.geo = geo;
        this.gen = gen;
        this.opts = opts;
        this.initial = new long[geo.groupCount()][];
        for (int g = 0; g < initial.length; g++) {
            long[] b = bitmaps.apply(g);
            initial[g] = b == null ? new long[0] : b.clone();
        }
        this.model = new MballocModel(geo, tun, gen, g -> initial[g]);
        this.touched = new BitSet[geo.groupCount()];
        model.onCommit(p -> {
            assumedCommits.addLast(p);
            if (assumedCommits.size() > 4096) {
                assumedCommits.removeFirst();
            }
        });
        this.facts = new InodeFacts(geo.blockBits());
    }

    public void addListener(ReplayListener l) {
        listeners.add(l);
    }

    public MballocModel model() {
        return model;
    }

    /** i_size of an inode as the replay infers it from the events so far; -1 if unknown. */
    public long inferredIsizeBytes(long ino) {
        return facts.isizeBytes(ino);
    }

    /** Feeds the next event (time order). */
    public void accept(TraceEvent ev) {
        if (firstAcceptNs < 0) {
            firstAcceptNs = System.nanoTime();
        }
        int kind = EventKind.of(ev);
        advanceCommits(ev);
        facts.accept(ev, kind);
        int pid = ev.header().pid();
        trackSyncWrites(ev, pid, kind);
        switch (kind) {
            case EventKind.REQUEST_BLOCKS -> onRequest((TraceEvent.RequestBlocks) ev);
            case EventKind.MB_NEW_PA -> {
                Call c = calls.get(pid);
                if (c != null) {
                    c.newPas.add((TraceEvent.MbNewPa) ev);
                }
            }
            case EventKind.MBALLOC_ALLOC -> {
                Call c = calls.get(pid);
                if (c != null) {
                    c.alloc = (TraceEvent.MballocAlloc) ev;
                }
            }
            case EventKind.MBALLOC_PREALLOC -> {
                Call c = calls.get(pid);
                if (c != null) {
                    c.pre = (TraceEvent.MballocPrealloc) ev;
                }
            }
            case EventKind.ALLOCATE_BLOCKS -> {
                TraceEvent.AllocateBlocks a = (TraceEvent.AllocateBlocks) ev;
                Call c = calls.remove(pid);
                if (c != null) {
                    c.finished = true;
                    if (c.req.ino() == a.ino()) {
                        finishCall(c, a);
                    }
                }
            }
            case EventKind.MBALLOC_DISCARD -> {
                TraceEvent.MballocDiscard d = (TraceEvent.MballocDiscard) ev;
                int[] x = range(d.group(), d.start(), d.len());
                if (x != null) {
                    model.applyFreeNow(x[0], x[1], x[2]);
                    touch(x[0], x[1], x[2]);
                    buddyChanged(pid, ev.header().cpu(), "discard " + d.group() + "/" + d.start() + "/" + d.len());
                }
            }
            case EventKind.MB_RELEASE_INODE_PA -> {
                TraceEvent.MbReleaseInodePa r = (TraceEvent.MbReleaseInodePa) ev;
                model.applyReleaseInodePa(r.ino(), r.block());
            }
            case EventKind.MB_RELEASE_GROUP_PA -> model.applyReleaseGroupPa(((TraceEvent.MbReleaseGroupPa) ev).pstart());
            case EventKind.DISCARD_PREALLOCATIONS -> {
                TraceEvent.DiscardPreallocations d = (TraceEvent.DiscardPreallocations) ev;
                // ≤6.3 ext4_discard_preallocations(inode, needed): needed > 0 is ext4_mb_trim_inode_pa dropping only
                // the oldest PAs (the per-PA ext4_mb_release_inode_pa events say which); 0 (and 6.4+) drops all
                long needed = d.raw() != null ? d.raw().getLong("needed", 0) : 0;
                if (needed == 0) {
                    model.applyDiscardInodePas(d.ino());
                }
            }
            case EventKind.MBALLOC_FREE -> {
                TraceEvent.MballocFree f = (TraceEvent.MballocFree) ev;
                int[] x = range(f.group(), f.start(), f.len());
                if (x == null) {
                    return;
                }
                if (opts.commitDelayNs() == 0 || freedAtOnce(freeing.get(pid))) {
                    model.applyFreeNow(x[0], x[1], x[2]);
                } else {
                    model.applyFreeDeferred(x[0], x[1], x[2], ev.timestampNs());
                }
                touch(x[0], x[1], x[2]);
                if (opts.commitDelayNs() == 0 || freedAtOnce(freeing.get(pid))) {
                    // freed straight into the buddy (no journal / data=writeback): visible at once
                    buddyChanged(pid, ev.header().cpu(), "free " + f.group() + "/" + f.start() + "/" + f.len());
                }
                for (ReplayListener l : listeners) {
                    l.onFree(ev.timestampNs(), f.ino(), f.group(), f.start(), f.len());
                }
            }
            case EventKind.FREE_BLOCKS -> freeing.put(pid, (TraceEvent.FreeBlocks) ev);
            case EventKind.MAP_BLOCKS_ENTER -> {
                TraceEvent.MapBlocksEnter m = (TraceEvent.MapBlocksEnter) ev;
                if (m.indirect()) {
                    indirectInodes.put(m.ino(), 1);
                }
            }
            case EventKind.RANGE_OP -> {
                // collapse/insert range shift extents logically without map events: stop tracking that inode
                TraceEvent.RangeOp op = (TraceEvent.RangeOp) ev;
                if (op.kind().equals("ext4_collapse_range") || op.kind().equals("ext4_insert_range")) {
                    layout.remove(op.ino());
                    shifted.put(op.ino(), 1);
                }
            }
            case EventKind.MAP_BLOCKS_EXIT -> {
                TraceEvent.MapBlocksExit m = (TraceEvent.MapBlocksExit) ev;
                if (opts.keepLayout() && m.ret() > 0 && m.pblk() != 0 && m.len() > 0 && !shifted.containsKey(m.ino())) {
                    mapLayout(m.ino(), m.lblk(), m.pblk(), m.len());
                }
            }
            case EventKind.REMOVE_BLOCKS -> {
                if (opts.keepLayout()) {
                    TraceEvent.RemoveBlocks r = (TraceEvent.RemoveBlocks) ev;
                    unmapLayout(r.ino(), r.from(), r.to() - r.from() + 1);
                }
            }
            case EventKind.FREE_INODE -> {
                long ino = ((TraceEvent.FreeInode) ev).ino();
                layout.remove(ino);
                shifted.remove(ino);
            }
            case EventKind.GENERIC -> {
                String n = ((TraceEvent.Generic) ev).name();
                if (n.equals("jbd2_start_commit") || n.equals("jbd2_commit_locking")) {
                    sawJbd2 = true;
                    jbd2CommitStartNs = ev.timestampNs();
                } else if (n.equals("jbd2_end_commit") && jbd2CommitStartNs != Long.MIN_VALUE) {
                    sawJbd2 = true;
                    model.commitUpTo(jbd2CommitStartNs);
                }
            }
            default -> {
                // not an event the allocator replay reads
            }
        }
    }

    /**
     * A journal commit known from outside the trace (e.g. an fsync/syncfs that returned): every
     * free made at or before {@code freedUpToNs} is allocatable from now on. Call it in time order
     * with the events.
     */
    public void commitPoint(long freedUpToNs) {
        model.commitUpTo(freedUpToNs);
    }

    /**
     * How the file system journals (from its features and mount options). ext4_mb_clear_bb defers a
     * free to the commit (ext4_mb_free_metadata) only with a valid journal handle and when the
     * blocks are metadata (EXT4_FREE_BLOCKS_METADATA) or the inode's data is journalled/ordered;
     * without a journal, or for regular-file data under data=writeback, mb_free_blocks returns them
     * to the buddy at once.
     */
    public void journalMode(boolean hasJournal, boolean dataWritebackMount) {
        this.journal = hasJournal;
        this.dataWriteback = dataWritebackMount;
    }

    private static final int EXT4_FREE_BLOCKS_METADATA = 0x0001;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private boolean freedAtOnce(TraceEvent.FreeBlocks fb) {
        if (!journal) {
            return true;
        }
        // ext4_inode_journal_mode: only regular files follow data=writeback
        return dataWriteback && fb != null && (fb.flags() & EXT4_FREE_BLOCKS_METADATA) == 0
                && (fb.mode() & S_IFMT) == S_IFREG;
    }

    /**
     * A close(2) known from outside the trace (e.g. a syscall log): the inode last written through
     * {@code fd} is no longer open for write, which ext4_mb_group_or_file checks
     * (inode_is_open_for_write). The trace's enabled events cannot show a close that leaves
     * delalloc blocks reserved.
     */
    public void fdClosed(long fd) {
        facts.fdClosed(fd);
    }

    /**
     * A synchronous write that changed metadata returns only after generic_write_sync →
     * ext4_sync_file → jbd2_complete_transaction committed the running transaction: a commit
     * point visible in the trace itself (RWF_DSYNC/RWF_SYNC in pwritev2 flags, IOCB_DSYNC/SYNC in
     * iomap_dio_rw_begin).
     */
    private void trackSyncWrites(TraceEvent ev, int pid, int kind) {
        // writeback run by a user task (not a flusher kworker) is fsync/fdatasync/syncfs/sync: the
        // syscall returns only after the journal commit, i.e. before the task's next syscall
        if (kind == EventKind.DA_WRITE_PAGES_EXTENT) {
            String comm = ev.header().comm();
            if (comm != null && !comm.startsWith("kworker")) {
                userWriteback.put(pid, 1);
            }
        } else if (!userWriteback.isEmpty() && endsSyncCall(kind) && userWriteback.remove(pid)) {
            model.commitUpTo(ev.timestampNs());
        }
        switch (kind) {
            case EventKind.PWRITEV2_ENTER -> syncWrites.put(pid,
                    new boolean[] {(((TraceEvent.Pwritev2Enter) ev).flags() & RWF_DSYNC_OR_SYNC) != 0, false});
            case EventKind.PWRITE_ENTER -> syncWrites.put(pid, new boolean[] {false, false});
            case EventKind.DIO_BEGIN -> {
                boolean[] s = syncWrites.get(pid);
                if (s != null && (((TraceEvent.DioBegin) ev).kiFlags() & RWF_DSYNC_OR_SYNC) != 0) {
                    s[0] = true;
                }
            }
            case EventKind.REQUEST_BLOCKS, EventKind.HANDLE_UNWRITTEN_EXTENTS, EventKind.CONVERT_TO_INITIALIZED -> {
                boolean[] s = syncWrites.get(pid);
                if (s != null) {
                    s[1] = true;
                }
            }
            case EventKind.SYSCALL_EXIT -> {
                TraceEvent.SyscallExit x = (TraceEvent.SyscallExit) ev;
                if (x.syscall().startsWith("pwrite")) {
                    boolean[] s = syncWrites.remove(pid);
                    if (s != null && s[0] && s[1] && x.ret() >= 0) {
                        model.commitUpTo(ev.timestampNs());
                    }
                }
            }
            default -> {
            }
        }
    }

    /**
     * The task's next syscall shows that its fsync/syncfs returned. When the trace has no syscall
     * events, the first event of that task that a writeback does not emit stands in for it.
     */
    private boolean endsSyncCall(int kind) {
        boolean syscall = kind == EventKind.PWRITE_ENTER || kind == EventKind.PWRITEV2_ENTER
                || kind == EventKind.FALLOCATE_SYSCALL_ENTER || kind == EventKind.SYSCALL_EXIT;
        if (syscall) {
            sawSyscalls = true;
            return kind != EventKind.SYSCALL_EXIT;
        }
        return !sawSyscalls && !partOfWriteback(kind);
    }

    /** Events a writeback (ext4_writepages → mballoc → extent conversion) emits from the syncing task. */
    private static boolean partOfWriteback(int kind) {
        switch (kind) {
            case EventKind.MAP_BLOCKS_ENTER, EventKind.MAP_BLOCKS_EXIT, EventKind.REQUEST_BLOCKS,
                    EventKind.ALLOCATE_BLOCKS, EventKind.MBALLOC_ALLOC, EventKind.MBALLOC_PREALLOC,
                    EventKind.MB_NEW_PA, EventKind.MBALLOC_DISCARD, EventKind.MB_RELEASE_GROUP_PA,
                    EventKind.HANDLE_UNWRITTEN_EXTENTS, EventKind.CONVERT_TO_INITIALIZED, EventKind.GENERIC,
                    EventKind.IOMAP_ITER, EventKind.IOMAP_MAP, EventKind.SYSCALL_EXIT, EventKind.MARKER:
                return true;
            default:
                return false;
        }
    }

    private void advanceCommits(TraceEvent ev) {
        if (sawJbd2 || opts.commitDelayNs() <= 0 || model.pendingCount() == 0) {
            return;
        }
        model.commitUpTo(ev.timestampNs() - opts.commitDelayNs());
    }

    /**
     * A group/start/len from an event checked against the fs: null (and counted) when it lies
     * outside, else {group, start, len clipped to the group}.
     */
    private int[] range(long group, long start, long len) {
        if (group < 0 || group >= geo.groupCount() || start < 0 || len <= 0) {
            ignored++;
            return null;
        }
        int size = geo.clustersInGroup((int) group);
        if (start >= size) {
            ignored++;
            return null;
        }
        return new int[] {(int) group, (int) start, (int) Math.min(len, size - start)};
    }

    private int[] rangeQuiet(long group, long start, long len) {
        int before = ignored;
        int[] r = range(group, start, len);
        ignored = before;
        return r;
    }

    /** Events whose numbers lie outside the file system (ignored, never applied). */
    public int ignoredEvents() {
        return ignored;
    }

    private void touch(int group, int start, int len) {
        if (group < 0 || group >= touched.length || len <= 0 || start < 0) {
            return;
        }
        if (touched[group] == null) {
            touched[group] = new BitSet();
        }
        touched[group].set(Math.max(0, start), start + len);
    }

    /**
     * Clusters went back to the buddy at once (PA discard, or a free without journal deferral). Inside
     * a traced call it is that call's doing; otherwise (a truncate's ext4_discard_preallocations...)
     * every call in flight on another CPU may have seen it or not.
     */
    private void buddyChanged(int pid, int cpu, String what) {
        Call own = calls.get(pid);
        if (own != null) {
            own.changedBuddy = what;
            return;
        }
        for (Call c : calls.values()) {
            if (c.req.cpu() != cpu) {
                c.foreignChange = what;
            }
        }
    }

    /**
     * The concurrent allocation, if any, that can have changed what this call saw: a call on another
     * CPU whose ext4_request_blocks..ext4_allocate_blocks window overlapped this one and that took
     * clusters from the buddy (a regular allocation, or PA discards in its window) — or whose outcome
     * was not traced yet when this one ended. PA hits and failed calls leave the buddy alone. Null if
     * none: the divergence then has another cause.
     */
    private String concurrentPeer(Call c) {
        for (Call p : c.peers) {
            if (!p.finished) {
                return "ino " + p.req.ino() + " on cpu " + p.req.cpu() + " still allocating";
            }
            if (p.changedBuddy != null) {
                return "ino " + p.req.ino() + " on cpu " + p.req.cpu() + ": " + p.changedBuddy;
            }
        }
        return c.foreignChange;
    }

    private void onRequest(TraceEvent.RequestBlocks r) {
        AllocRequest ar = new AllocRequest(r.ino(), r.flags(), r.len(), r.logical(), r.goal(), r.lleft(), r.lright(),
                r.pleft(), r.pright(), r.cpu(), facts.isizeBytes(r.ino()), facts.openForWrite(r.ino()),
                !indirectInodes.containsKey(r.ino()));
        Prediction p = model.predict(ar);
        Call nc = new Call(r, ar, p);
        for (Call other : calls.values()) {
            // the later of two overlapping windows starts while the earlier is in flight
            if (other.req.cpu() != r.cpu()) {
                other.addPeer(nc);
                nc.addPeer(other);
            }
        }
        Call stale = calls.put(r.header().pid(), nc);
        if (stale != null) {
            stale.finished = true; // returned without ext4_allocate_blocks (claim failure): nothing marked
        }
    }

    // ================================================================== comparison

    private void finishCall(Call c, TraceEvent.AllocateBlocks a) {
        allocations++;
        c.finished = true;
        if (c.alloc != null && c.alloc.result().len() > 0) {
            c.changedBuddy = "alloc " + c.alloc.result();
        } else if (c.alloc == null && c.pre == null && a.len() > 0) {
            c.changedBuddy = "alloc " + a.block() + "+" + a.len();
        }
        Prediction p = c.pred;
        List<Field> compared = new ArrayList<>(8);
        List<Field> differ = new ArrayList<>(4);
        Map<Field, String[]> values = new EnumMap<>(Field.class);
        boolean kernelPre = c.pre != null;
        // values compare as their printed forms; those are built only when the numbers differ
        String kernelPath = kernelPre ? "prealloc" : (c.alloc != null ? "alloc" : "none");
        String modelPath = p.preallocated() ? "prealloc" : "alloc";
        cmp(compared, differ, values, Field.PATH, kernelPath.equals(modelPath), kernelPath, modelPath);
        if (kernelPre && p.preallocated()) {
            cmp(compared, differ, values, Field.PA, c.pre.result(), p.result());
        } else if (c.alloc != null && !p.preallocated()) {
            int kf = c.alloc.flags() & MbFlags.DECIDED;
            int mf = p.flags() & MbFlags.DECIDED;
            if (kf == mf) {
                cmp(compared, differ, values, Field.FLAGS, true, null, null);
            } else {
                cmp(compared, differ, values, Field.FLAGS, MbFlags.describe(kf), MbFlags.describe(mf));
            }
            cmp(compared, differ, values, Field.GOAL, c.alloc.goal(), p.goal());
            int kc = c.alloc.cr();
            int mc = gen.traceCriterion(p.criterion());
            if (kc == mc) {
                cmp(compared, differ, values, Field.CRITERION, true, null, null);
            } else {
                cmp(compared, differ, values, Field.CRITERION, gen.tracedCriterionName(kc),
                        gen.tracedCriterionName(mc));
            }
            cmp(compared, differ, values, Field.RESULT, c.alloc.result(), p.result());
        }
        if (a.block() == p.block()) {
            cmp(compared, differ, values, Field.BLOCK, true, null, null);
        } else {
            cmp(compared, differ, values, Field.BLOCK, Long.toString(a.block()), Long.toString(p.block()));
        }
        if (a.len() == p.len()) {
            cmp(compared, differ, values, Field.LEN, true, null, null);
        } else {
            cmp(compared, differ, values, Field.LEN, Long.toString(a.len()), Long.toString(p.len()));
        }

        List<Divergence> divs = List.of();
        if (!differ.isEmpty()) {
            String[] cause = classify(c, a, differ);
            DivergenceClass cls = DivergenceClass.valueOf(cause[0]);
            byClass.merge(cls, 1, Integer::sum);
            if (cls == DivergenceClass.UNEXPLAINED) {
                unexplained++;
            }
            divs = new ArrayList<>(differ.size());
            for (Field f : differ) {
                String[] v = values.get(f);
                divs.add(new Divergence(a.timestampNs(), a.ino(), f, v[0], v[1], cls, cause[1]));
            }
        } else {
            exact++;
        }
        AllocationVerdict v = new AllocationVerdict(c.req, c.alloc, c.pre, a, p, compared, divs);
        if (opts.keepVerdicts()) {
            verdicts.add(v);
        }
        for (ReplayListener l : listeners) {
            l.onAllocation(v);
        }
        applyKernel(c, a);
    }

    private void cmp(List<Field> compared, List<Field> differ, Map<Field, String[]> values, Field f, String kernel,
                     String model) {
        cmp(compared, differ, values, f, kernel.equals(model), kernel, model);
    }

    /** MbExtent is a record of four longs: equal values print equally and vice versa. */
    private void cmp(List<Field> compared, List<Field> differ, Map<Field, String[]> values, Field f,
                     TraceEvent.MbExtent kernel, TraceEvent.MbExtent model) {
        if (kernel.equals(model)) {
            cmp(compared, differ, values, f, true, null, null);
        } else {
            cmp(compared, differ, values, f, kernel.toString(), model.toString());
        }
    }

    private void cmp(List<Field> compared, List<Field> differ, Map<Field, String[]> values, Field f, boolean same,
                     String kernel, String model) {
        compared.add(f);
        fieldCompared[f.ordinal()]++;
        if (same) {
            fieldMatched[f.ordinal()]++;
        } else {
            differ.add(f);
            values.put(f, new String[] {kernel, model});
        }
    }

    private static EnumMap<Field, Integer> counts(int[] perField) {
        EnumMap<Field, Integer> m = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            if (perField[f.ordinal()] > 0) {
                m.put(f, perField[f.ordinal()]);
            }
        }
        return m;
    }

    /** Root cause of a divergent verdict: {class name, rule}. */
    private String[] classify(Call c, TraceEvent.AllocateBlocks a, List<Field> differ) {
        Prediction p = c.pred;
        int flags = c.req.flags();
        if (c.alloc == null && c.pre == null && a.len() > 0) {
            return r(DivergenceClass.UNMODELLED_FEATURE,
                    "allocation without ext4_mballoc_alloc/prealloc (fast-commit replay or simple allocator)");
        }
        if ((flags & MbFlags.HINT_GOAL_ONLY) != 0) {
            return r(DivergenceClass.UNMODELLED_FEATURE, "HINT_GOAL_ONLY request");
        }
        if (indirectInodes.containsKey(c.req.ino())) {
            return r(DivergenceClass.UNMODELLED_FEATURE, "non-extent (indirect-mapped) inode");
        }
        if (differ.contains(Field.PATH)) {
            // a locality-group PA is only looked at with HINT_GROUP_ALLOC: if the two sides disagree on
            // that, ext4_mb_group_or_file (i_size / open state) is the root cause, not the PA choice
            boolean modelGroup = (p.flags() & MbFlags.HINT_GROUP_ALLOC) != 0;
            boolean kernelGroup = c.alloc != null ? (c.alloc.flags() & MbFlags.HINT_GROUP_ALLOC) != 0
                    : c.pre != null && model.findGroupPa(c.req.cpu(), a.block()) != null;
            if ((c.alloc != null || c.pre != null) && modelGroup != kernelGroup
                    && (c.req.flags() & MbFlags.HINT_DATA) != 0) {
                return r(DivergenceClass.NORMALIZATION_SIZE, "ext4_mb_group_or_file decided "
                        + (kernelGroup ? "" : "not ") + "to use the locality group, the model the opposite (i_size "
                        + "inferred " + facts.isizeBytes(c.req.ino()) + " B)");
            }
            return r(DivergenceClass.PA_CHOICE, c.pre != null
                    ? "kernel satisfied the request from a PA the model " + (p.preallocated() ? "did not choose"
                            : "does not hold or rejected")
                    : "model used a PA (" + p.paType() + " @" + p.paPstart() + ") the kernel did not use");
        }
        if (differ.contains(Field.PA)) {
            return r(DivergenceClass.PA_CHOICE, "both used a PA, different ones");
        }
        if (c.alloc != null) {
            int kd = c.alloc.flags() & MbFlags.DECIDED;
            int md = p.flags() & MbFlags.DECIDED;
            int sizeBits = MbFlags.HINT_NOPREALLOC | MbFlags.HINT_GROUP_ALLOC | MbFlags.STREAM_ALLOC;
            if ((kd & sizeBits) != (md & sizeBits)) {
                if (onlyOpenStateDiffers(c, kd, md)) {
                    return r(DivergenceClass.OPEN_STATE_NOT_TRACED, "ext4_mb_group_or_file: request ends at i_size ("
                            + c.ar.isizeBytes() + " B) and the kernel found the file "
                            + ((kd & MbFlags.HINT_NOPREALLOC) != 0 ? "closed (HINT_NOPREALLOC); the trace shows its "
                                    + "writes but no close" : "open or the fs busy (STREAM_ALLOC); the trace showed "
                                    + "its writer gone"));
                }
                return r(DivergenceClass.NORMALIZATION_SIZE,
                        "ext4_mb_group_or_file decided differently (i_size " + c.pred.orig() + " inferred "
                                + facts.isizeBytes(c.req.ino()) + " B, open-for-write "
                                + facts.openForWrite(c.req.ino()) + ")");
            }
            if (c.alloc.goal().len() != p.goal().len()) {
                if (gen.internalCriterion(c.alloc.cr()) == KernelGeneration.CR_BEST_AVAIL_LEN
                        || p.criterion() == KernelGeneration.CR_BEST_AVAIL_LEN) {
                    return r(DivergenceClass.CRITERION, "goal length trimmed by CR_BEST_AVAIL_LEN on one side");
                }
                return r(DivergenceClass.NORMALIZATION_SIZE, "normalised goal length differs (i_size inferred "
                        + facts.isizeBytes(c.req.ino()) + " B)");
            }
            if (c.alloc.goal().logical() != p.goal().logical()) {
                return r(DivergenceClass.NORMALIZATION_START, "normalised logical start differs");
            }
            if ((kd & MbFlags.HINT_TRY_GOAL) != (md & MbFlags.HINT_TRY_GOAL)) {
                return r(DivergenceClass.NORMALIZATION_START, "merge-goal (HINT_TRY_GOAL) decision differs");
            }
            if (c.alloc.goal().group() != p.goal().group() || c.alloc.goal().start() != p.goal().start()) {
                // the stream goal (s_mb_last_group / s_mb_last_groups[]) is written by every STREAM_ALLOC
                // ext4_mb_use_best_found: a concurrent stream allocation can move it under this request
                String peer = (kd & MbFlags.STREAM_ALLOC) != 0 ? concurrentStreamPeer(c) : null;
                if (peer != null) {
                    return r(DivergenceClass.CONCURRENT_ALLOCATOR, "stream goal moved by a concurrent STREAM_ALLOC "
                            + "allocation (" + peer + ")");
                }
                return r(DivergenceClass.GOAL, "physical goal differs (stream goal or merge target)");
            }
        }
        String peer = concurrentPeer(c);
        if (peer != null) {
            return r(DivergenceClass.CONCURRENT_ALLOCATOR,
                    "an allocation on another CPU overlapped this request in time (" + peer + ")");
        }
        // where did the kernel's blocks come from?
        int[] kr = null;
        if (c.alloc != null && c.alloc.result().len() > 0) {
            kr = rangeQuiet(c.alloc.result().group(), c.alloc.result().start(), c.alloc.result().len());
        } else if (a.len() > 0 && a.block() >= geo.firstDataBlock() && a.block() < geo.blocksCount()) {
            kr = rangeQuiet(geo.groupOf(a.block()), geo.offsetOf(a.block()), a.len());
        }
        int kg = kr == null ? -1 : kr[0];
        int ks = kr == null ? 0 : kr[1];
        int kl = kr == null ? 0 : kr[2];
        if (kg >= 0 && kg < model.groupCount()) {
            if (model.pendingOverlaps(kg, ks, kl)) {
                return r(DivergenceClass.FREED_NOT_COMMITTED, "kernel reused clusters the model holds as freed "
                        + "but not yet committed (commit delay assumption " + opts.commitDelayNs() / 1_000_000 + " ms)");
            }
            if (initiallyUsedUntouched(kg, ks, kl)) {
                return r(DivergenceClass.UNKNOWN_INITIAL_STATE,
                        "kernel allocated clusters the initial image shows in use and the trace never freed");
            }
            if (model.needsInit(kg) && c.alloc != null && c.alloc.cr() < 2) {
                return r(DivergenceClass.UNKNOWN_INITIAL_STATE, "kernel allocated at CR0/CR1 in group " + kg
                        + ", whose buddy the model holds as not generated since mount (which buddies 6.1's lazyinit "
                        + "and allocation-time bitmap prefetch generated is not in the trace)");
            }
        }
        if (!p.preallocated() && p.result().len() > 0) {
            int mg = (int) p.result().group();
            for (MballocModel.PendingFree f : assumedCommits) {
                if (f.group() == mg && f.start() < p.result().start() + p.result().len()
                        && p.result().start() < f.start() + f.len()) {
                    return r(DivergenceClass.FREED_NOT_COMMITTED, "model reused clusters freed at "
                            + f.freedAtNs() + " ns that it took as committed; the kernel still held them");
                }
            }
        }
        if (c.alloc != null && differ.contains(Field.CRITERION)) {
            return r(DivergenceClass.CRITERION, "found at a different criterion");
        }
        if (differ.contains(Field.RESULT) || differ.contains(Field.BLOCK)) {
            if (kg >= 0 && kg < model.groupCount() && !model.group(kg).isRangeFree(ks, Math.min(kl,
                    model.group(kg).size() - ks))) {
                return r(DivergenceClass.UNEXPLAINED, "kernel allocated clusters the model holds in use");
            }
            if (differ.contains(Field.RESULT)) {
                return r(DivergenceClass.SCAN_ORDER, "same request and criterion, different free extent chosen");
            }
            return r(DivergenceClass.NORMALIZATION_START, "same found extent, different PA window placement");
        }
        return r(DivergenceClass.UNEXPLAINED, "no rule matched " + differ);
    }

    /**
     * ext4_mb_group_or_file: with size == i_size, only inode_is_open_for_write() (and the
     * untraceable ext4_fs_is_busy()) chooses between STREAM_ALLOC and HINT_NOPREALLOC. True when the
     * two sides made exactly that choice differently from the same size and i_size.
     */
    private boolean onlyOpenStateDiffers(Call c, int kd, int md) {
        int either = MbFlags.STREAM_ALLOC | MbFlags.HINT_NOPREALLOC;
        if ((c.req.flags() & MbFlags.HINT_DATA) == 0 || (c.req.flags() & MbFlags.HINT_NOPREALLOC) != 0
                || (kd & MbFlags.HINT_GROUP_ALLOC) != 0 || (md & MbFlags.HINT_GROUP_ALLOC) != 0
                || Integer.bitCount(kd & either) != 1 || Integer.bitCount(md & either) != 1) {
            return false;
        }
        long end = geo.lblkCmask(c.req.logical()) + geo.c2b(Math.min(c.req.len(), geo.clustersPerGroup()));
        long isize = c.ar.isizeBytes();
        long isizeBlocks = isize < 0 ? end : (isize + geo.blockSize() - 1) >> geo.blockBits();
        return end == isizeBlocks;
    }

    private static String concurrentStreamPeer(Call c) {
        for (Call p : c.peers) {
            if (!p.finished || (p.alloc != null && (p.alloc.flags() & MbFlags.STREAM_ALLOC) != 0)) {
                return "ino " + p.req.ino() + " on cpu " + p.req.cpu();
            }
        }
        return null;
    }

    private boolean initiallyUsedUntouched(int g, int s, int l) {
        long[] b = initial[g];
        for (int i = s; i < s + l; i++) {
            boolean used = (i >>> 6) < b.length && (b[i >>> 6] & (1L << (i & 63))) != 0;
            if (used && (touched[g] == null || !touched[g].get(i))) {
                return true;
            }
        }
        return false;
    }

    private static String[] r(DivergenceClass c, String rule) {
        return new String[] {c.name(), rule};
    }

    // ================================================================== applying the kernel

    private void applyKernel(Call c, TraceEvent.AllocateBlocks a) {
        long ino = c.req.ino();
        // a trimmed goal (6.5+ CR_BEST_AVAIL_LEN) says nothing of the request's own size; 6.1's
        // pass 2 is the untrimmed slow goal-length pass and is learnt from like the others
        if (c.alloc != null && gen.internalCriterion(c.alloc.cr()) != KernelGeneration.CR_BEST_AVAIL_LEN) {
            long end = geo.lblkCmask(c.req.logical()) + geo.c2b(Math.min(c.req.len(), geo.clustersPerGroup()));
            facts.learn(ino, c.req.flags(), c.alloc.flags(), end, c.alloc.goal().logical(),
                    geo.c2b(c.alloc.goal().len()), c.req.pleft() != 0 || c.req.pright() != 0
                            || !model.inodePas(ino).isEmpty(),
                    (c.pred.flags() & MbFlags.HINT_NOPREALLOC) != 0, model.tunables().streamReq());
        }
        int cpu = c.req.cpu();
        int pid = c.req.header().pid();
        int[] res = c.alloc == null || c.alloc.result().len() <= 0 ? null
                : range(c.alloc.result().group(), c.alloc.result().start(), c.alloc.result().len());
        if (res != null && c.alloc.cr() >= 2 && gen.criteria() == 4) {
            loadedByLinearPass(c.alloc, res[0]);
        }
        if (res != null) {
            int g = res[0];
            int s = res[1];
            int l = res[2];
            inferredCommits += model.inferCommit(g, s, l);
            model.applyUsed(g, s, l);
            touch(g, s, l);
            if ((c.alloc.flags() & MbFlags.STREAM_ALLOC) != 0) {
                model.applyStreamGoal(ino, g, s);
            }
            c.changedBuddy = "alloc " + c.alloc.result();
        }
        for (TraceEvent.MbNewPa np : c.newPas) {
            if (np.group()) {
                Prealloc pa = model.applyNewPa(Prealloc.Type.GROUP, ino, cpu, np.pstart(), np.lstart(), (int) np.len());
                model.applyUseGroupPa(pa, a.len());
            } else {
                model.applyNewPa(Prealloc.Type.INODE, ino, cpu, np.pstart(), np.lstart(), (int) np.len());
                model.applyUseInodePa(ino, a.block(), a.len());
            }
        }
        if (c.pre != null && a.len() > 0) {
            if (!model.applyUseInodePa(ino, a.block(), a.len())) {
                Prealloc gpa = model.findGroupPa(cpu, a.block());
                model.applyUseGroupPa(gpa, a.len());
            }
        }
        if (c.alloc == null && c.pre == null && a.len() > 0 && a.block() >= geo.firstDataBlock()
                && a.block() < geo.blocksCount()) {
            int[] x = range(geo.groupOf(a.block()), geo.offsetOf(a.block()), a.len());
            if (x != null) {
                inferredCommits += model.inferCommit(x[0], x[1], x[2]);
                touch(x[0], x[1], x[2]);
            }
            model.applyUsedBlocks(a.block(), Math.min(a.len(), geo.clustersPerGroup()));
            c.changedBuddy = "alloc " + a.block() + "+" + a.len();
        }
    }

    /**
     * 6.1 (buddies the mount prefetch left cold, see MballocModel#mountState): a CR2/CR3 pass is
     * linear from the goal group and ext4_mb_good_group_nolock generates the buddy of every group
     * it tests (free &gt;= goal length at CR2, any free cluster at CR3) up to the one it allocated in.
     */
    private void loadedByLinearPass(TraceEvent.MballocAlloc a, int resultGroup) {
        int n = model.groupCount();
        int g = a.goal().group() >= 0 && a.goal().group() < n ? (int) a.goal().group() : 0;
        for (int i = 0; i < n && g != resultGroup; i++) {
            int free = model.group(g).free();
            if (a.cr() >= 3 ? free > 0 : free >= a.goal().len()) {
                model.applyLoaded(g);
            }
            g = g + 1 >= n ? 0 : g + 1;
        }
    }

    // ================================================================== layout

    private void mapLayout(long ino, long lblk, long pblk, long len) {
        unmapLayout(ino, lblk, len);
        NavigableMap<Long, long[]> m = layout.get(ino);
        if (m == null) {
            m = new TreeMap<>();
            layout.put(ino, m);
        }
        // merge with a physically contiguous left neighbour
        Map.Entry<Long, long[]> left = m.lowerEntry(lblk);
        if (left != null && left.getKey() + left.getValue()[1] == lblk && left.getValue()[0] + left.getValue()[1] == pblk) {
            left.getValue()[1] += len;
        } else {
            m.put(lblk, new long[] {pblk, len});
        }
        Map.Entry<Long, long[]> cur = m.floorEntry(lblk);
        Map.Entry<Long, long[]> right = m.higherEntry(lblk);
        if (cur != null && right != null && cur.getKey() + cur.getValue()[1] == right.getKey()
                && cur.getValue()[0] + cur.getValue()[1] == right.getValue()[0]) {
            cur.getValue()[1] += right.getValue()[1];
            m.remove(right.getKey());
        }
    }

    private void unmapLayout(long ino, long lblk, long len) {
        NavigableMap<Long, long[]> m = layout.get(ino);
        if (m == null || len <= 0) {
            return;
        }
        long end = lblk + len;
        Map.Entry<Long, long[]> e = m.lowerEntry(lblk);
        if (e != null && e.getKey() + e.getValue()[1] > lblk) {
            long eEnd = e.getKey() + e.getValue()[1];
            long[] v = e.getValue();
            v[1] = lblk - e.getKey();
            if (eEnd > end) {
                m.put(end, new long[] {v[0] + (end - e.getKey()), eEnd - end});
            }
        }
        for (Map.Entry<Long, long[]> x = m.ceilingEntry(lblk); x != null && x.getKey() < end;
                x = m.ceilingEntry(lblk)) {
            long xEnd = x.getKey() + x.getValue()[1];
            m.remove(x.getKey());
            if (xEnd > end) {
                m.put(end, new long[] {x.getValue()[0] + (end - x.getKey()), xEnd - end});
                break;
            }
        }
    }

    /** Ends the replay. Calls still in flight (no ext4_allocate_blocks) are not counted. */
    public ReplayResult finish() {
        double secs = firstAcceptNs < 0 ? 0 : (System.nanoTime() - firstAcceptNs) / 1e9;
        Map<Long, NavigableMap<Long, long[]>> lay = new HashMap<>();
        layout.forEach((ino, m) -> {
            if (!m.isEmpty()) {
                lay.put(ino, Collections.unmodifiableNavigableMap(m));
            }
        });
        return new ReplayResult(allocations, exact, counts(fieldCompared), counts(fieldMatched),
                new EnumMap<>(byClass), unexplained, Collections.unmodifiableList(verdicts), lay,
                secs > 0 ? allocations / secs : 0);
    }

    /** Inodes whose layout is not tracked (collapse/insert range moved their extents). */
    public Set<Long> untrackedLayout() {
        return Collections.unmodifiableSet(shifted.keySet());
    }

    /** Model-side view for tests: a group's buddy. */
    BuddyGroup group(int g) {
        return model.group(g);
    }
}
