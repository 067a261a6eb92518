package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.ReadStats;
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
 * (corrupt data, bad header) fails, or in lenient mode is skipped, at the point the sequential walk
 * would have reached it, with the same file offset and counts. Without one, each chunk is
 * decompressed on the caller's thread. Either way the buffers are reused: memory is a few chunks
 * per CPU, independent of the trace length.
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
    /** Lenient mode: where skipped chunks are counted; null in strict mode (a bad chunk throws). */
    private final ReadStats lenient;
    private final ChunkInflater inflater;
    private long chunkPos;
    private long chunksLeft;
    /** File offset of the chunk the current window came from (compressed bytes have no offset of their own). */
    private long chunkOffset;
    /** Sequential mode: compressed bytes of the current chunk. */
    private byte[] zbuf = new byte[0];
    /** Background mode: chunks submitted (and header failures), in file order, and idle slots to reuse. */
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    /** Background mode: no chunk after a bad header can be found; nothing more is submitted. */
    private boolean stopped;

    /** @param limit where the CPU's chunk table must end (its section's end) */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize)
            throws IOException {
        this(in, codec, section, offset, limit, pageSize, null, null);
    }

    /** @param lenient null: strict; else a bad chunk is skipped and counted there */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize,
                      ReadStats lenient) throws IOException {
        this(in, codec, section, offset, limit, pageSize, lenient, null);
    }

    /** As above; with a non-null {@code inflater} chunks are decompressed ahead on its threads. */
    ChunkedPageSource(FileInput in, Codec codec, String section, long offset, long limit, int pageSize,
                      ReadStats lenient, ChunkInflater inflater) throws IOException {
        super(pageSize, pageSize, in.order());
        this.in = in;
        this.lenient = lenient;
        this.codec = codec;
        this.section = section;
        this.end = limit;
        this.inflater = inflater;
        Cursor c = Cursor.ofFile(in, offset, end, section);
        long count = c.u32("compressed chunk count");
        // Each chunk has an 8-byte header: a count beyond that cannot fit in the declared size.
        if (count * 8 > c.remaining()) {
            TraceFormatException e = c.error("chunk count that fits the " + c.remaining() + " bytes of CPU data", count);
            if (lenient == null) {
                throw e;
            }
            // A file cut inside this CPU's data (or a bad count): the chunks that are there are read,
            // the first one that is not is reported when the walk reaches it.
            count = c.remaining() / 8;
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

    /**
     * Reads and checks the chunk header at {@link #chunkPos} and moves past the chunk; null when
     * none is left. On an error nothing moves (see {@link #skipBadHeader}).
     */
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

    /**
     * Lenient, after a bad header at {@link #chunkPos}: its compressed size is the only link to
     * the next chunk. When it fits the CPU data the next chunk is read from there (a chunk holds
     * whole pages, so the page walk stays in step) and the bytes passed over are returned; when it
     * does not, the rest of this CPU's data cannot be found (a file cut as by an interrupted
     * recording, or a garbage size) and minus the bytes left is returned.
     */
    private long skipBadHeader() throws IOException {
        long zsize = -1;
        if (end - chunkPos >= 8) {
            byte[] h = new byte[4];
            in.readFully(chunkPos, h, 0, 4, section);
            zsize = java.nio.ByteBuffer.wrap(h).order(in.order()).getInt(0) & 0xffffffffL;
        }
        if (zsize >= 0 && zsize <= end - chunkPos - 8) {
            chunkPos += 8 + zsize;
            chunksLeft--;
            return 8 + zsize;
        }
        long rest = end - chunkPos;
        chunksLeft = 0;
        return -rest;
    }

    /**
     * Counts a skipped chunk (lenient): {@code bytes} passed over, or minus the bytes of the CPU
     * data lost when the chunk chain broke; the unread tail of the previous chunk belonged to a
     * page this chunk would have completed, so it goes too.
     */
    private void countSkip(long bytes, TraceFormatException e) {
        long tail = discardUnread();
        if (bytes >= 0) {
            lenient.skipCorrupt("trace.dat compressed chunks skipped: chunk does not decompress or declares a bad size",
                    bytes + tail, e.getMessage());
        } else {
            lenient.skipCorrupt("trace.dat CPU data cut short: the rest of the CPU's chunks are not in the file "
                    + "(interrupted recording or bad chunk size)", -bytes + tail, e.getMessage());
        }
    }

    @Override
    protected boolean refill() throws IOException {
        return inflater == null ? refillHere() : refillFromWorkers();
    }

    private boolean refillHere() throws IOException {
        while (true) {
            Header h;
            try {
                h = nextHeader();
            } catch (TraceFormatException e) {
                if (lenient == null) {
                    throw e;
                }
                countSkip(skipBadHeader(), e);
                continue;
            }
            if (h == null) {
                return false;
            }
            try {
                if (zbuf.length < h.zsize) {
                    zbuf = new byte[h.zsize];
                }
                in.readFully(h.pos + 8, zbuf, 0, h.zsize, section);
                byte[] out = room(h.usize);
                codec.decompress(zbuf, 0, h.zsize, out, end(), h.usize, in.name(), h.pos, section);
            } catch (TraceFormatException e) {
                if (lenient == null) {
                    throw e;
                }
                countSkip(8L + h.zsize, e);
                continue;
            }
            appended(h.usize);
            chunkOffset = h.pos;
            return true;
        }
    }

    /** Queues chunks on the workers until {@link #DEPTH} are in flight or no next chunk can be found. */
    private void submitAhead() {
        while (!idle.isEmpty() && !stopped) {
            Slot s = idle.peek();
            Header h;
            try {
                h = nextHeader();
            } catch (IOException e) {
                // Raised (strict) or counted (lenient) when the walk gets here, after the chunks before it.
                TraceFormatException tfe = e instanceof TraceFormatException t ? t
                        : new TraceFormatException(in.name(), chunkPos, section, "unreadable chunk header: " + e, e);
                long skipped = 0;
                if (lenient != null) {
                    try {
                        skipped = skipBadHeader();
                    } catch (IOException again) {
                        skipped = -(end - chunkPos);
                        chunksLeft = 0;
                    }
                }
                stopped = lenient == null || skipped < 0;
                idle.poll();
                s.header = null;
                s.headerError = tfe;
                s.skipped = skipped;
                inFlight.add(s);
                continue;
            }
            if (h == null) {
                return;
            }
            idle.poll();
            s.header = h;
            s.headerError = null;
            s.task = inflater.submit(() -> s.fill(in, section));
            inFlight.add(s);
        }
    }

    private boolean refillFromWorkers() throws IOException {
        while (true) {
            Slot s = inFlight.poll();
            if (s == null) {
                return false;
            }
            // (read what the slot says before recycle(): the slot is reused for a later chunk at once)
            if (s.headerError != null) {
                TraceFormatException e = s.headerError;
                long skipped = s.skipped;
                recycle(s);
                if (lenient == null) {
                    throw e;
                }
                countSkip(skipped, e);
                continue;
            }
            TraceFormatException failed = await(s);
            if (failed != null) {
                long skipped = 8L + s.header.zsize;
                recycle(s);
                if (lenient == null) {
                    throw failed;
                }
                countSkip(skipped, failed);
                continue;
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
            recycle(s);
            return true;
        }
    }

    /** Waits for a slot's chunk; the format error it failed with, or null. */
    private TraceFormatException await(Slot s) throws IOException {
        try {
            s.task.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a decompressed chunk");
        } catch (CancellationException e) {
            throw new TraceFormatException(in.name(), s.header.pos, section,
                    "chunk decompression cancelled (reader closed)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TraceFormatException tfe) {
                return tfe;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            return new TraceFormatException(in.name(), s.header.pos, section, "corrupt chunk: " + cause, cause);
        }
    }

    private void recycle(Slot s) {
        s.task = null;
        s.headerError = null;
        idle.add(s);
        submitAhead();
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
        /** A header that failed at this place in the chain, and (lenient) the bytes skipped for it. */
        TraceFormatException headerError;
        long skipped;
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
