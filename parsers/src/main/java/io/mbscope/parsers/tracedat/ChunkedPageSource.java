package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * v7 compressed per-CPU data: {@code u32 count}, then per chunk {@code u32 compressed size,
 * u32 uncompressed size, data} (lib/trace-cmd/trace-compress.c; trace-cmd 3.x writes 10 pages per
 * chunk). A page that straddles two chunks is stitched together, so the walker always sees whole
 * pages.
 *
 * <p>Chunks are independent compressed blocks, so with a {@link ChunkInflater} the next
 * {@value #DEPTH} chunks of this CPU are read and decompressed on its worker threads while the
 * current one is walked; they are taken back strictly in file order, and a chunk that fails
 * (corrupt data, bad header) fails at the point the sequential walk would have reached it, with
 * the same file offset. Without one, each chunk is decompressed on the caller's thread. Either way
 * the buffers are reused: memory is a few chunks per CPU, independent of the trace length.
 */
final class ChunkedPageSource extends WindowPageSource {
    /** trace-cmd chunks are 10 pages; allow large sub-buffers, refuse absurd declared sizes. */
    static final int MAX_CHUNK = 64 << 20;
    /** Chunks in flight per CPU when decompressing in the background. */
    static final int DEPTH = 4;

    private final FileInput in;
    private final Codec codec;
    private final String section;
    private final long end;
    private final ChunkInflater inflater;
    private long chunkPos;
    private long chunksLeft;
    /** File offset of the chunk the current window came from (compressed bytes have no offset of their own). */
    private long chunkOffset;
    /** Sequential mode: compressed bytes of the current chunk. */
    private byte[] zbuf = new byte[0];
    /** Background mode: chunks submitted, in file order, and idle slots to reuse. */
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    /** A chunk header failed: raised when the walk reaches that chunk. */
    private TraceFormatException headerError;

    /** @param limit where the CPU's chunk table must end (its section's end) */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize)
            throws IOException {
        this(in, codec, section, offset, limit, pageSize, null);
    }

    /** As above; with a non-null {@code inflater} chunks are decompressed ahead on its threads. */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize,
                      ChunkInflater inflater) throws IOException {
        super(pageSize, pageSize, in.order());
        this.in = in;
        this.codec = codec;
        this.section = section;
        this.end = limit;
        this.inflater = inflater;
        Cursor c = Cursor.ofFile(in, offset, end, section);
        long count = c.u32("compressed chunk count");
        // Each chunk has an 8-byte header: a count beyond that cannot fit in the declared size.
        if (count * 8 > c.remaining()) {
            throw c.error("chunk count that fits the " + c.remaining() + " bytes of CPU data", count);
        }
        this.chunksLeft = count;
        this.chunkPos = offset + 4;
        this.chunkOffset = offset;
        if (inflater != null) {
            for (int i = 0; i < DEPTH; i++) {
                idle.add(new Slot());
            }
            submitAhead();
        }
    }

    /** A chunk's place in the file and its sizes, checked against the CPU data left. */
    private record Header(long pos, int zsize, int usize) {
    }

    /** Reads and checks the next chunk header and moves past the chunk; null when none is left. */
    private Header nextHeader() throws IOException {
        if (chunksLeft == 0) {
            return null;
        }
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
        Header h = new Header(chunkPos, (int) zsize, (int) usize);
        chunkPos += 8 + zsize;
        chunksLeft--;
        return h;
    }

    @Override
    protected boolean refill() throws IOException {
        return inflater == null ? refillHere() : refillFromWorkers();
    }

    private boolean refillHere() throws IOException {
        Header h = nextHeader();
        if (h == null) {
            return false;
        }
        if (zbuf.length < h.zsize) {
            zbuf = new byte[h.zsize];
        }
        in.readFully(h.pos + 8, zbuf, 0, h.zsize, section);
        byte[] out = room(h.usize);
        codec.decompress(zbuf, 0, h.zsize, out, end(), h.usize, in.name(), h.pos, section);
        appended(h.usize);
        chunkOffset = h.pos;
        return true;
    }

    /** Queues chunks on the workers until {@link #DEPTH} are in flight or a header fails. */
    private void submitAhead() {
        while (!idle.isEmpty() && headerError == null) {
            Header h;
            try {
                h = nextHeader();
            } catch (TraceFormatException e) {
                headerError = e;
                return;
            } catch (IOException e) {
                headerError = new TraceFormatException(in.name(), chunkPos, section, "unreadable chunk header: " + e, e);
                return;
            }
            if (h == null) {
                return;
            }
            Slot s = idle.poll();
            s.header = h;
            s.task = inflater.submit(() -> s.fill(in, section));
            inFlight.add(s);
        }
    }

    private boolean refillFromWorkers() throws IOException {
        Slot s = inFlight.poll();
        if (s == null) {
            if (headerError != null) {
                TraceFormatException e = headerError;
                headerError = null;
                throw e;
            }
            return false;
        }
        try {
            s.task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a decompressed chunk");
        } catch (CancellationException e) {
            throw new TraceFormatException(in.name(), s.header.pos, section, "chunk decompression cancelled (reader closed)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new TraceFormatException(in.name(), s.header.pos, section, "corrupt chunk: " + cause, cause);
        }
        int u = s.header.usize;
        if (unread() == 0) {
            s.out = swapIn(s.out, u);
        } else {
            byte[] dst = room(u);
            System.arraycopy(s.out, 0, dst, end(), u);
            appended(u);
        }
        chunkOffset = s.header.pos;
        s.task = null;
        idle.add(s);
        submitAhead();
        return true;
    }

    @Override
    public long fileOffset(int index) {
        // Bytes of a compressed chunk have no file offset of their own: name the chunk.
        return chunkOffset;
    }

    /** One chunk in flight: its own compressed and decompressed buffers, reused for later chunks. */
    private final class Slot {
        Header header;
        Future<?> task;
        byte[] z = new byte[0];
        byte[] out = new byte[0];

        /** Runs on a worker: reads and decompresses the chunk into {@link #out}. */
        Void fill(FileInput file, String sect) throws IOException {
            Header h = header;
            if (z.length < h.zsize) {
                z = new byte[h.zsize];
            }
            if (out.length < h.usize) {
                out = new byte[Math.max(h.usize, pageSize)];
            }
            file.readFully(h.pos + 8, z, 0, h.zsize, sect);
            Codec c = inflater.borrow(codec);
            try {
                c.decompress(z, 0, h.zsize, out, 0, h.usize, file.name(), h.pos, sect);
            } finally {
                inflater.giveBack(c);
            }
            return null;
        }
    }
}
