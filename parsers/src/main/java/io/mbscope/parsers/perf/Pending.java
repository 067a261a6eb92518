package io.mbscope.parsers.perf;

import io.mbscope.parsers.format.EventFormat;

/** A decoded-later record waiting for its round to be flushed. */
final class Pending {
    static final int SAMPLE = 0;
    static final int COMM = 1;
    static final int FORK = 2;

    final long ts;
    final long seq;
    final int kind;
    final int cpu;
    final int tid;
    final EventFormat format;
    final byte[] payload;
    final long offset;
    final String comm;
    final int parent;

    Pending(long ts, long seq, int kind, int cpu, int tid, EventFormat format, byte[] payload, long offset,
            String comm, int parent) {
        this.ts = ts;
        this.seq = seq;
        this.kind = kind;
        this.cpu = cpu;
        this.tid = tid;
        this.format = format;
        this.payload = payload;
        this.offset = offset;
        this.comm = comm;
        this.parent = parent;
    }

    static int compare(Pending x, Pending y) {
        int c = Long.compare(x.ts, y.ts);
        return c != 0 ? c : Long.compare(x.seq, y.seq);
    }
}
