package io.mbscope.parsers.tracedat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The page walk shared by the raw and the compressed page sources: bytes of one CPU's data sit in a
 * reused window {@code data[dataPos, dataLen)}; pages are cut from its front, and when less than a
 * page is left the subclass refills it, keeping that unread tail in front so a page that straddles
 * two reads (or two compressed chunks) comes out whole. The last page may be short (a recording
 * cut mid-page); CpuCursor counts that.
 */
abstract class WindowPageSource implements PageSource {
    protected final int pageSize;
    private final ByteOrder order;
    private byte[] data;
    private ByteBuffer buf;
    private int dataPos;
    private int dataLen;
    private int start;
    private int length;

    WindowPageSource(int pageSize, int initialCapacity, ByteOrder order) {
        this.pageSize = pageSize;
        this.order = order;
        this.data = new byte[Math.max(0, initialCapacity)];
        this.buf = ByteBuffer.wrap(data).order(order);
    }

    /**
     * Appends more of the CPU's data after the unread tail (through {@link #room} or {@link #swapIn});
     * false when there is none left.
     */
    protected abstract boolean refill() throws IOException;

    /** Drops the bytes not yet handed out (a page a skipped chunk would have completed); returns how many. */
    protected final int discardUnread() {
        int n = dataLen - dataPos;
        dataPos = 0;
        dataLen = 0;
        return n;
    }

    /** Bytes not yet handed out as pages. */
    protected final int unread() {
        return dataLen - dataPos;
    }

    /**
     * Moves the unread tail to the front of the window, grows the window to hold {@code n} more
     * bytes, and returns the array to write them to at {@link #end()}; call {@link #appended} after.
     */
    protected final byte[] room(int n) {
        int keep = dataLen - dataPos;
        if (data.length < keep + n) {
            byte[] bigger = new byte[Math.max(keep + n, pageSize)];
            System.arraycopy(data, dataPos, bigger, 0, keep);
            data = bigger;
            buf = ByteBuffer.wrap(data).order(order);
        } else if (keep > 0 && dataPos > 0) {
            System.arraycopy(data, dataPos, data, 0, keep);
        }
        dataPos = 0;
        dataLen = keep;
        return data;
    }

    /** Where {@link #room}'s caller writes: the end of the unread bytes. */
    protected final int end() {
        return dataLen;
    }

    protected final void appended(int n) {
        dataLen += n;
    }

    /**
     * With nothing unread, makes {@code fresh[0, len)} the window without copying and returns the
     * previous window array for reuse (the page handed out from it is no longer current).
     */
    protected final byte[] swapIn(byte[] fresh, int len) {
        if (dataLen != dataPos) {
            throw new IllegalStateException("unread bytes would be lost");
        }
        byte[] old = data;
        data = fresh;
        buf = ByteBuffer.wrap(fresh).order(order);
        dataPos = 0;
        dataLen = len;
        return old;
    }

    @Override
    public final boolean nextPage() throws IOException {
        while (dataLen - dataPos < pageSize) {
            if (!refill()) {
                break;
            }
        }
        if (dataPos >= dataLen) {
            return false;
        }
        start = dataPos;
        length = Math.min(pageSize, dataLen - dataPos);
        dataPos += length;
        return true;
    }

    @Override
    public final ByteBuffer buffer() {
        return buf;
    }

    @Override
    public final int start() {
        return start;
    }

    @Override
    public final int length() {
        return length;
    }
}
