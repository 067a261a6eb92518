package io.mbscope.parsers.perf;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A forward-only byte source over a file range or a pipe, with one reusable window buffer so that
 * the memory used does not depend on the trace length. Records are decoded in place from
 * {@link #array()} / {@link #buffer()} at {@link #pos()}; offsets in errors are absolute file (or
 * stream) offsets.
 */
final class SeqInput {
    private static final int DEFAULT_WINDOW = 1 << 20;

    private final FileChannel channel;
    private final InputStream stream;
    private final String file;
    private byte[] buf;
    private ByteBuffer bb;
    private int pos;
    private int lim;
    /** Absolute offset of buf[0]. */
    private long base;
    /** Absolute offset of the next byte to fetch from the source. */
    private long sourcePos;
    /** Absolute offset past which this input reports end of data. */
    private long limit;
    private boolean sourceEof;
    private ByteOrder order;

    private SeqInput(FileChannel channel, InputStream stream, String file, long start, long limit, ByteOrder order,
                     int window) {
        this.channel = channel;
        this.stream = stream;
        this.file = file;
        this.buf = new byte[window];
        this.order = order;
        this.bb = ByteBuffer.wrap(buf).order(order);
        this.base = start;
        this.sourcePos = start;
        this.limit = limit;
    }

    static SeqInput ofChannel(FileChannel ch, String file, long start, long end, ByteOrder order, int window) {
        return new SeqInput(ch, null, file, start, end, order, window);
    }

    static SeqInput ofChannel(FileChannel ch, String file, long start, long end, ByteOrder order) {
        long len = end - start;
        int window = (int) Math.max(4096, Math.min(DEFAULT_WINDOW, len));
        return new SeqInput(ch, null, file, start, end, order, window);
    }

    static SeqInput ofStream(InputStream in, String file, ByteOrder order) {
        return new SeqInput(null, in, file, 0, Long.MAX_VALUE, order, DEFAULT_WINDOW);
    }

    String file() {
        return file;
    }

    ByteOrder order() {
        return order;
    }

    void order(ByteOrder o) {
        this.order = o;
        bb.order(o);
    }

    byte[] array() {
        return buf;
    }

    /** A view of {@link #array()} in the current byte order; indices are array indices. */
    ByteBuffer buffer() {
        return bb;
    }

    int pos() {
        return pos;
    }

    /** Absolute offset of the next unread byte. */
    long offset() {
        return base + pos;
    }

    long limit() {
        return limit;
    }

    void limit(long newLimit) {
        // Bytes already fetched past a narrowed limit stay in the window (a wider limit may be
        // restored later); ensure/skip bound every read by the limit.
        this.limit = newLimit;
    }

    /** Bytes left before the limit (Long.MAX_VALUE-ish for an unbounded pipe). */
    long remaining() {
        return limit - offset();
    }

    /**
     * Makes {@code n} bytes readable at {@link #pos()}. Returns false if the source ends (or the
     * limit is reached) first; {@code n} must have been checked against a sane cap by the caller.
     */
    boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (offset() + n > limit) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        if (n > buf.length) {
            byte[] nb = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, 0, nb, 0, lim);
            buf = nb;
            bb = ByteBuffer.wrap(buf).order(order);
        }
        fill(n);
        return lim - pos >= n;
    }

    /** Like {@link #ensure} but a shortfall is a format error naming what was being read. */
    void require(int n, String section) throws IOException {
        if (!ensure(n)) {
            long have = Math.max(0, Math.min(limit, endOfKnownData()) - offset());
            throw TraceFormatException.expected(file, offset(), section, n + " more bytes",
                    (sourceEof || offset() + n > limit ? "only " + have : "fewer") + " before the end");
        }
    }

    private long endOfKnownData() {
        return base + lim + (sourceEof ? 0 : Long.MAX_VALUE / 4);
    }

    private void fill(int n) throws IOException {
        while (lim - pos < n && !sourceEof) {
            long maxByLimit = limit - (base + lim);
            int want = (int) Math.min(buf.length - lim, maxByLimit);
            if (want <= 0) {
                break;
            }
            int r;
            if (channel != null) {
                r = channel.read(ByteBuffer.wrap(buf, lim, want), sourcePos);
            } else {
                r = stream.read(buf, lim, want);
            }
            if (r < 0) {
                sourceEof = true;
                break;
            }
            lim += r;
            sourcePos += r;
        }
    }

    /** True when no byte is left before the limit or the end of the source. */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    void advance(int n) {
        pos += n;
    }

    /** Skips {@code n} bytes, which may extend beyond the window; false if the data ends first. */
    boolean skip(long n) throws IOException {
        if (n <= lim - pos) {
            pos += (int) n;
            return true;
        }
        if (offset() + n > limit) {
            return false;
        }
        long rest = n - (lim - pos);
        base += lim;
        pos = 0;
        lim = 0;
        if (channel != null) {
            long size = channel.size();
            if (sourcePos + rest > size) {
                sourcePos = size;
                base = size;
                sourceEof = true;
                return false;
            }
            sourcePos += rest;
            base = sourcePos;
            return true;
        }
        while (rest > 0) {
            int r = stream.read(buf, 0, (int) Math.min(buf.length, rest));
            if (r < 0) {
                sourceEof = true;
                base = sourcePos;
                return false;
            }
            rest -= r;
            sourcePos += r;
        }
        base = sourcePos;
        return true;
    }

    int u8(int at) {
        return buf[at] & 0xff;
    }

    int u16(int at) {
        return bb.getShort(at) & 0xffff;
    }

    int i32(int at) {
        return bb.getInt(at);
    }

    long u32(int at) {
        return bb.getInt(at) & 0xffffffffL;
    }

    long u64(int at) {
        return bb.getLong(at);
    }

    /** Reads {@code n} bytes into a new array (caller bounds n). */
    byte[] bytes(int n, String section) throws IOException {
        require(n, section);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    long readU32(String section) throws IOException {
        require(4, section);
        long v = u32(pos);
        pos += 4;
        return v;
    }

    long readU64(String section) throws IOException {
        require(8, section);
        long v = u64(pos);
        pos += 8;
        return v;
    }

    /** A NUL-terminated string of at most {@code max} bytes. */
    String readCString(int max, String section) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; ; i++) {
            if (i >= max) {
                throw TraceFormatException.expected(file, offset(), section,
                        "a NUL-terminated string of at most " + max + " bytes", "no NUL");
            }
            require(1, section);
            int c = buf[pos++] & 0xff;
            if (c == 0) {
                return sb.toString();
            }
            sb.append((char) c);
        }
    }
}
