package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The part of the header every trace.dat version shares: magic {@code 17 08 44 "tracing"}, the
 * version as a NUL-terminated decimal string, endianness (0 little, 1 big), user-space long size,
 * page size.
 *
 * @param end offset of the first byte after the page size, where the version-specific header starts
 */
public record CommonHeader(String version, ByteOrder order, int longSize, int pageSize, long end) {
    private static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    /** Sub-buffers are 4 KiB to 1 MiB (buffer_subbuf_size_kb); allow some slack, refuse nonsense. */
    private static final int MAX_PAGE = 16 << 20;

    /** True if the file starts with the trace.dat magic. */
    public static boolean matches(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static CommonHeader read(FileInput in) throws IOException {
        String file = in.name();
        int headLen = (int) Math.min(in.size(), 64);
        byte[] head = new byte[headLen];
        in.readFully(0, head, 0, headLen, "file header");
        if (!matches(head)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(headLen, MAGIC.length); i++) {
                sb.append(String.format("%02x ", head[i] & 0xff));
            }
            throw TraceFormatException.expected(file, 0, "file header",
                    "trace.dat magic 17 08 44 \"tracing\"", headLen == 0 ? "an empty file" : sb.toString().strip());
        }
        int p = MAGIC.length;
        int nul = p;
        while (nul < headLen && head[nul] != 0 && nul - p < 16) {
            nul++;
        }
        if (nul >= headLen || head[nul] != 0) {
            throw TraceFormatException.expected(file, p, "file header", "a NUL-terminated version string",
                    nul >= headLen ? "end of file" : "more than 16 bytes");
        }
        String version = new String(head, p, nul - p, StandardCharsets.US_ASCII);
        p = nul + 1;
        if (p + 6 > headLen) {
            throw TraceFormatException.expected(file, p, "file header",
                    "endianness, long size and page size (6 bytes)", (headLen - p) + " bytes before the end");
        }
        int endian = head[p];
        if (endian != 0 && endian != 1) {
            throw TraceFormatException.expected(file, p, "file header", "endianness 0 or 1", endian);
        }
        ByteOrder order = endian == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        in.order(order);
        int longSize = head[p + 1];
        if (longSize != 4 && longSize != 8) {
            throw TraceFormatException.expected(file, p + 1, "file header", "long size 4 or 8", longSize);
        }
        long pageSize = java.nio.ByteBuffer.wrap(head, p + 2, 4).order(order).getInt() & 0xffffffffL;
        if (pageSize < 64 || pageSize > MAX_PAGE || Long.bitCount(pageSize) != 1) {
            throw TraceFormatException.expected(file, p + 2, "file header",
                    "a page size that is a power of two between 64 and " + MAX_PAGE, pageSize);
        }
        return new CommonHeader(version, order, longSize, (int) pageSize, p + 6);
    }

    /** Checks a page size found in a v7 BUFFER option the same way. */
    public static boolean plausiblePageSize(long pageSize) {
        return pageSize >= 64 && pageSize <= MAX_PAGE && Long.bitCount(pageSize) == 1;
    }
}
