package io.mbscope.report;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/** A made-up but kernel-shaped event stream: files growing in turn, frees, a preallocation. */
final class Synthetic {
    static final int GROUPS = 4;
    static final int CLUSTERS = 32768;
    static final int META = 1100;

    private Synthetic() {
    }

    static FsSpace fs() {
        List<BitSet> used = new ArrayList<>();
        int[] sizes = new int[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            BitSet b = new BitSet(CLUSTERS);
            b.set(0, g == 0 ? META : 2);
            used.add(b);
            sizes[g] = CLUSTERS;
        }
        return new FsSpace(4096, 1, CLUSTERS, sizes, used, "synthetic: 4 groups of 32768 4096-byte blocks");
    }

    static EventHeader h(long t, int pid) {
        return new EventHeader(t, pid % 2, pid, "wl");
    }

    /** {@code n} allocations by 5 tasks; every 7th request is served from a PA, every 5th is freed later. */
    static List<TraceEvent> events(int n, long seed) {
        Random r = new Random(seed);
        List<TraceEvent> out = new ArrayList<>();
        long t = 1_000_000_000L;
        long[] next = {META, 0, 0, 0};
        out.add(new TraceEvent.Marker(h(t, 1), "ext4wl phase=write", null));
        for (int i = 0; i < n; i++) {
            t += 1000 + r.nextInt(5000);
            int pid = 100 + i % 5;
            long ino = 12 + i % 5;
            int g = (int) Math.min(GROUPS - 1, (i * (long) GROUPS) / Math.max(1, n));
            long orig = 1L << r.nextInt(6);
            long goalLen = Math.max(orig, 1L << (3 + r.nextInt(4)));
            if (next[g] + goalLen >= CLUSTERS) {
                next[g] = 2;
            }
            long start = next[g];
            next[g] += goalLen + r.nextInt(3);
            long block = (long) g * CLUSTERS + start;
            out.add(new TraceEvent.RequestBlocks(h(t, pid), 7 << 20, ino, 0x20, orig, i, 0, 0, 0, 0, 0, null));
            if (i % 7 == 3) {
                out.add(new TraceEvent.MballocPrealloc(h(t + 1, pid), 7 << 20, ino, new MbExtent(g, start, orig, i),
                        new MbExtent(g, start, orig, i), null));
            } else {
                int cr = r.nextInt(10) < 7 ? 1 : r.nextInt(5);
                out.add(new TraceEvent.MballocAlloc(h(t + 1, pid), 7 << 20, ino, new MbExtent(g, 0, orig, i),
                        new MbExtent(g, 0, goalLen, i), new MbExtent(g, start, goalLen, i), 1, 1 + cr * r.nextInt(4),
                        4, 0x20, 0, cr, null));
            }
            out.add(new TraceEvent.AllocateBlocks(h(t + 2, pid), 7 << 20, ino, 0x20, orig, block, i, 0, 0, 0, 0, 0,
                    null));
            if (i % 5 == 4) {
                out.add(new TraceEvent.MballocFree(h(t + 3, pid), 7 << 20, ino, g, start, orig, null));
            }
        }
        out.add(new TraceEvent.Pwritev2Enter(h(t + 10, 100), 3, 1, 0, 0x40, null));
        out.add(new TraceEvent.SyscallExit(h(t + 11, 100), "pwritev2", 4096, null));
        out.add(new TraceEvent.Pwritev2Enter(h(t + 12, 100), 3, 1, 0, 0x40, null));
        out.add(new TraceEvent.SyscallExit(h(t + 13, 100), "pwritev2", -22, null));
        return out;
    }

    static TraceData collect(String label, List<TraceEvent> events, FsSpace fs) {
        TraceCollector c = new TraceCollector(label);
        for (TraceEvent e : events) {
            c.accept(e);
        }
        TraceData d = c.finish(null, null);
        return fs == null ? d : d.withFsState(fs);
    }
}
