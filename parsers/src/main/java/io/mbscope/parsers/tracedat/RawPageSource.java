package io.mbscope.parsers.tracedat;

import java.io.IOException;

/**
 * Uncompressed pages (v6, v7 "none"): read a window of whole pages at a time into one reused buffer,
 * so memory stays at the window size however long the trace.
 */
final class RawPageSource extends WindowPageSource {
    private final FileInput in;
    private final String section;
    private final long end;
    private final int windowBytes;
    /** File offset of the next byte to read. */
    private long next;

    RawPageSource(FileInput in, String section, long offset, long size, int pageSize, int windowBytes) {
        super(pageSize, 0, in.order());
        this.in = in;
        this.section = section;
        this.end = offset + size;
        int pages = Math.max(1, windowBytes / pageSize);
        this.windowBytes = (int) Math.max(0, Math.min((long) pages * pageSize, size));
        this.next = offset;
    }

    @Override
    protected boolean refill() throws IOException {
        if (next >= end) {
            return false;
        }
        int n = (int) Math.min(windowBytes, end - next);
        byte[] a = room(n);
        in.readFully(next, a, end(), n, section);
        appended(n);
        next += n;
        return true;
    }

    @Override
    public long fileOffset(int index) {
        // The window ends at `next`; index counts from its first byte.
        return next - end() + index;
    }
}
