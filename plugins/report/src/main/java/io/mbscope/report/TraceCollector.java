package io.mbscope.report;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.event.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gathers the report's tables from one trace's events, in trace order. Keeps one small record per
 * allocator event (not per trace event), so memory grows with the number of allocations only.
 */
public final class TraceCollector {
    /** Markers beyond this are counted but not kept: a marker-heavy trace must not fill the heap. */
    static final int MAX_MARKERS = 1000;
    /** RWF_ATOMIC in include/uapi/linux/fs.h (6.11+). */
    static final int RWF_ATOMIC = 0x40;

    private final String label;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<Allocation> allocations = new ArrayList<>();
    private final List<MballocRecord> mballoc = new ArrayList<>();
    private final List<SpaceChange> changes = new ArrayList<>();
    private final List<TraceData.Mark> markers = new ArrayList<>();
    /** The last ext4_mballoc_alloc/prealloc of each task, waiting for its ext4_allocate_blocks. */
    private final Map<Integer, MballocRecord> pending = new HashMap<>();
    private final Map<String, String> comms = new HashMap<>();
    /** Tasks inside pwritev2(RWF_ATOMIC), waiting for its sys_exit. */
    private final Map<Integer, Boolean> inAtomic = new HashMap<>();
    private final Map<String, Long> atomic = new TreeMap<>();
    private long events;
    private long firstNs;
    private long lastNs;

    public TraceCollector(String label) {
        this.label = Objects.requireNonNull(label, "label");
    }

    public void accept(TraceEvent e) {
        long t = e.timestampNs();
        if (events++ == 0) {
            firstNs = t;
        }
        lastNs = Math.max(lastNs, t);
        counts.merge(e.name(), 1L, Long::sum);
        if (e instanceof TraceEvent.MballocAlloc a) {
            MballocRecord r = new MballocRecord(mballoc.size(), t, a.cpu(), a.header().pid(), false, a.ino(),
                    a.orig(), a.goal(), a.result(), a.found(), a.groups(), a.buddy(), a.flags(), a.tail(), a.cr());
            mballoc.add(r);
            pending.put(taskKey(e), r);
            if (a.result().len() > 0) {
                changes.add(new SpaceChange(t, a.result().group(), a.result().start(), a.result().len(), true));
            }
        } else if (e instanceof TraceEvent.MballocPrealloc p) {
            MballocRecord r = new MballocRecord(mballoc.size(), t, p.cpu(), p.header().pid(), true, p.ino(),
                    p.orig(), null, p.result(), -1, -1, -1, 0, -1, -1);
            mballoc.add(r);
            pending.put(taskKey(e), r);
        } else if (e instanceof TraceEvent.AllocateBlocks a) {
            MballocRecord m = pending.remove(taskKey(e));
            if (m != null && m.ino() != a.ino()) {
                m = null;
            }
            allocations.add(new Allocation(allocations.size(), t, a.cpu(), a.header().pid(), comm(a.header().comm()),
                    a.ino(), a.logical(), a.len(), a.block(), a.goal(), a.flags(),
                    m == null ? Allocation.SOURCE_NONE : m.prealloc() ? Allocation.SOURCE_PREALLOC
                            : Allocation.SOURCE_ALLOC,
                    m == null ? -1 : m.result().group(), m == null ? -1 : m.cr(), m == null ? -1 : m.groups(),
                    m == null ? -1 : m.orig().len(), m == null || m.goal() == null ? -1 : m.goal().len(),
                    m == null ? -1 : m.result().len()));
        } else if (e instanceof TraceEvent.MballocFree f) {
            if (f.len() > 0) {
                changes.add(new SpaceChange(t, f.group(), f.start(), f.len(), false));
            }
        } else if (e instanceof TraceEvent.MballocDiscard d) {
            if (d.len() > 0) {
                changes.add(new SpaceChange(t, d.group(), d.start(), d.len(), false));
            }
        } else if (e instanceof TraceEvent.Pwritev2Enter w) {
            if ((w.flags() & RWF_ATOMIC) != 0) {
                inAtomic.put(taskKey(e), Boolean.TRUE);
            }
        } else if (e instanceof TraceEvent.SyscallExit x) {
            if ("pwritev2".equals(x.syscall()) && inAtomic.remove(taskKey(e)) != null) {
                atomic.merge(x.ret() >= 0 ? "ok" : Errno.name(-x.ret()), 1L, Long::sum);
            }
        } else if (e instanceof TraceEvent.Marker m) {
            if (markers.size() < MAX_MARKERS) {
                markers.add(new TraceData.Mark(t, m.text()));
            }
        }
    }

    /** The tables gathered so far; {@code info} and {@code stats} may be null for in-memory traces. */
    public TraceData finish(TraceInfo info, ReadStats stats) {
        return new TraceData(label, info, counts, events, stats == null ? 0 : stats.lostEvents(),
                stats == null ? Map.of() : stats.skipped(), firstNs, lastNs, allocations, mballoc, changes,
                markers, atomic, null, null, null);
    }

    public long events() {
        return events;
    }

    private static int taskKey(TraceEvent e) {
        // perf and text formats always give a pid; fall back to the CPU for hand-built events
        int pid = e.header().pid();
        return pid >= 0 ? pid : -2 - e.cpu();
    }

    private String comm(String c) {
        return c == null ? "" : comms.computeIfAbsent(c, k -> k);
    }
}
