package io.mbscope.replay.atomic;

import io.mbscope.parsers.event.TraceEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Follows every pwritev2(RWF_ATOMIC) of a trace: predicts the mainline verdict for the trace's
 * kernel, compares it with the real return value, reconstructs where successful writes went, and
 * (RFC policies) asks what the 2023 aligned allocator would have done. Feed events in time order
 * with {@link #accept}, then call {@link #finish}.
 *
 * <p>Events are tied to a write by the task (common_pid) between sys_enter_pwritev2 and
 * sys_exit_pwritev2: the workload's direct I/O maps and allocates in its own context. syscalls.csv
 * rows are matched by time (the enter timestamp lies inside the row's [t_start, t_end]) and give the
 * length, the file and the O_DIRECT flag of the open, which the trace does not carry.
 */
public final class AtomicAnalyzer {

    private static final int IOMAP_F_NEW = 0x1;
    private static final int MFLAG_NEW = 0x20;
    /** Text traces print microseconds: allow the truncation when matching csv times. */
    private static final long TIME_SLACK_NS = 2_000;

    private static final class Pending {
        long ts;
        int cpu;
        long fd;
        long pos;
        long vlen;
        int rwf;
        SyscallRow row;
        long ino = -1;
        long count = -1;
        boolean dio;
        final List<TraceEvent.IomapMap> maps = new ArrayList<>();
        boolean prealloc;
        boolean mballoc;
        boolean implied;
        long firstPblk = -1;
        boolean invalidateFail;
        RfcOutcome rfc;
    }

    /** A successful write whose final placement is still checkable against fiemap.csv. */
    private record Live(int rowIndex, long ino, long lblk, long blocks) {
    }

    /** A plain write in flight (all-DIO mode): evaluated as atomic at its iomap_dio_rw_begin. */
    private static final class PlainWrite {
        final long ts;
        final int cpu;
        DioWhatIf row;

        PlainWrite(long ts, int cpu) {
            this.ts = ts;
            this.cpu = cpu;
        }
    }

    private final AtomicContext ctx;
    private final RfcReplay whatIf;
    private final Map<Integer, PlainWrite> plain = new HashMap<>();
    private final List<DioWhatIf> dioRows = new ArrayList<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<AtomicRow> rows = new ArrayList<>();
    private final List<SyscallRow> atomicRows = new ArrayList<>();
    private final boolean[] rowUsed;
    private final Map<String, Long> fileIno = new HashMap<>();
    private final List<Live> live = new ArrayList<>();
    private final List<Boolean> stale = new ArrayList<>();
    private int nextRow;
    private AtomicSummary summary;

    public AtomicAnalyzer(AtomicContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        for (SyscallRow r : ctx.syscalls()) {
            if (r.isAtomicWrite()) {
                atomicRows.add(r);
            }
        }
        rowUsed = new boolean[atomicRows.size()];
        for (StatxRecord s : ctx.statx()) {
            if (s.ino() > 0) {
                fileIno.putIfAbsent(s.file(), s.ino());
            }
        }
        for (FiemapExtent f : ctx.fiemap()) {
            fileIno.putIfAbsent(f.file(), f.ino());
        }
        boolean rfc = ctx.policy() != Policy.MAINLINE && ctx.engine() != null;
        // the engine's commit delay is not 0: frees of what-if data wait for their commit like real ones
        whatIf = rfc ? new RfcReplay(ctx.engine().get(), ctx.fs(),
                new RfcReplay.Options(ctx.policy() == Policy.RFC_FALLBACK, ctx.dataJournalRefuses()),
                AtomicContext.WHAT_IF_REPLAY.commitDelayNs() != 0) : null;
    }

    public void accept(TraceEvent e) {
        if (summary != null) {
            throw new IllegalStateException("accept after finish");
        }
        int pid = e.header().pid();
        Pending p = pending.get(pid);
        if (e instanceof TraceEvent.Pwritev2Enter w) {
            if (p != null) {
                close(p, null);
                pending.remove(pid);
            }
            plain.remove(pid);
            if ((w.flags() & AtomicWrite.RWF_ATOMIC) == 0) {
                notePlain(pid, e);
            } else {
                Pending n = new Pending();
                n.ts = w.timestampNs();
                n.cpu = w.header().cpu();
                n.fd = w.fd();
                n.pos = w.pos();
                n.vlen = w.vlen();
                n.rwf = w.flags();
                n.row = matchRow(n.ts);
                if (n.row != null) {
                    Long ino = fileIno.get(n.row.file());
                    if (ino != null) {
                        n.ino = ino;
                    }
                    whatIfNow(n, n.row.length());
                }
                pending.put(pid, n);
            }
        } else if (e instanceof TraceEvent.PwriteEnter) {
            plain.remove(pid);
            notePlain(pid, e);
        } else if (p != null) {
            track(p, e);
            if (e instanceof TraceEvent.SyscallExit x && x.syscall().equals("pwritev2")) {
                close(p, x.ret());
                pending.remove(pid);
            }
        }
        if (p == null && !plain.isEmpty()) {
            trackPlain(pid, e);
        }
        trackStale(e);
        if (whatIf != null) {
            whatIf.accept(e);
        }
    }

    private void notePlain(int pid, TraceEvent e) {
        if (whatIf != null && ctx.allDio()) {
            plain.put(pid, new PlainWrite(e.timestampNs(), e.header().cpu()));
        }
    }

    /** All-DIO mode: a plain direct write, asked as if it had RWF_ATOMIC (one segment, its DIO length). */
    private void trackPlain(int pid, TraceEvent e) {
        PlainWrite w = plain.get(pid);
        if (w == null) {
            return;
        }
        if (e instanceof TraceEvent.DioBegin d && w.row == null) {
            AtomicWrite aw = new AtomicWrite(d.pos(), d.count(), 1, AtomicWrite.RWF_ATOMIC, true, ctx.fs().extents());
            // the kernel performed the write (as a plain one): the what-if reports, the real blocks stay
            RfcOutcome o = whatIf.evaluate(d.ino(), aw, ctx.device(), w.cpu, false);
            w.row = new DioWhatIf(w.ts, d.ino(), d.pos(), d.count(), null, o);
        } else if (e instanceof TraceEvent.SyscallExit x && x.syscall().startsWith("pwrite")) {
            plain.remove(pid);
            if (w.row != null) {
                dioRows.add(new DioWhatIf(w.row.timeNs(), w.row.ino(), w.row.offset(), w.row.length(),
                        Errno.ofReturn(x.ret()), w.row.rfc()));
            }
        }
    }

    private void track(Pending p, TraceEvent e) {
        if (e instanceof TraceEvent.DioBegin d) {
            p.dio = true;
            p.ino = d.ino();
            p.count = d.count();
            if (p.rfc == null) {
                whatIfNow(p, p.row != null ? p.row.length() : d.count());
            }
        } else if (e instanceof TraceEvent.IomapMap m) {
            if (!m.src() && m.ino() == p.ino) {
                p.maps.add(m);
            }
        } else if (e instanceof TraceEvent.MapBlocksExit m) {
            long lblk = p.pos >> ctx.fs().blockBits();
            if ((p.ino < 0 || m.ino() == p.ino) && m.ret() > 0 && m.pblk() > 0 && lblk >= m.lblk()
                    && lblk < m.lblk() + m.ret()) {
                p.firstPblk = m.pblk() + (lblk - m.lblk());
                if ((m.mflags() & MFLAG_NEW) != 0) {
                    p.implied = true;
                }
            }
        } else if (e instanceof TraceEvent.MballocPrealloc) {
            p.prealloc = true;
        } else if (e instanceof TraceEvent.MballocAlloc) {
            p.mballoc = true;
        } else if (e instanceof TraceEvent.Generic g && g.name().equals("iomap_dio_invalidate_fail")) {
            p.invalidateFail = true;
        }
    }

    private void whatIfNow(Pending p, long length) {
        if (whatIf == null || p.ino < 0 || length < 0) {
            return;
        }
        AtomicWrite w = write(p, length);
        // Overlay only what the real kernel refused: writes it performed keep their real placement.
        Verdict mainline = MainlineRules.precheck(ctx.kernel(), ctx.fs(), ctx.device(), w);
        boolean realWillWrite = p.row != null ? p.row.result() == Errno.SUCCESS : mainline.success();
        p.rfc = whatIf.evaluate(p.ino, w, ctx.device(), p.cpu, !realWillWrite);
    }

    private AtomicWrite write(Pending p, long length) {
        return new AtomicWrite(p.pos, length, p.vlen, p.rwf, openedDirect(p), ctx.fs().extents());
    }

    /** O_DIRECT from the syscalls.csv open of the same file and fd before the write; else assumed. */
    private boolean openedDirect(Pending p) {
        SyscallRow open = p.row == null ? null : p.row.openOf(ctx.syscalls());
        return open == null || open.flagSet().contains("O_DIRECT");
    }

    private SyscallRow matchRow(long ts) {
        for (int i = nextRow; i < atomicRows.size(); i++) {
            SyscallRow r = atomicRows.get(i);
            if (!rowUsed[i] && ts >= r.tStartNs() - TIME_SLACK_NS && ts <= r.tEndNs() + TIME_SLACK_NS) {
                rowUsed[i] = true;
                if (i == nextRow) {
                    nextRow++;
                }
                return r;
            }
            if (r.tStartNs() - TIME_SLACK_NS > ts) {
                break;
            }
        }
        return null;
    }

    private void close(Pending p, Long ret) {
        long length = p.row != null ? p.row.length() : p.count;
        AtomicWrite w = write(p, length);
        Verdict predicted = MainlineRules.precheck(ctx.kernel(), ctx.fs(), ctx.device(), w);
        if (predicted.success() && p.invalidateFail) {
            predicted = Verdict.of(Errno.EAGAIN, Reason.INVALIDATE_FAILED);
        }
        Errno real = ret == null ? null : Errno.ofReturn(ret);
        Errno csv = p.row == null ? null : p.row.result();
        Errno actual = real != null ? real : csv;
        Placement placement = null;
        if (actual == Errno.SUCCESS && p.dio) {
            placement = placement(p, length);
        }
        long ino = p.ino;
        if (ino < 0 && p.row != null) {
            ino = fileIno.getOrDefault(p.row.file(), -1L);
        }
        StringBuilder note = new StringBuilder(p.row != null ? p.row.note() : "");
        if (p.row != null && p.row.niov() >= 0 && p.row.niov() != p.vlen) {
            note.append(note.length() > 0 ? "; " : "").append("csv niov ").append(p.row.niov()).append(" != trace vlen ")
                    .append(p.vlen);
        }
        if (p.rfc == null && whatIf != null && ino >= 0 && length >= 0) {
            p.ino = ino;
            whatIfNow(p, length);
        }
        if (p.rfc != null && p.invalidateFail && p.rfc.verdict().success()) {
            // iomap_dio_invalidate_fail fired: mainline 6.13+ returns -EAGAIN, older kernels fell back to
            // buffered I/O (-ENOTBLK inside ext4); RFC 1/7 made iomap return the invalidation error.
            p.rfc = new RfcOutcome(Verdict.of(Errno.EBUSY, Reason.RFC_NO_BUFFERED_FALLBACK), -1, p.rfc.goalBlock(),
                    p.rfc.normalizedBlocks(), 0, -1, p.rfc.criterion());
        }
        rows.add(new AtomicRow(p.ts, p.row != null ? p.row.seq() : -1, p.row != null ? p.row.file() : null, ino,
                p.pos, length, p.vlen, p.rwf, w.direct(), real, csv, predicted, placement, p.rfc, null,
                note.toString()));
        stale.add(Boolean.FALSE);
        if (placement != null && placement.physByte() >= 0 && ino >= 0 && length > 0) {
            int bb = ctx.fs().blockBits();
            live.add(new Live(rows.size() - 1, ino, p.pos >> bb, Math.max(1, length >> bb)));
        }
    }

    private Placement placement(Pending p, long length) {
        if (p.maps.isEmpty()) {
            return new Placement(-1, 0, false, false, "none", false, "none", null);
        }
        TraceEvent.IomapMap first = null;
        for (TraceEvent.IomapMap m : p.maps) {
            if (p.pos >= m.offset() && p.pos < m.offset() + m.length()) {
                first = m;
                break;
            }
        }
        if (first == null) {
            first = p.maps.get(0);
        }
        long phys = first.addr() + (p.pos - first.offset());
        long covered = first.offset() + first.length() - p.pos;
        long expectAddr = first.addr() + first.length();
        long expectOff = first.offset() + first.length();
        boolean contiguous = true;
        for (TraceEvent.IomapMap m : p.maps) {
            if (m == first || m.offset() < expectOff) {
                continue;
            }
            if (covered >= length) {
                break;
            }
            if (m.offset() != expectOff || m.addr() != expectAddr) {
                contiguous = false;
                break;
            }
            covered += m.length();
            expectOff += m.length();
            expectAddr += m.length();
        }
        contiguous &= covered >= length;
        boolean aligned = length > 0 && phys % length == 0;
        boolean allocated = (first.flags() & IOMAP_F_NEW) != 0;
        String source = !allocated ? "existing" : p.prealloc ? "prealloc" : p.mballoc ? "mballoc" : "cluster";
        Boolean agree = p.firstPblk < 0 ? null : p.firstPblk * ctx.fs().blockSize() == phys;
        return new Placement(phys, p.maps.size(), contiguous, aligned, iomapType(first.type()), allocated, source,
                agree);
    }

    static String iomapType(int type) {
        return switch (type) {
            case 0 -> "HOLE";
            case 1 -> "DELALLOC";
            case 2 -> "MAPPED";
            case 3 -> "UNWRITTEN";
            case 4 -> "INLINE";
            default -> "0x" + Integer.toHexString(type);
        };
    }

    /** A later removal or reallocation of a checked range makes fiemap.csv say nothing about the write. */
    private void trackStale(TraceEvent e) {
        if (live.isEmpty()) {
            return;
        }
        long ino;
        long from;
        long len;
        if (e instanceof TraceEvent.RemoveBlocks r) {
            ino = r.ino();
            from = r.from();
            len = r.to() - r.from() + 1;
        } else if (e instanceof TraceEvent.MapBlocksExit m && m.ret() > 0 && (m.mflags() & MFLAG_NEW) != 0) {
            ino = m.ino();
            from = m.lblk();
            len = m.ret();
        } else if (e instanceof TraceEvent.FreeInode f) {
            ino = f.ino();
            from = 0;
            len = Long.MAX_VALUE / 2;
        } else {
            return;
        }
        for (Live l : live) {
            if (l.ino() == ino && from < l.lblk() + l.blocks() && l.lblk() < from + len
                    && !isOwnAllocation(l, e)) {
                stale.set(l.rowIndex(), Boolean.TRUE);
            }
        }
    }

    /** The write's own map_blocks exit arrives after its row is closed only for async I/O; ignore same-time events. */
    private boolean isOwnAllocation(Live l, TraceEvent e) {
        return e.timestampNs() <= rows.get(l.rowIndex()).timeNs();
    }

    /** Closes writes still open, checks fiemap and returns the totals. Idempotent. */
    public AtomicSummary finish() {
        if (summary != null) {
            return summary;
        }
        for (Pending p : pending.values()) {
            close(p, null);
        }
        pending.clear();
        for (PlainWrite w : plain.values()) {
            if (w.row != null) {
                dioRows.add(w.row);
            }
        }
        plain.clear();
        dioRows.sort(java.util.Comparator.comparingLong(DioWhatIf::timeNs));
        fiemapCheck();
        summary = summarize();
        return summary;
    }

    private void fiemapCheck() {
        if (ctx.fiemap().isEmpty()) {
            return;
        }
        for (Live l : live) {
            if (stale.get(l.rowIndex())) {
                continue;
            }
            AtomicRow r = rows.get(l.rowIndex());
            Boolean agree = Boolean.FALSE;
            for (FiemapExtent f : ctx.fiemap()) {
                if (f.ino() == r.ino() && f.covers(r.offset())) {
                    agree = f.physical() + (r.offset() - f.logical()) == r.placement().physByte();
                    break;
                }
            }
            rows.set(l.rowIndex(), new AtomicRow(r.timeNs(), r.seq(), r.file(), r.ino(), r.offset(), r.length(),
                    r.segments(), r.rwFlags(), r.direct(), r.real(), r.csv(), r.predicted(), r.placement(), r.rfc(),
                    agree, r.note()));
        }
    }

    private AtomicSummary summarize() {
        int ok = 0;
        int failed = 0;
        int matches = 0;
        int csvAgree = 0;
        int csvCompared = 0;
        int placed = 0;
        int contiguous = 0;
        int aligned = 0;
        int fiemapChecked = 0;
        int fiemapAgree = 0;
        int rfcOk = 0;
        int rfcFailed = 0;
        int rfcBuffered = 0;
        int rfcEnospc = 0;
        SortedMap<Long, SortedMap<String, Integer>> bySize = new TreeMap<>();
        SortedMap<Long, SortedMap<String, Integer>> rfcBySize = new TreeMap<>();
        Map<Reason, Integer> byReason = new EnumMap<>(Reason.class);
        List<AtomicRow> divergences = new ArrayList<>();
        for (AtomicRow r : rows) {
            Errno a = r.actual();
            if (a == Errno.SUCCESS) {
                ok++;
            } else if (a != null) {
                failed++;
            }
            if (r.verdictMatches()) {
                matches++;
            } else {
                divergences.add(r);
            }
            if (r.real() != null && r.csv() != null) {
                csvCompared++;
                if (r.real() == r.csv()) {
                    csvAgree++;
                }
            }
            if (r.placement() != null && r.placement().physByte() >= 0) {
                placed++;
                contiguous += r.placement().contiguous() ? 1 : 0;
                aligned += r.placement().aligned() ? 1 : 0;
            }
            if (r.fiemapAgrees() != null) {
                fiemapChecked++;
                fiemapAgree += r.fiemapAgrees() ? 1 : 0;
            }
            bySize.computeIfAbsent(r.length(), k -> new TreeMap<>())
                    .merge(a == null ? "?" : a.label(), 1, Integer::sum);
            byReason.merge(r.predicted().reason(), 1, Integer::sum);
            if (r.rfc() != null) {
                Verdict v = r.rfc().verdict();
                // Buffered and data=journal writes "succeed" under the RFC without being atomic.
                boolean notAtomic = v.reason() == Reason.NOT_DIRECT || v.reason() == Reason.DATA_JOURNAL_BUFFERED;
                if (notAtomic) {
                    rfcBuffered++;
                } else if (v.success()) {
                    rfcOk++;
                } else {
                    rfcFailed++;
                    rfcEnospc += r.rfc().enospcForAlignment() ? 1 : 0;
                }
                rfcBySize.computeIfAbsent(r.length(), k -> new TreeMap<>())
                        .merge(notAtomic ? "BUFFERED" : v.errno().label(), 1, Integer::sum);
            }
        }
        List<StatxCheck> sc = statxChecks();
        int statxMatches = (int) sc.stream().filter(StatxCheck::matches).count();
        return new AtomicSummary(rows.size(), ok, failed, matches, csvAgree, csvCompared, placed, contiguous, aligned,
                fiemapChecked, fiemapAgree, sc.size(), statxMatches, rfcOk, rfcFailed, rfcBuffered, rfcEnospc,
                whatIf == null ? 0 : whatIf.collisions(), dioRows.size(),
                (int) dioRows.stream().filter(d -> d.rfc().verdict().success()).count(),
                (int) dioRows.stream().filter(d -> d.rfc().enospcForAlignment()).count(), bySize, rfcBySize, byReason,
                List.copyOf(divergences));
    }

    /** statx.txt against the mainline rule (and the RFC 7/7 rule) for the trace's kernel and layout. */
    public List<StatxCheck> statxChecks() {
        List<StatxCheck> out = new ArrayList<>();
        StatxPrediction mainline = MainlineRules.statx(ctx.kernel(), ctx.fs(), ctx.device(), ctx.fs().extents());
        StatxPrediction rfc = RfcRules.statx(ctx.fs(), ctx.device(), ctx.fs().extents());
        for (StatxRecord s : ctx.statx()) {
            out.add(new StatxCheck(s, s.observed(), mainline, rfc));
        }
        return out;
    }

    /** Rows so far (complete after {@link #finish}). */
    public List<AtomicRow> rows() {
        return List.copyOf(rows);
    }

    /** The what-if engine (null under the mainline policy), e.g. to compare its free space with dumpe2fs-after. */
    public RfcReplay whatIf() {
        return whatIf;
    }

    /** All-DIO mode: every plain direct write asked as if atomic (complete after {@link #finish}). */
    public List<DioWhatIf> dioRows() {
        return List.copyOf(dioRows);
    }
}
