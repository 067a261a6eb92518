package io.mbscope.replay.fs;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceFormatException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random reads from a device image that may be plain (possibly a file with holes), zstd-compressed,
 * or an Android sparse image (plain or inside zstd). Compressed and sparse images are read as a
 * forward stream: reads must mostly come in ascending offset order; a read behind the current
 * position re-opens the stream (rare: only meta_bg layouts whose bitmaps precede a later GDT block).
 * Memory stays at a few buffers whatever the image size.
 */
abstract class ImageInput implements Closeable {
    static final int ZSTD_MAGIC = 0xFD2FB528;
    static final int SPARSE_MAGIC = 0xED26FF3A;

    final Path path;
    final String name;

    ImageInput(Path path) {
        this.path = path;
        this.name = path.toString();
    }

    /** Reads exactly {@code len} bytes at {@code offset}; TraceFormatException if the image ends first. */
    abstract byte[] read(long offset, int len, String section) throws IOException;

    /** Total image size in bytes; may read the rest of a stream to learn it. */
    abstract long size() throws IOException;

    /**
     * An upper bound of the image size that costs no decompression: exact for plain and Android
     * sparse images, from the zstd block headers otherwise ({@link ZstdFrames}).
     */
    abstract long cheapSizeBound() throws IOException;

    /** Whether {@link #cheapSizeBound()} is the exact size. */
    abstract boolean cheapSizeIsExact();

    /** How the image is stored, for messages and {@link FsState#source()}. */
    abstract String kind();

    static ImageInput open(Path path) throws IOException {
        int magic = peekMagic(path);
        if (magic == ZSTD_MAGIC) {
            return new StreamInput(path, true);
        }
        if (magic == SPARSE_MAGIC) {
            return new StreamInput(path, false);
        }
        return new PlainInput(path);
    }

    private static int peekMagic(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                return 0;
            }
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        }
    }

    TraceFormatException truncated(long offset, int len, long end, String section) {
        return new TraceFormatException(name, offset, section, "expected " + len + " bytes at offset " + offset
                + ", the " + kind() + " image ends at byte " + end + " (truncated image?)");
    }

    /**
     * Uncompressed raw image: positional reads, holes read as zeros. A block device (e.g. /dev/sdb)
     * works too; its size is not known to the JDK (FileChannel.size() is 0), so it is not checked.
     */
    static final class PlainInput extends ImageInput {
        private final FileChannel ch;
        private final boolean regular;

        PlainInput(Path path) throws IOException {
            super(path);
            this.ch = FileChannel.open(path, StandardOpenOption.READ);
            this.regular = Files.isRegularFile(path);
        }

        @Override
        byte[] read(long offset, int len, String section) throws IOException {
            long size = regular ? ch.size() : Long.MAX_VALUE;
            if (offset < 0 || offset > size - len) {
                throw truncated(offset, len, size, section);
            }
            ByteBuffer buf = ByteBuffer.allocate(len);
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    throw truncated(offset, len, offset + buf.position(), section);
                }
            }
            return buf.array();
        }

        @Override
        long size() throws IOException {
            return regular ? ch.size() : Long.MAX_VALUE;
        }

        @Override
        long cheapSizeBound() throws IOException {
            return size();
        }

        @Override
        boolean cheapSizeIsExact() {
            return regular;
        }

        @Override
        String kind() {
            return "raw";
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** zstd and/or Android sparse: a forward stream with cheap skipping. */
    static final class StreamInput extends ImageInput {
        private final boolean zstd;
        private InputStream in;
        private long pos;
        private boolean sparse;
        private long knownSize = -1;
        private final byte[] skipBuf = new byte[1 << 16];

        StreamInput(Path path, boolean zstd) throws IOException {
            super(path);
            this.zstd = zstd;
            reopen();
        }

        private void reopen() throws IOException {
            if (in != null) {
                in.close();
            }
            InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            InputStream s = zstd ? new ZstdInputStream(raw) : raw;
            s = new BufferedInputStream(s, 1 << 16);
            s.mark(4);
            byte[] m;
            try {
                m = s.readNBytes(4);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw new TraceFormatException(name, 0, "image", "cannot decompress the start of the image: "
                        + e.getMessage(), e);
            }
            s.reset();
            int magic = m.length < 4 ? 0
                    : (m[0] & 0xff) | (m[1] & 0xff) << 8 | (m[2] & 0xff) << 16 | (m[3] & 0xff) << 24;
            sparse = magic == SPARSE_MAGIC;
            if (sparse) {
                AndroidSparseInputStream a = new AndroidSparseInputStream(s, name);
                knownSize = a.expandedSize();
                s = a;
            }
            in = s;
            pos = 0;
        }

        @Override
        String kind() {
            return (sparse ? "Android sparse" : "raw") + (zstd ? " (zstd)" : "");
        }

        @Override
        byte[] read(long offset, int len, String section) throws IOException {
            if (offset < pos) {
                reopen();
            }
            try {
                skipTo(offset, section, len);
                byte[] out = new byte[len];
                int got = in.readNBytes(out, 0, len);
                pos += got;
                if (got < len) {
                    throw truncated(offset, len, pos, section);
                }
                return out;
            } catch (TraceFormatException e) {
                throw e;
            } catch (EOFException e) {
                throw truncated(offset, len, pos, section);
            } catch (IOException | RuntimeException e) {
                // aircompressor reports a damaged frame with unchecked exceptions
                throw new TraceFormatException(name, offset, section,
                        "cannot decompress the image near uncompressed offset " + pos + ": " + e.getMessage(), e);
            }
        }

        private void skipTo(long offset, String section, int len) throws IOException {
            while (pos < offset) {
                int want = (int) Math.min(skipBuf.length, offset - pos);
                long n = in instanceof AndroidSparseInputStream ? in.skip(want) : in.read(skipBuf, 0, want);
                if (n <= 0) {
                    if (in instanceof AndroidSparseInputStream && in.read() >= 0) {
                        pos++;
                        continue;
                    }
                    throw truncated(offset, len, pos, section);
                }
                pos += n;
            }
        }

        @Override
        boolean cheapSizeIsExact() {
            return knownSize >= 0;
        }

        @Override
        long cheapSizeBound() throws IOException {
            if (knownSize >= 0) {
                return knownSize;
            }
            ZstdFrames.Bound b = ZstdFrames.scan(path);
            return b.exact() >= 0 ? b.exact() : b.upperBound();
        }

        @Override
        long size() throws IOException {
            if (knownSize >= 0) {
                return knownSize;
            }
            try {
                while (true) {
                    int n = in.read(skipBuf, 0, skipBuf.length);
                    if (n < 0) {
                        knownSize = pos;
                        return pos;
                    }
                    pos += n;
                }
            } catch (IOException | RuntimeException e) {
                throw new TraceFormatException(name, pos, "image",
                        "cannot decompress the image near uncompressed offset " + pos + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
