package io.mbscope.tracecompass;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;

/** Hand-built events (raw == null) for unit tests; dev 8,0 as in the corpus. */
public final class Events {
    public static final int DEV = (8 << 20);
    public static final int HINT_DATA = 0x20;

    private Events() {
    }

    public static EventHeader h(long t, int cpu) {
        return new EventHeader(t, cpu, 1048, "ext4wl");
    }

    public static TraceEvent newInodePa(long t, long ino, long pstart, long lstart, long len) {
        return new TraceEvent.MbNewPa(h(t, 0), false, DEV, ino, pstart, lstart, len, null);
    }

    public static TraceEvent newGroupPa(long t, long ino, long pstart, long len) {
        return new TraceEvent.MbNewPa(h(t, 0), true, DEV, ino, pstart, pstart, len, null);
    }

    public static TraceEvent mballocAlloc(long t, long ino, long group, long start, long len, long logical) {
        MbExtent r = new MbExtent(group, start, len, logical);
        return new TraceEvent.MballocAlloc(h(t, 0), DEV, ino, r, r, r, 1, 1, 0, HINT_DATA, 0, 1, null);
    }

    public static TraceEvent mballocPrealloc(long t, long ino, long group, long start, long len, long logical) {
        MbExtent r = new MbExtent(group, start, len, logical);
        return new TraceEvent.MballocPrealloc(h(t, 1), DEV, ino, r, r, null);
    }

    public static TraceEvent allocate(long t, long ino, int flags, long len, long block, long logical) {
        return new TraceEvent.AllocateBlocks(h(t, 0), DEV, ino, flags, len, block, logical, 0, 0, 0, 0, 0, null);
    }

    public static TraceEvent releaseInodePa(long t, long ino, long block, long count) {
        return new TraceEvent.MbReleaseInodePa(h(t, 1), DEV, ino, block, count, null);
    }

    public static TraceEvent freeBlocks(long t, long ino, long block, long count, int flags) {
        return new TraceEvent.FreeBlocks(h(t, 1), DEV, ino, 0100644, block, count, flags, null);
    }

    public static TraceEvent mballocFree(long t, long ino, long group, long start, long len) {
        return new TraceEvent.MballocFree(h(t, 1), DEV, ino, group, start, len, null);
    }
}
