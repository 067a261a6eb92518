package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads over one trace.dat file. Positional (not streaming) because trace.dat is a
 * table of offsets: v7 options point anywhere, and per-CPU data is read by up to hundreds of
 * cursors at once. Every read is checked against the file size first, so a size field pointing
 * past the end becomes a {@link TraceFormatException}, never a short read or a huge allocation.
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public final class FileInput implements Closeable {
    private final FileChannel channel;
    private final String name;
    private final long size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private FileInput(FileChannel channel, String name, long size) {
        this.channel = channel;
        this.name = name;
        this.size = size;
    }

    public static FileInput open(Path file, String displayName) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileInput(ch, displayName == null ? file.toString() : displayName, ch.size());
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The name used in error messages (what the user typed). */
    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    /** The file's byte order, known once the endianness byte of the header is read. */
    public ByteOrder order() {
        return order;
    }

    public void order(ByteOrder order) {
        this.order = order;
    }

    /** Throws unless {@code [pos, pos + len)} lies inside the file. */
    public void checkRange(long pos, long len, String section, String what) throws TraceFormatException {
        if (pos < 0 || pos > size) {
            throw TraceFormatException.expected(name, pos, section,
                    what + " at an offset inside the " + size + "-byte file",
                    "offset " + Long.toUnsignedString(pos) + " (file truncated?)");
        }
        if (len < 0 || len > size - pos) {
            throw TraceFormatException.expected(name, pos, section,
                    what + " of " + Long.toUnsignedString(len) + " bytes inside the " + size + "-byte file",
                    "only " + (size - pos) + " bytes left (file truncated?)");
        }
    }

    /** Reads exactly {@code len} bytes at {@code pos} into {@code dst[off..]}. */
    public void readFully(long pos, byte[] dst, int off, int len, String section) throws IOException {
        checkRange(pos, len, section, "data");
        ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
        long p = pos;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, p);
            if (n < 0) {
                // The file shrank under us (checked against size() above).
                throw TraceFormatException.expected(name, p, section, len + " bytes", "end of file");
            }
            p += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
