package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A checked sequential reader over the metadata of a trace.dat: a range of the file, or the
 * uncompressed bytes of a v7 section. Every read first checks what remains in the range, so sizes
 * read from the file are validated before anything is allocated. Errors name the file offset (for
 * a compressed section, the section's offset plus the position in its uncompressed bytes).
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public final class Cursor {
    private final FileInput in;      // null when reading an in-memory (decompressed) section
    private final byte[] data;       // non-null for in-memory sections
    private final long start;
    private final long end;
    private final long reportBase;   // file offset of an in-memory section, for messages
    private final String section;
    private final byte[] scratch = new byte[8];
    private final ByteOrder order;
    private long pos;

    private Cursor(FileInput in, byte[] data, long start, long end, long reportBase, String section,
                   ByteOrder order) {
        this.in = in;
        this.data = data;
        this.start = start;
        this.end = end;
        this.pos = start;
        this.reportBase = reportBase;
        this.section = section;
        this.order = order;
    }

    /** Reads the file range {@code [start, end)}. */
    public static Cursor ofFile(FileInput in, long start, long end, String section) throws TraceFormatException {
        in.checkRange(start, end - start, section, "section");
        return new Cursor(in, null, start, end, -1, section, in.order());
    }

    /** Reads {@code data[0, length)}, the uncompressed bytes of a section found at file offset {@code fileOffset}. */
    public static Cursor ofBytes(FileInput in, byte[] data, int length, long fileOffset, String section) {
        return new Cursor(in, data, 0, length, fileOffset, section, in.order());
    }

    public ByteOrder order() {
        return order;
    }

    public String section() {
        return section;
    }

    public String file() {
        return in.name();
    }

    /** File offset of the next byte, or for an uncompressed section copy, the section's own offset. */
    public long offset() {
        return data == null ? pos : reportBase;
    }

    /** Position within the range (bytes read so far). */
    public long consumed() {
        return pos - start;
    }

    public long remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private String where() {
        return data == null ? section : section + ", uncompressed byte " + pos;
    }

    public TraceFormatException error(String expected, Object found) {
        return TraceFormatException.expected(in.name(), offset(), where(), expected, found);
    }

    public TraceFormatException error(String problem) {
        return new TraceFormatException(in.name(), offset(), where(), problem);
    }

    private void need(long n, String what) throws TraceFormatException {
        if (n < 0 || n > end - pos) {
            throw error(what + " (" + Long.toUnsignedString(n) + " bytes)",
                    "only " + (end - pos) + " bytes left in the section");
        }
    }

    private void read(byte[] dst, int off, int len) throws IOException {
        if (data != null) {
            System.arraycopy(data, (int) pos, dst, off, len);
        } else {
            in.readFully(pos, dst, off, len, section);
        }
        pos += len;
    }

    private long number(int size, String what) throws IOException {
        need(size, what);
        read(scratch, 0, size);
        long v = 0;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (scratch[i] & 0xff);
            }
        } else {
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (scratch[i] & 0xff);
            }
        }
        return v;
    }

    public int u8(String what) throws IOException {
        return (int) number(1, what);
    }

    public int u16(String what) throws IOException {
        return (int) number(2, what);
    }

    public long u32(String what) throws IOException {
        return number(4, what);
    }

    /** An unsigned 64-bit number; callers treat values above Long.MAX_VALUE as out of range. */
    public long u64(String what) throws IOException {
        return number(8, what);
    }

    /** A size read as u32 or u64 and checked against what remains of this range. */
    public int size(long n, String what) throws TraceFormatException {
        if (n < 0 || n > end - pos || n > Integer.MAX_VALUE - 8) {
            throw error(what + " within the " + (end - pos) + " bytes left", Long.toUnsignedString(n) + " bytes");
        }
        return (int) n;
    }

    public byte[] bytes(int n, String what) throws IOException {
        need(n, what);
        byte[] b = new byte[n];
        read(b, 0, n);
        return b;
    }

    /** {@code n} bytes as text (UTF-8; a trailing NUL is dropped). */
    public String text(int n, String what) throws IOException {
        byte[] b = bytes(n, what);
        int len = b.length;
        while (len > 0 && b[len - 1] == 0) {
            len--;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    public void skip(long n, String what) throws TraceFormatException {
        need(n, what);
        pos += n;
    }

    /** A NUL-terminated string of at most {@code max} bytes before the NUL. */
    public String cstring(int max, String what) throws IOException {
        long limit = Math.min(end - pos, (long) max + 1);
        byte[] b = new byte[(int) Math.min(limit, 256)];
        int n = 0;
        long p = pos;
        while (true) {
            if (n == limit) {
                throw error(what + " ending in NUL within " + max + " bytes",
                        n == end - pos ? "end of section" : "a longer string");
            }
            if (n == b.length) {
                b = java.util.Arrays.copyOf(b, (int) Math.min(limit, b.length * 2L));
            }
            byte c;
            if (data != null) {
                c = data[(int) p];
            } else {
                in.readFully(p, scratch, 0, 1, section);
                c = scratch[0];
            }
            p++;
            if (c == 0) {
                break;
            }
            b[n++] = c;
        }
        pos = p;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
