package io.mbscope.parsers.perf;

import io.airlift.compress.zstd.ZstdIncrementalFrameDecompressor;
import io.mbscope.parsers.TraceFormatException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The records inside PERF_RECORD_COMPRESSED / COMPRESSED2 payloads. perf record keeps one zstd
 * stream for the whole session (util/zstd.c: ZSTD_compressStream + ZSTD_flushStream, never
 * ending the frame), so a zstd frame and even a single perf record can run across several
 * compressed records; perf's session.c carries the undecoded tail of one decompressed buffer over
 * to the next. This class does the same with a fixed-size output window: memory stays bounded
 * however long the trace.
 */
final class ZstdRecordStream {
    /** A perf record is at most 64 KiB (u16 size): a partial one plus a 64 KiB decode step always fit. */
    private static final int OUT_WINDOW = 256 * 1024;
    /** A frame whose window exceeds this is not from perf (which uses level 1..22 defaults). */
    private static final long MAX_WINDOW = 128L << 20;
    private static final int FRAME_MAGIC = 0xFD2FB528;
    private static final long BYTE_ARRAY_BASE = byteArrayBase();
    private static final Field WINDOW_BASE = decoderField("windowBase");
    private static final Field WINDOW_ADDRESS = decoderField("windowAddress");
    private static final Field WINDOW_POSITION = decoderField("windowPosition");

    private final String file;
    private final ZstdIncrementalFrameDecompressor dec = new ZstdIncrementalFrameDecompressor();
    private byte[] in = new byte[64 * 1024];
    private int inPos;
    private int inEnd;
    private final byte[] out = new byte[OUT_WINDOW];
    private final byte[] scratch = new byte[64 * 1024];
    /** Decoded bytes still in the decoder's window that were already copied to out. */
    private long peeked;
    private final ByteBuffer outBuf;
    private int outPos;
    private int outEnd;
    /** Upper bound of decompressed bytes one compressed record may produce (HEADER_COMPRESSED mmap_len). */
    private final long maxPerRecord;
    private long producedForCurrent;
    private long recordOffset;
    private boolean atFrameStart = true;

    ZstdRecordStream(String file, ByteOrder order, long maxPerRecord) {
        this.file = file;
        this.outBuf = ByteBuffer.wrap(out).order(order);
        this.maxPerRecord = maxPerRecord;
    }

    private static Field decoderField(String name) {
        // Private state of aircompressor 2.0.3's ZstdIncrementalFrameDecompressor (version pinned in the pom).
        try {
            Field f = ZstdIncrementalFrameDecompressor.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("aircompressor's zstd decoder has no field " + name, e);
        }
    }

    private static long byteArrayBase() {
        // aircompressor's incremental decoder addresses input the sun.misc.Unsafe way
        // (base object + offset); this is the offset of a byte[]'s first element.
        try {
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_BYTE_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET not available", e);
        }
    }

    /** Appends the compressed payload of the record at {@code fileOffset}. */
    void feed(byte[] src, int off, int len, long fileOffset) {
        if (inPos > 0) {
            System.arraycopy(in, inPos, in, 0, inEnd - inPos);
            inEnd -= inPos;
            inPos = 0;
        }
        if (inEnd + len > in.length) {
            byte[] n = new byte[Math.max(in.length * 2, inEnd + len)];
            System.arraycopy(in, 0, n, 0, inEnd);
            in = n;
        }
        System.arraycopy(src, off, in, inEnd, len);
        inEnd += len;
        producedForCurrent = 0;
        recordOffset = fileOffset;
    }

    ByteBuffer buffer() {
        return outBuf;
    }

    byte[] array() {
        return out;
    }

    /**
     * Index in {@link #array()} of the next complete decompressed record, or -1 when more
     * compressed input is needed. The caller reads the record there and calls {@link #consume}.
     */
    int nextRecord() throws TraceFormatException {
        while (true) {
            int avail = outEnd - outPos;
            if (avail >= 8) {
                int size = outBuf.getShort(outPos + 6) & 0xffff;
                if (size < 8) {
                    throw TraceFormatException.expected(file, recordOffset, "decompressed perf record",
                            "a record header size of at least 8", size);
                }
                if (avail >= size) {
                    return outPos;
                }
            }
            if (!decompressMore()) {
                return -1;
            }
        }
    }

    void consume(int size) {
        outPos += size;
    }

    /** Compressed bytes fed but not yet decompressed (what a broken stream leaves unread). */
    int pendingInput() {
        return inEnd - inPos;
    }

    /** Bytes of an incomplete record left over (reported when the trace ends). */
    int pendingBytes() {
        return outEnd - outPos;
    }

    private boolean decompressMore() throws TraceFormatException {
        if (outPos > 0) {
            System.arraycopy(out, outPos, out, 0, outEnd - outPos);
            outEnd -= outPos;
            outPos = 0;
        }
        int before = outEnd;
        peekTail();
        while (out.length - outEnd >= scratch.length) {
            int required = dec.getInputRequired();
            int avail = inEnd - inPos;
            if (required > avail || (avail == 0 && dec.getRequestedOutputSize() == 0)) {
                break;
            }
            if (atFrameStart && dec.isAtStoppingPoint()) {
                if (avail < 14 && !headerComplete()) {
                    break;
                }
                checkFrameHeader();
            }
            int consumed;
            int produced;
            try {
                dec.partialDecompress(in, BYTE_ARRAY_BASE + inPos, BYTE_ARRAY_BASE + inEnd, scratch, 0, scratch.length);
                consumed = dec.getInputConsumed();
                produced = dec.getOutputBufferUsed();
            } catch (RuntimeException e) {
                throw new TraceFormatException(file, recordOffset, "PERF_RECORD_COMPRESSED",
                        "zstd data does not decompress: " + e.getMessage(), e);
            }
            inPos += consumed;
            atFrameStart = dec.isAtStoppingPoint();
            // Flushed output starts with the bytes peekTail already delivered: drop those.
            int dup = (int) Math.min(produced, peeked);
            peeked -= dup;
            System.arraycopy(scratch, dup, out, outEnd, produced - dup);
            outEnd += produced - dup;
            if (consumed == 0 && produced == 0) {
                break;
            }
            peekTail();
            if (completeRecordAvailable()) {
                break;
            }
        }
        producedForCurrent += outEnd - before;
        if (producedForCurrent > maxPerRecord) {
            throw TraceFormatException.expected(file, recordOffset, "PERF_RECORD_COMPRESSED",
                    "at most " + maxPerRecord + " decompressed bytes per record (HEADER_COMPRESSED mmap_len)",
                    producedForCurrent + " or more");
        }
        return outEnd > before;
    }

    private boolean completeRecordAvailable() {
        if (outEnd - outPos < 8) {
            return false;
        }
        int size = outBuf.getShort(outPos + 6) & 0xffff;
        return size >= 8 && outEnd - outPos >= size;
    }

    /**
     * aircompressor's incremental decoder only flushes output older than the frame's window (it
     * keeps the window as look-back for later matches) until the frame ends, and perf never ends
     * its frame. The decoded but unflushed bytes are in the decoder's window buffer: copy the ones
     * not yet delivered (without consuming them; the later flush is de-duplicated by peeked).
     */
    private void peekTail() throws TraceFormatException {
        try {
            byte[] wb = (byte[]) WINDOW_BASE.get(dec);
            if (wb == null) {
                return;
            }
            long wa = WINDOW_ADDRESS.getLong(dec);
            long wp = WINDOW_POSITION.getLong(dec);
            long fresh = wp - wa - peeked;
            int room = out.length - outEnd;
            int n = (int) Math.min(fresh, room);
            if (n <= 0) {
                return;
            }
            int from = Math.toIntExact(wa - BYTE_ARRAY_BASE + peeked);
            System.arraycopy(wb, from, out, outEnd, n);
            outEnd += n;
            peeked += n;
        } catch (IllegalAccessException | RuntimeException e) {
            throw new TraceFormatException(file, recordOffset, "PERF_RECORD_COMPRESSED",
                    "cannot read the zstd decoder's window: " + e, e);
        }
    }

    private boolean headerComplete() {
        // The frame header is at most 14 bytes; fewer may suffice, checkFrameHeader tells.
        return frameHeaderSize() >= 0 && inEnd - inPos >= frameHeaderSize();
    }

    private int frameHeaderSize() {
        if (inEnd - inPos < 5) {
            return -1;
        }
        int fhd = in[inPos + 4] & 0xff;
        int dictFlag = fhd & 3;
        boolean single = (fhd & 0x20) != 0;
        int fcsFlag = fhd >>> 6;
        int fcsSize = fcsFlag == 0 ? (single ? 1 : 0) : 1 << fcsFlag;
        return 5 + (single ? 0 : 1) + (dictFlag == 0 ? 0 : 1 << (dictFlag - 1)) + fcsSize;
    }

    /** Rejects frames whose declared window would make the decoder allocate an unreasonable buffer. */
    private void checkFrameHeader() throws TraceFormatException {
        int magic = ByteBuffer.wrap(in, inPos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (magic != FRAME_MAGIC) {
            throw TraceFormatException.expected(file, recordOffset, "PERF_RECORD_COMPRESSED",
                    "zstd frame magic 28 b5 2f fd", String.format("%08x", Integer.reverseBytes(magic)));
        }
        int fhd = in[inPos + 4] & 0xff;
        boolean single = (fhd & 0x20) != 0;
        long window;
        if (!single) {
            int wd = in[inPos + 5] & 0xff;
            int log = 10 + (wd >>> 3);
            long wbase = 1L << log;
            window = wbase + (wbase / 8) * (wd & 7);
        } else {
            int dictFlag = fhd & 3;
            int at = inPos + 5 + (dictFlag == 0 ? 0 : 1 << (dictFlag - 1));
            int fcsFlag = fhd >>> 6;
            int n = fcsFlag == 0 ? 1 : 1 << fcsFlag;
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (in[at + i] & 0xffL) << (8 * i);
            }
            window = n == 2 ? v + 256 : v;
        }
        if (window < 0 || window > MAX_WINDOW) {
            throw TraceFormatException.expected(file, recordOffset, "PERF_RECORD_COMPRESSED",
                    "a zstd window of at most " + MAX_WINDOW + " bytes", window);
        }
    }
}
