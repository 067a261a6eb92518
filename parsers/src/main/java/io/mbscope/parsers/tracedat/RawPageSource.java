package io.mbscope.parsers.tracedat;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Uncompressed pages (v6, v7 "none"): read a window of whole pages at a time into one reused buffer,
 * so memory stays at the window size however long the trace.
 */
final class RawPageSource implements PageSource {
    private final FileInput in;
    private final String section;
    private final long end;
    private final int pageSize;
    private final byte[] window;
    private final ByteBuffer buf;
    private long winStart;
    private int winLen;
    private long next;
    private int start;
    private int length;

    RawPageSource(FileInput in, String section, long offset, long size, int pageSize, int windowBytes) {
        this.in = in;
        this.section = section;
        this.end = offset + size;
        this.pageSize = pageSize;
        int pages = Math.max(1, windowBytes / pageSize);
        this.window = new byte[(int) Math.max(0, Math.min((long) pages * pageSize, size))];
        this.buf = ByteBuffer.wrap(window).order(in.order());
        this.next = offset;
        this.winStart = offset;
        this.winLen = 0;
    }

    @Override
    public boolean nextPage() throws IOException {
        if (next >= end) {
            return false;
        }
        long avail = end - next;
        int len = (int) Math.min(pageSize, avail);
        if (next < winStart || next + len > winStart + winLen) {
            int n = (int) Math.min(window.length, avail);
            in.readFully(next, window, 0, n, section);
            winStart = next;
            winLen = n;
        }
        start = (int) (next - winStart);
        length = len;
        next += pageSize;
        return true;
    }

    @Override
    public ByteBuffer buffer() {
        return buf;
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long fileOffset(int index) {
        return winStart + index;
    }
}
