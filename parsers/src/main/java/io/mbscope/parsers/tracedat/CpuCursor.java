package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks one CPU's ring-buffer pages record by record (kernel/trace/ring_buffer.c). Each page starts
 * with a u64 base timestamp and a commit word (bytes used; bit 31 = events were missed before this
 * page, bit 30 = their count is stored as a long right after the data). Each event starts with a
 * 32-bit word {@code type_len:5 | time_delta:27} (bit order follows the file's endianness):
 * type_len 1..28 = data of type_len*4 bytes follows; 0 = data length (plus 4) in array[0];
 * padding (29) = discarded event, length in array[0], or end of page when time_delta is 0;
 * time extend (30) = delta += array[0] << 27; time stamp (31) = absolute time, array[0] << 27 |
 * time_delta, keeping the top bits of the running clock (libtraceevent kbuffer does the same).
 */
final class CpuCursor {
    private static final long COMMIT_MASK = (1L << 27) - 1;
    private static final long MISSED_EVENTS = 1L << 31;
    private static final long MISSED_STORED = 1L << 30;
    private static final long TS_MSB = 0xf8L << 56;

    final int cpu;
    final int bufferIndex;
    final String section;
    private final PageSource src;
    private final PageLayout layout;
    private final ReadStats stats;
    private final int pageSize;
    private final boolean bigEndian;
    private final String file;
    /** Strict: a bad page header or record is a {@link TraceFormatException}; lenient: the page is skipped. */
    private final boolean lenient;
    private int pageStart;

    private ByteBuffer buf;
    private int p;
    private int end;
    private long clock;
    private boolean inPage;
    /** The current page was cut short (already counted): a record running past its end is expected. */
    private boolean cut;

    /** The current record: raw timestamp, payload position and length in {@link #buffer()}. */
    long ts;
    int recStart;
    int recLen;

    CpuCursor(int cpu, int bufferIndex, String section, PageSource src, PageLayout layout, int pageSize,
              ReadStats stats, boolean bigEndian) {
        this(cpu, bufferIndex, section, src, layout, pageSize, stats, bigEndian, null, false);
    }

    CpuCursor(int cpu, int bufferIndex, String section, PageSource src, PageLayout layout, int pageSize,
              ReadStats stats, boolean bigEndian, String file, boolean lenient) {
        this.cpu = cpu;
        this.bufferIndex = bufferIndex;
        this.section = section;
        this.src = src;
        this.layout = layout;
        this.pageSize = pageSize;
        this.stats = stats;
        this.bigEndian = bigEndian;
        this.file = file;
        this.lenient = lenient;
    }

    ByteBuffer buffer() {
        return buf;
    }

    long recordFileOffset() {
        return src.fileOffset(recStart);
    }

    /** Moves to the next data record; false when this CPU has no more. */
    boolean advance() throws IOException {
        while (true) {
            if (!inPage && !loadPage()) {
                return false;
            }
            if (walk()) {
                return true;
            }
            inPage = false;
        }
    }

    private boolean loadPage() throws IOException {
        while (src.nextPage()) {
            buf = src.buffer();
            int start = src.start();
            int avail = src.length();
            if (avail < layout.dataOffset()) {
                stats.skip("page cut short at the end of the CPU data (" + section + ")");
                continue;
            }
            clock = buf.getLong(start + layout.timestampOffset());
            long commit = layout.commitSize() == 8 ? buf.getLong(start + layout.commitOffset())
                    : buf.getInt(start + layout.commitOffset()) & 0xffffffffL;
            int size = (int) (commit & COMMIT_MASK);
            int data = start + layout.dataOffset();
            int capacity = pageSize - layout.dataOffset();
            if (size > capacity) {
                // The commit word is the only length a page has: past the page it cannot be trusted,
                // and nothing in the page can be. The next page starts at a fixed offset: resync there.
                TraceFormatException e = TraceFormatException.expected(file, src.fileOffset(start + layout.commitOffset()),
                        section, "a ring-buffer page commit size up to " + capacity, size);
                if (!lenient) {
                    throw e;
                }
                stats.skipCorrupt("trace.dat ring-buffer pages skipped: commit size past the page end",
                        avail, e.getMessage());
                continue;
            }
            if ((commit & MISSED_EVENTS) != 0) {
                int ls = layout.commitSize();
                if ((commit & MISSED_STORED) != 0 && layout.dataOffset() + size + ls <= avail) {
                    long missed = ls == 8 ? buf.getLong(data + size) : buf.getInt(data + size) & 0xffffffffL;
                    stats.addLost(missed);
                } else {
                    stats.skip("events missed before a page, count not recorded (" + section + ")");
                }
            }
            cut = layout.dataOffset() + size > avail;
            if (cut) {
                // The recording stopped mid-page: decode the records that are whole, count the page.
                stats.skip("page cut short at the end of the CPU data (" + section + ")");
                size = avail - layout.dataOffset();
            }
            pageStart = start;
            p = data;
            end = data + size;
            inPage = true;
            return true;
        }
        return false;
    }

    /** Finds the next data record in the current page; false at the page end. */
    private boolean walk() throws TraceFormatException {
        final ByteBuffer b = buf;
        final int padding = layout.paddingType();
        final int extend = layout.timeExtendType();
        final int stamp = layout.timeStampType();
        final int maxData = layout.maxDataType();
        while (p + 4 <= end) {
            int w = b.getInt(p);
            int typeLen;
            long delta;
            if (bigEndian) {
                typeLen = w >>> 27;
                delta = w & 0x7ffffff;
            } else {
                typeLen = w & 0x1f;
                delta = w >>> 5;
            }
            if (typeLen >= 1 && typeLen <= maxData) {
                int len = typeLen << 2;
                if (p + 4 + len > end) {
                    return malformed();
                }
                clock += delta;
                ts = clock;
                recStart = p + 4;
                recLen = len;
                p += 4 + len;
                return true;
            }
            if (typeLen == 0) {
                if (p + 8 > end) {
                    return malformed();
                }
                long len = (b.getInt(p + 4) & 0xffffffffL) - 4;
                if (len < 0 || p + 8 + len > end) {
                    return malformed();
                }
                clock += delta;
                ts = clock;
                recStart = p + 8;
                recLen = (int) len;
                p += 8 + (int) ((len + 3) & ~3L);
                return true;
            }
            if (typeLen == padding) {
                if (delta == 0) {
                    // A null padding event: the rest of the page is unused.
                    return false;
                }
                if (p + 8 > end) {
                    return malformed();
                }
                long len = b.getInt(p + 4) & 0xffffffffL;
                if (len < 4 || p + 4 + len > end) {
                    return malformed();
                }
                clock += delta;
                p += 4 + (int) len;
            } else if (typeLen == extend) {
                if (p + 8 > end) {
                    return malformed();
                }
                clock += ((b.getInt(p + 4) & 0xffffffffL) << 27) + delta;
                p += 8;
            } else if (typeLen == stamp) {
                if (p + 8 > end) {
                    return malformed();
                }
                long abs = ((b.getInt(p + 4) & 0xffffffffL) << 27) | delta;
                clock = abs | (clock & TS_MSB);
                p += 8;
            } else {
                return malformed();
            }
        }
        if (p < end) {
            return malformed();
        }
        return false;
    }

    private boolean malformed() throws TraceFormatException {
        if (!cut) {
            int w = p + 4 <= end ? buf.getInt(p) : 0;
            int typeLen = bigEndian ? w >>> 27 : w & 0x1f;
            TraceFormatException e = TraceFormatException.expected(file, src.fileOffset(p), section,
                    "a ring-buffer record (type_len " + typeLen + ") inside the page's " + (end - pageStart
                            - layout.dataOffset()) + " committed bytes", (end - p) + " bytes left at byte "
                            + (p - pageStart) + " of the page");
            if (!lenient) {
                throw e;
            }
            // Records carry no sync marker: past a bad length nothing else in the page can be found.
            // The records before it were good and are kept; the rest of the page is skipped.
            stats.skipCorrupt("trace.dat ring-buffer pages skipped from a bad record on: record type or length",
                    end - p, e.getMessage());
        }
        p = end;
        return false;
    }
}
