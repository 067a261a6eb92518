package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * v7 compressed per-CPU data: {@code u32 count}, then per chunk {@code u32 compressed size,
 * u32 uncompressed size, data} (lib/trace-cmd/trace-compress.c; trace-cmd 3.x writes 10 pages per
 * chunk). Chunks are decompressed one at a time into a reused buffer; a page that straddles two
 * chunks is stitched together, so the walker always sees whole pages.
 */
final class ChunkedPageSource implements PageSource {
    /** trace-cmd chunks are 10 pages; allow large sub-buffers, refuse absurd declared sizes. */
    static final int MAX_CHUNK = 64 << 20;

    private final FileInput in;
    private final Codec codec;
    private final String section;
    private final long end;
    private final int pageSize;
    /** Lenient mode: where skipped chunks are counted; null in strict mode (a bad chunk throws). */
    private final ReadStats lenient;
    private final byte[] header = new byte[8];
    private byte[] zbuf = new byte[0];
    private byte[] data;
    private ByteBuffer buf;
    private int dataLen;
    private int dataPos;
    private long chunkPos;
    private long chunksLeft;
    private long chunkOffset;
    private int start;
    private int length;

    /** @param limit where the CPU's chunk table must end (its section's end) */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize)
            throws IOException {
        this(in, codec, section, offset, limit, pageSize, null);
    }

    /** @param lenient null: strict; else a bad chunk is skipped and counted there */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize,
                      ReadStats lenient) throws IOException {
        this.in = in;
        this.lenient = lenient;
        this.codec = codec;
        this.section = section;
        this.end = limit;
        this.pageSize = pageSize;
        this.data = new byte[pageSize];
        this.buf = ByteBuffer.wrap(data).order(in.order());
        Cursor c = Cursor.ofFile(in, offset, end, section);
        long count = c.u32("compressed chunk count");
        // Each chunk has an 8-byte header: a count beyond that cannot fit in the declared size.
        if (count * 8 > c.remaining()) {
            TraceFormatException e = c.error("chunk count that fits the " + c.remaining() + " bytes of CPU data", count);
            if (lenient == null) {
                throw e;
            }
            // A file cut inside this CPU's data (or a bad count): the chunks that are there are read,
            // the first one that is not is reported by loadChunk.
            count = c.remaining() / 8;
        }
        this.chunksLeft = count;
        this.chunkPos = offset + 4;
        this.chunkOffset = offset;
    }

    private boolean loadChunk() throws IOException {
        while (chunksLeft > 0) {
            try {
                return loadOneChunk();
            } catch (TraceFormatException e) {
                if (lenient == null) {
                    throw e;
                }
                skipChunk(e);
            }
        }
        return false;
    }

    /**
     * Lenient: passes over the chunk at {@link #chunkPos}. Its header's compressed size is the only
     * link to the next chunk: when it fits the CPU data the next chunk is read from there (a chunk
     * holds whole pages, so the page walk stays in step); when it does not, the rest of this CPU's
     * data cannot be found (the file was cut, as by an interrupted recording, or the size is garbage).
     */
    private void skipChunk(TraceFormatException e) throws IOException {
        // The unread tail of the previous chunk belonged to a page this chunk would have completed.
        int tail = dataLen - dataPos;
        dataPos = dataLen = 0;
        long zsize = -1;
        if (end - chunkPos >= 8) {
            byte[] h = new byte[4];
            in.readFully(chunkPos, h, 0, 4, section);
            zsize = java.nio.ByteBuffer.wrap(h).order(in.order()).getInt(0) & 0xffffffffL;
        }
        if (zsize >= 0 && zsize <= end - chunkPos - 8) {
            lenient.skipCorrupt("trace.dat compressed chunks skipped: chunk does not decompress or declares a bad size",
                    8 + zsize + tail, e.getMessage());
            chunkPos += 8 + zsize;
            chunksLeft--;
        } else {
            lenient.skipCorrupt("trace.dat CPU data cut short: the rest of the CPU's chunks are not in the file "
                    + "(interrupted recording or bad chunk size)", end - chunkPos + tail, e.getMessage());
            chunksLeft = 0;
        }
    }

    private boolean loadOneChunk() throws IOException {
        Cursor c = Cursor.ofFile(in, chunkPos, end, section);
        long zsize = c.u32("chunk compressed size");
        long usize = c.u32("chunk uncompressed size");
        if (zsize > c.remaining()) {
            throw c.error("compressed chunk within the " + c.remaining() + " bytes left of the CPU data",
                    zsize + " bytes");
        }
        if (usize > MAX_CHUNK) {
            throw c.error("uncompressed chunk size up to " + MAX_CHUNK, usize + " bytes");
        }
        // zstd and zlib expand incompressible input by well under 1%: a bigger block is corrupt.
        if (zsize > usize + (usize >> 3) + 1024) {
            throw c.error("compressed chunk no larger than its " + usize + " uncompressed bytes", zsize + " bytes");
        }
        int z = (int) zsize;
        int u = (int) usize;
        if (zbuf.length < z) {
            zbuf = new byte[z];
        }
        in.readFully(chunkPos + 8, zbuf, 0, z, section);
        // Keep the unread tail of the previous chunk (a page cut across chunks) in front.
        int keep = dataLen - dataPos;
        if (data.length < keep + u) {
            byte[] bigger = new byte[Math.max(keep + u, pageSize)];
            System.arraycopy(data, dataPos, bigger, 0, keep);
            data = bigger;
            buf = ByteBuffer.wrap(data).order(in.order());
        } else if (keep > 0) {
            System.arraycopy(data, dataPos, data, 0, keep);
        }
        codec.decompress(zbuf, 0, z, data, keep, u, in.name(), chunkPos, section);
        dataPos = 0;
        dataLen = keep + u;
        chunkOffset = chunkPos;
        chunkPos += 8 + z;
        chunksLeft--;
        return true;
    }

    @Override
    public boolean nextPage() throws IOException {
        while (dataLen - dataPos < pageSize) {
            if (!loadChunk()) {
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
        // Bytes of a compressed chunk have no file offset of their own: name the chunk.
        return chunkOffset;
    }
}
