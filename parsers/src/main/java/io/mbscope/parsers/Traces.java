package io.mbscope.parsers;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Opens any trace mbscope reads, choosing the reader from the first bytes (never from the file
 * name): trace.dat v6/v7, perf.data (file and pipe mode), or one of the text formats. zstd-compressed
 * inputs ({@code .zst}) are decompressed on the fly; {@code "-"} reads standard input.
 */
public final class Traces {
    static final byte[] TRACE_DAT_MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    static final byte[] PERF_MAGIC = {'P', 'E', 'R', 'F', 'I', 'L', 'E', '2'};
    static final byte[] PERF_MAGIC_SWAPPED = {'2', 'E', 'L', 'I', 'F', 'R', 'E', 'P'};
    static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    /** perf pipe mode writes a 16-byte header (magic + size); file mode's header is larger. */
    static final int PERF_PIPE_HEADER_SIZE = 16;

    private Traces() {
    }

    /** Opens a file, or standard input for "-". */
    public static TraceReader open(Path file) throws IOException {
        return open(file, file.toString());
    }

    /**
     * Opens a file, or standard input for "-", with the given treatment of corrupt data. In lenient
     * mode each reader skips the unit it cannot read and goes on: a trace.dat ring-buffer page or v7
     * compressed chunk, a perf.data record (or the bytes up to the next plausible record header), a
     * text line; an interrupted recording reads up to its cut. Each skip is counted in
     * {@link ReadStats} under a reason starting with {@link ReadOptions#CORRUPT_PREFIX}, with its
     * bytes ({@link ReadStats#corruptBytes()}) and the place of the first few. An error a reader
     * cannot resynchronise after ends the trace there, counted the same way.
     */
    public static TraceReader open(Path file, ReadOptions options) throws IOException {
        TraceReader r = open(file, file.toString(), options);
        return options.lenient() ? new LenientReader(r) : r;
    }

    public static TraceReader open(Path file, String displayName) throws IOException {
        return open(file, displayName, ReadOptions.STRICT);
    }

    private static TraceReader open(Path file, String displayName, ReadOptions options) throws IOException {
        if (displayName.equals("-") || file.toString().equals("-")) {
            return open(System.in, "-", null, options);
        }
        if (!Files.isRegularFile(file)) {
            throw new TraceFormatException(displayName, -1, null,
                    Files.exists(file) ? "not a regular file" : "no such file");
        }
        byte[] head = readHead(file, 16);
        if (startsWith(head, ZSTD_MAGIC)) {
            // Binary readers need random access (v7 sections, perf feature sections at the end):
            // spool the decompressed stream to a temporary file that lives as long as the reader.
            // counted under the decoder, so an error names the compressed byte it stopped at
            CountingInputStream counted = new CountingInputStream(
                    new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            InputStream in = new ZstdInputStream(counted);
            try {
                return open(in, displayName, formatsDirNextTo(file), options);
            } catch (IOException | RuntimeException e) {
                in.close();
                if (e instanceof TraceFormatException t) {
                    throw t;
                }
                throw new TraceFormatException(displayName, counted.count(), "zstd stream",
                        "cannot decompress: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            }
        }
        return openDetected(file, head, displayName, null, formatsDirNextTo(file), options);
    }

    /**
     * Opens a stream. Text and perf pipe mode are read as they come; trace.dat and perf.data file
     * mode need random access and are spooled to a temporary file first.
     */
    public static TraceReader open(InputStream in, String displayName) throws IOException {
        return open(in, displayName, null, ReadOptions.STRICT);
    }

    private static TraceReader open(InputStream in, String displayName, Path formatsDir, ReadOptions options)
            throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(64);
        byte[] head = b.readNBytes(16);
        b.reset();
        if (startsWith(head, ZSTD_MAGIC)) {
            return open(new ZstdInputStream(b), displayName, formatsDir, options);
        }
        if (isPerf(head) && perfHeaderSize(head) == PERF_PIPE_HEADER_SIZE) {
            return Readers.perfPipe(b, displayName, options);
        }
        if (startsWith(head, TRACE_DAT_MAGIC) || isPerf(head)) {
            Path tmp = Files.createTempFile("mbscope-", ".spool");
            tmp.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                b.transferTo(out);
                b.close();
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw new TraceFormatException(displayName, -1, "input stream", "cannot read: " + e.getMessage(), e);
            }
            return openDetected(tmp, head, displayName, tmp, formatsDir, options);
        }
        return Readers.text(b, displayName, formatsDir, options);
    }

    /** A capture folder's formats/ directory beside the trace, used to decode text traces. */
    private static Path formatsDirNextTo(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        Path formats = parent == null ? null : parent.resolve("formats");
        return formats != null && Files.isDirectory(formats) ? formats : null;
    }

    private static TraceReader openDetected(Path file, byte[] head, String displayName, Path deleteOnClose,
                                            Path formatsDir, ReadOptions options) throws IOException {
        TraceReader r;
        if (startsWith(head, TRACE_DAT_MAGIC)) {
            r = Readers.traceDat(file, displayName, options);
        } else if (isPerf(head)) {
            if (perfHeaderSize(head) == PERF_PIPE_HEADER_SIZE) {
                r = Readers.perfPipe(new BufferedInputStream(Files.newInputStream(file), 1 << 16), displayName,
                        options);
            } else {
                r = Readers.perfFile(file, displayName, options);
            }
        } else if (looksBinary(head)) {
            throw new UnsupportedFormatException(displayName, 0, "file header",
                    "not a trace mbscope reads: expected trace.dat magic \\x17\\x08\\x44tracing, perf.data "
                            + "magic PERFILE2, zstd magic or text, found bytes " + hex(head));
        } else {
            r = Readers.text(new BufferedInputStream(Files.newInputStream(file), 1 << 16), displayName, formatsDir,
                    options);
        }
        return deleteOnClose == null ? r : new DeletingReader(r, deleteOnClose);
    }

    static boolean isPerf(byte[] head) {
        return startsWith(head, PERF_MAGIC) || startsWith(head, PERF_MAGIC_SWAPPED);
    }

    static long perfHeaderSize(byte[] head) {
        if (head.length < 16) {
            return -1;
        }
        long v = 0;
        boolean little = startsWith(head, PERF_MAGIC);
        for (int i = 0; i < 8; i++) {
            int idx = little ? 8 + i : 15 - i;
            v |= (head[idx] & 0xffL) << (8 * i);
        }
        return v;
    }

    private static boolean looksBinary(byte[] head) {
        for (byte c : head) {
            if (c == 0 || ((c & 0xff) < 0x09)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] readHead(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    /** A reader that passes everything to another; wrappers override what they change. */
    private abstract static class ForwardingReader implements TraceReader {
        final TraceReader delegate;

        ForwardingReader(TraceReader delegate) {
            this.delegate = delegate;
        }

        @Override
        public TraceInfo info() {
            return delegate.info();
        }

        @Override
        public io.mbscope.parsers.format.FormatRegistry formats() {
            return delegate.formats();
        }

        @Override
        public io.mbscope.parsers.event.TraceEvent next() throws IOException {
            return delegate.next();
        }

        @Override
        public ReadStats stats() {
            return delegate.stats();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /**
     * Lenient mode, last resort: an error the reader could not resynchronise after (a text line
     * over the length cap, a damaged perf tracing-data record, ...) ends the trace, counted as one
     * skip whose place is the error (file, offset, section).
     */
    private static final class LenientReader extends ForwardingReader {
        private boolean ended;

        LenientReader(TraceReader delegate) {
            super(delegate);
        }

        @Override
        public io.mbscope.parsers.event.TraceEvent next() throws IOException {
            if (ended) {
                return null;
            }
            try {
                return delegate.next();
            } catch (UnsupportedFormatException e) {
                throw e;
            } catch (TraceFormatException e) {
                ended = true;
                delegate.stats().skipCorrupt("rest of the input not read: error without a way to resynchronise", -1,
                        e.getMessage());
                return null;
            }
        }
    }

    /** Counts the bytes read through it (for error offsets in compressed input). */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }

        long count() {
            return count;
        }
    }

    /** Deletes the spooled temporary file when the reader is closed. */
    private static final class DeletingReader extends ForwardingReader {
        private final Path tmp;

        DeletingReader(TraceReader delegate, Path tmp) {
            super(delegate);
            this.tmp = tmp;
        }

        @Override
        public void close() throws IOException {
            try {
                delegate.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
