package io.mbscope.parsers.perf;

import io.mbscope.parsers.ReadOptions;
import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.EventTyper;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.parsers.format.PayloadDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads perf.data as written by {@code perf record} (file mode, "PERFILE2" header with attr, data
 * and feature sections) and by {@code perf record -o -} (pipe mode: a 16-byte header, then the
 * attrs, features and tracing data as in-stream records), including zstd-compressed data
 * ({@code perf record -z}). Tracepoint samples are decoded with the format files carried in the
 * trace's own tracing data.
 *
 * <p>Ordering follows perf's contract (tools/perf/util/session.c, process_finished_round): records
 * are only time-ordered within one CPU buffer; after PERF_RECORD_FINISHED_ROUND every queued event
 * older than the newest timestamp seen at the previous round mark can be emitted. Memory is thus
 * bounded by what one round holds (the mmap buffer size), never by the trace length.
 */
public final class PerfDataReader implements TraceReader {
    // perf_event_type (include/uapi/linux/perf_event.h) and perf_user_event_type (tools/lib/perf event.h)
    static final int R_MMAP = 1;
    static final int R_LOST = 2;
    static final int R_COMM = 3;
    static final int R_EXIT = 4;
    static final int R_FORK = 7;
    static final int R_SAMPLE = 9;
    static final int R_LOST_SAMPLES = 13;
    static final int R_KERNEL_LAST = 21; // PERF_RECORD_AUX_OUTPUT_HW_ID
    static final int R_HEADER_ATTR = 64;
    static final int R_HEADER_EVENT_TYPE = 65;
    static final int R_HEADER_TRACING_DATA = 66;
    static final int R_HEADER_BUILD_ID = 67;
    static final int R_FINISHED_ROUND = 68;
    static final int R_ID_INDEX = 69;
    static final int R_AUXTRACE_INFO = 70;
    static final int R_AUXTRACE = 71;
    static final int R_EVENT_UPDATE = 78;
    static final int R_TIME_CONV = 79;
    static final int R_HEADER_FEATURE = 80;
    static final int R_COMPRESSED = 81;
    static final int R_FINISHED_INIT = 82;
    static final int R_COMPRESSED2 = 83;
    static final int R_BPF_METADATA = 84;

    // feature bits (tools/perf/util/header.h)
    static final int F_TRACING_DATA = 1;
    static final int F_OSRELEASE = 4;
    static final int F_NRCPUS = 7;
    static final int F_EVENT_DESC = 12;
    static final int F_CLOCKID = 23;
    static final int F_DIR_FORMAT = 24;
    static final int F_COMPRESSED = 27;
    static final int F_CLOCK_DATA = 29;

    static final long MAGIC_LE = 0x32454c4946524550L; // "PERFILE2" read little-endian
    static final long MAGIC_V1 = 0x454c494646524550L; // "PERFFILE": perf before 2010
    static final int FILE_HEADER_SIZE = 104;
    static final int PIPE_HEADER_SIZE = 16;

    private static final int MAX_ATTRS = 1 << 16;
    private static final long MAX_IDS = 1 << 20;
    private static final int MAX_FEATURE = 64 << 20;
    private static final long MAX_TRACING_DATA = 1L << 32;
    /** Safety valve for files without round marks: perf's ordered_events flushes half too. */
    private static final int MAX_PENDING = 1 << 21;
    private static final long DEFAULT_DECOMP_BOUND = 256L << 20;

    private final String file;
    private final boolean pipe;
    private final ReadStats stats = new ReadStats();
    private final List<PerfAttr> attrs = new ArrayList<>();
    private final Map<Long, PerfAttr> attrById = new HashMap<>();
    private final Map<Integer, String> comms = new HashMap<>();
    /** Last tid looked up in comms (most consecutive events come from one task). */
    private int cachedTid = Integer.MIN_VALUE;
    private String cachedComm;
    private PendingArena queue = new PendingArena(PendingArena.DEFAULT_CHUNK_BITS);
    /** Formats by id for the emit path (common_type is a u16), filled from {@link #formats} on demand. */
    private final EventFormat[] formatById = new EventFormat[1 << 16];
    private byte[] payloadArray;
    private ByteBuffer payloadView;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private FileChannel channel;
    private InputStream stream;
    private SeqInput in;
    private TracingData tracing;
    private FormatRegistry formats = new FormatRegistry();
    private ByteOrder payloadOrder;
    private TraceInfo info;

    private String kernelRelease;
    private int clockidFeature = -1;
    private int nrCpus;
    private int compressionType = -1;
    private long compMmapLen;
    private ZstdRecordStream zstd;

    private long maxTs = Long.MIN_VALUE;
    private long nextFlush = Long.MIN_VALUE;
    private long flushLimit = Long.MIN_VALUE;
    private long lastEmittedTs = Long.MIN_VALUE;
    private int forceDrain;
    private boolean eof;
    private int maxPending = MAX_PENDING;
    private final Map<Integer, String> eventNames = new HashMap<>();
    /** Lenient: a bad record is skipped (see {@link #resync}); strict: it ends the read with an error. */
    private boolean lenient;
    /** Lenient: a compressed record did not decompress; records continuing that zstd stream are skipped. */
    private boolean zstdBroken;
    /** Offset of the first record: records are u64-aligned from there (file data section, pipe header). */
    private long dataStart = PIPE_HEADER_SIZE;

    private PerfDataReader(String file, boolean pipe) {
        this.file = file;
        this.pipe = pipe;
    }

    /**
     * As {@link #open(Path, String)}. Lenient: a record that cannot be read is skipped. With a sane
     * header (size inside the data, followed by another sane header) exactly that record is
     * skipped; otherwise the data is scanned forward in 8-byte steps (perf records are u64-aligned)
     * to the next offset holding a plausible record header (known type, size at least 8 and inside
     * the data, unused misc bits clear) that is itself followed by one or by the end of the data; a
     * PERF_RECORD_FINISHED_ROUND, the 8 bytes perf writes between rounds, is such a header. A
     * compressed record that does not decompress is skipped with every following one that
     * continues its zstd stream (perf compresses the whole session as one stream), up to one that
     * starts a new zstd frame. Every skip is counted in {@link #stats()} under a "corrupt: " reason.
     */
    public static TraceReader open(Path path, String displayName, ReadOptions options) throws IOException {
        TraceReader r = open(path, displayName);
        ((PerfDataReader) r).lenient = options.lenient();
        return r;
    }

    /** As {@link #openPipe(InputStream, String)}, lenient as in {@link #open(Path, String, ReadOptions)}. */
    public static TraceReader openPipe(InputStream in, String displayName, ReadOptions options) throws IOException {
        TraceReader r = openPipe(in, displayName);
        ((PerfDataReader) r).lenient = options.lenient();
        return r;
    }

    /** Opens a perf.data file (file mode; a file holding pipe-mode output is read as a pipe). */
    public static TraceReader open(Path path, String displayName) throws IOException {
        String name = displayName != null ? displayName : path.toString();
        if (java.nio.file.Files.isDirectory(path)) {
            throw new UnsupportedFormatException(name, -1, "perf.data directory",
                    "the directory format of perf record --threads (one data file per thread); record without"
                            + " --threads");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(16);
            readFully(ch, head, 0, name, "file header");
            ByteOrder o = magicOrder(head.order(ByteOrder.LITTLE_ENDIAN).getLong(0), name);
            long hsize = head.order(o).getLong(8);
            if (hsize == PIPE_HEADER_SIZE) {
                PerfDataReader r = new PerfDataReader(name, true);
                r.channel = ch;
                r.openPipeStream(Channels.newInputStream(ch.position(0)), o);
                return r;
            }
            PerfDataReader r = new PerfDataReader(name, false);
            r.channel = ch;
            r.order = o;
            r.openFile();
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads {@code perf record -o -} output from a stream (which this reader closes). */
    public static TraceReader openPipe(InputStream in, String displayName) throws IOException {
        String name = displayName != null ? displayName : "-";
        PerfDataReader r = new PerfDataReader(name, true);
        try {
            r.openPipeStream(in, null);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return r;
    }

    private static ByteOrder magicOrder(long magicLe, String file) throws TraceFormatException {
        if (magicLe == MAGIC_LE) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (magicLe == Long.reverseBytes(MAGIC_LE)) {
            // Written on a big-endian machine: perf's __perf_magic2_sw; every number is big-endian.
            return ByteOrder.BIG_ENDIAN;
        }
        if (magicLe == MAGIC_V1 || magicLe == Long.reverseBytes(MAGIC_V1)) {
            throw new UnsupportedFormatException(file, 0, "file header",
                    "perf.data version 1 (\"PERFFILE\", perf before 2.6.37); re-record with a newer perf");
        }
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(magicLe).array();
        StringBuilder found = new StringBuilder("'");
        for (byte x : b) {
            found.append(x >= 32 && x < 127 ? Character.toString((char) x) : String.format("\\x%02x", x & 0xff));
        }
        throw TraceFormatException.expected(file, 0, "file header", "magic 'PERFILE2'", found.append('\'').toString());
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long at, String file, String section)
            throws IOException {
        long pos = at;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw TraceFormatException.expected(file, at, section, dst.capacity() + " bytes",
                        "end of file after " + (pos - at));
            }
            pos += r;
        }
        dst.flip();
    }

    // ------------------------------------------------------------------ file mode

    private void openFile() throws IOException {
        long fileSize = channel.size();
        if (fileSize < 72) {
            throw TraceFormatException.expected(file, 0, "file header", "a header of at least 72 bytes",
                    fileSize + "-byte file");
        }
        ByteBuffer h = ByteBuffer.allocate((int) Math.min(FILE_HEADER_SIZE, fileSize));
        readFully(channel, h, 0, file, "file header");
        h.order(order);
        long hsize = h.getLong(8);
        if (hsize != FILE_HEADER_SIZE && hsize != 72) {
            throw new UnsupportedFormatException(file, 8, "file header",
                    "header size " + hsize + " (perf writes 104, older perf 72, pipe mode 16)");
        }
        long attrSize = h.getLong(16);
        long attrsOff = h.getLong(24);
        long attrsSize = h.getLong(32);
        long dataOff = h.getLong(40);
        long dataSize = h.getLong(48);
        long[] featBits = new long[4];
        if (hsize == FILE_HEADER_SIZE) {
            if (h.limit() < FILE_HEADER_SIZE) {
                throw TraceFormatException.expected(file, 0, "file header", "104 bytes", h.limit());
            }
            for (int i = 0; i < 4; i++) {
                featBits[i] = h.getLong(72 + 8 * i);
            }
        }
        checkSection("attrs section", 24, attrsOff, attrsSize, fileSize);
        checkSection("data section", 40, dataOff, dataSize, fileSize);
        if (attrSize < PerfAttr.SIZE_VER0 + 16 || attrSize > 4096) {
            throw TraceFormatException.expected(file, 16, "file header attr_size",
                    "perf_file_attr size between 80 and 4096", attrSize);
        }
        if (attrsSize % attrSize != 0 || attrsSize / attrSize > MAX_ATTRS) {
            throw TraceFormatException.expected(file, 32, "attrs section",
                    "a whole number (at most " + MAX_ATTRS + ") of " + attrSize + "-byte attrs", attrsSize + " bytes");
        }
        readFileAttrs(attrsOff, (int) (attrsSize / attrSize), (int) attrSize, fileSize);
        readFeatures(featBits, dataOff + dataSize, fileSize);
        finishHeader();
        in = SeqInput.ofChannel(channel, file, dataOff, dataOff + dataSize, order);
        dataStart = dataOff;
        info = new TraceInfo(file, TraceFormat.PERF_DATA, kernelRelease, clockName(), nrCpus, List.of());
    }

    private void checkSection(String what, long headerOffset, long off, long size, long fileSize)
            throws TraceFormatException {
        if (off < 0 || size < 0 || off > fileSize || size > fileSize - off) {
            throw TraceFormatException.expected(file, headerOffset, what,
                    "offset+size within the " + fileSize + "-byte file", "offset " + off + " size " + size);
        }
    }

    private void readFileAttrs(long off, int n, int entrySize, long fileSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n * entrySize);
        readFully(channel, b, off, file, "attrs section");
        b.order(order);
        int maxAttr = entrySize - 16;
        for (int i = 0; i < n; i++) {
            int at = i * entrySize;
            int declared = b.getInt(at + 4);
            int size = declared == 0 ? PerfAttr.SIZE_VER0 : declared;
            if (size < PerfAttr.SIZE_VER0 || size > maxAttr) {
                throw TraceFormatException.expected(file, off + at + 4, "attr " + i + " size",
                        "between 64 and " + maxAttr, declared);
            }
            PerfAttr a = PerfAttr.decode(b, at, size);
            long idsOff = b.getLong(at + maxAttr);
            long idsSize = b.getLong(at + maxAttr + 8);
            checkSection("ids of attr " + i, off + at + maxAttr, idsOff, idsSize, fileSize);
            if (idsSize % 8 != 0 || idsSize / 8 > MAX_IDS) {
                throw TraceFormatException.expected(file, off + at + maxAttr + 8, "ids of attr " + i,
                        "a multiple of 8 bytes, at most " + MAX_IDS + " ids", idsSize);
            }
            ByteBuffer ids = ByteBuffer.allocate((int) idsSize);
            readFully(channel, ids, idsOff, file, "ids of attr " + i);
            ids.order(order);
            addAttr(a, ids, 0, (int) (idsSize / 8));
        }
    }

    private void addAttr(PerfAttr a, ByteBuffer ids, int at, int n) {
        attrs.add(a);
        for (int k = 0; k < n; k++) {
            attrById.put(ids.getLong(at + 8 * k), a);
        }
    }

    private void readFeatures(long[] bits, long at, long fileSize) throws IOException {
        int n = 0;
        for (long w : bits) {
            n += Long.bitCount(w);
        }
        if (n == 0) {
            return;
        }
        checkSection("feature section table", 40, at, 16L * n, fileSize);
        ByteBuffer t = ByteBuffer.allocate(16 * n);
        readFully(channel, t, at, file, "feature section table");
        t.order(order);
        int idx = 0;
        for (int feat = 0; feat < 256; feat++) {
            if ((bits[feat >>> 6] & (1L << (feat & 63))) == 0) {
                continue;
            }
            long off = t.getLong(16 * idx);
            long size = t.getLong(16 * idx + 8);
            String what = "feature " + featureName(feat);
            checkSection(what, at + 16L * idx, off, size, fileSize);
            idx++;
            if (feat == F_DIR_FORMAT) {
                throw new UnsupportedFormatException(file, off, what,
                        "the directory format of perf record --threads: events of the other threads are in sibling"
                                + " data.N files");
            }
            if (feat == F_TRACING_DATA) {
                SeqInput s = SeqInput.ofChannel(channel, file, off, off + size, order);
                tracing = TracingData.parse(s, "HEADER_TRACING_DATA");
            } else if (isUsedFeature(feat)) {
                if (size > MAX_FEATURE) {
                    throw TraceFormatException.expected(file, off, what, "at most " + MAX_FEATURE + " bytes", size);
                }
                ByteBuffer b = ByteBuffer.allocate((int) size);
                readFully(channel, b, off, file, what);
                b.order(order);
                feature(feat, b, 0, (int) size, off);
            }
            // every other feature (build ids, topology, cmdline, ...) is skipped by its section size
        }
    }

    private static boolean isUsedFeature(int feat) {
        return feat == F_OSRELEASE || feat == F_NRCPUS || feat == F_EVENT_DESC || feat == F_CLOCKID
                || feat == F_COMPRESSED || feat == F_CLOCK_DATA;
    }

    private static String featureName(int feat) {
        switch (feat) {
            case F_TRACING_DATA: return "HEADER_TRACING_DATA";
            case F_OSRELEASE: return "HEADER_OSRELEASE";
            case F_NRCPUS: return "HEADER_NRCPUS";
            case F_EVENT_DESC: return "HEADER_EVENT_DESC";
            case F_CLOCKID: return "HEADER_CLOCKID";
            case F_COMPRESSED: return "HEADER_COMPRESSED";
            case F_CLOCK_DATA: return "HEADER_CLOCK_DATA";
            case F_DIR_FORMAT: return "HEADER_DIR_FORMAT";
            default: return "#" + feat;
        }
    }

    /** One feature section's content, file and pipe mode alike (tools/perf/util/header.c process_*). */
    private void feature(int feat, ByteBuffer b, int at, int len, long off) throws TraceFormatException {
        String what = featureName(feat);
        switch (feat) {
            case F_OSRELEASE:
                kernelRelease = headerString(b, at, len, off, what);
                break;
            case F_NRCPUS:
                need(len, 8, off, what);
                // nr_cpus_available (max present) first, then nr_cpus_online
                nrCpus = b.getInt(at);
                break;
            case F_CLOCKID:
                need(len, 8, off, what);
                clockidFeature = (int) b.getLong(at);
                break;
            case F_CLOCK_DATA:
                need(len, 8, off, what);
                if (clockidFeature < 0) {
                    clockidFeature = b.getInt(at + 4);
                }
                break;
            case F_COMPRESSED:
                need(len, 20, off, what);
                compressionType = b.getInt(at + 4);
                compMmapLen = b.getInt(at + 16) & 0xffffffffL;
                break;
            case F_EVENT_DESC:
                eventDesc(b, at, len, off);
                break;
            default:
                break;
        }
    }

    private void need(int len, int n, long off, String what) throws TraceFormatException {
        if (len < n) {
            throw TraceFormatException.expected(file, off, what, "at least " + n + " bytes", len);
        }
    }

    /** perf_header_string: u32 len (NUL and padding included), then the bytes. */
    private String headerString(ByteBuffer b, int at, int len, long off, String what) throws TraceFormatException {
        need(len, 4, off, what);
        long n = b.getInt(at) & 0xffffffffL;
        if (n > len - 4) {
            throw TraceFormatException.expected(file, off, what, "a string of at most " + (len - 4) + " bytes", n);
        }
        int end = at + 4;
        while (end < at + 4 + n && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - at - 4];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.get(at + 4 + i);
        }
        return new String(s, StandardCharsets.UTF_8);
    }

    /** HEADER_EVENT_DESC: u32 nr, u32 attr_size, then per event attr, u32 nr_ids, string name, u64 ids[]. */
    private void eventDesc(ByteBuffer b, int at, int len, long off) throws TraceFormatException {
        String what = "HEADER_EVENT_DESC";
        need(len, 8, off, what);
        long nr = b.getInt(at) & 0xffffffffL;
        long asz = b.getInt(at + 4) & 0xffffffffL;
        int p = at + 8;
        int end = at + len;
        if (nr > MAX_ATTRS || asz < PerfAttr.SIZE_VER0 || asz > 4096) {
            throw TraceFormatException.expected(file, off, what, "a sane event count and attr size",
                    "nr " + nr + " attr_size " + asz);
        }
        for (long i = 0; i < nr; i++) {
            if (end - p < asz + 8) {
                throw TraceFormatException.expected(file, off + p - at, what, "event " + i + " inside the section",
                        (end - p) + " bytes left");
            }
            int type = b.getInt(p);
            long config = b.getLong(p + 8);
            p += (int) asz;
            long nrIds = b.getInt(p) & 0xffffffffL;
            p += 4;
            String name = headerString(b, p, end - p, off + p - at, what + " name");
            long slen = b.getInt(p) & 0xffffffffL;
            p += 4 + (int) slen;
            if (nrIds > MAX_IDS || nrIds * 8 > end - p) {
                throw TraceFormatException.expected(file, off + p - at, what + " ids of " + name,
                        "ids inside the section", nrIds);
            }
            for (long k = 0; k < nrIds; k++) {
                PerfAttr a = attrById.get(b.getLong(p));
                if (a != null) {
                    a.name = name;
                }
                p += 8;
            }
            if (type == PerfAttr.TYPE_TRACEPOINT) {
                eventNames.put((int) config, name);
            }
        }
    }

    // ------------------------------------------------------------------ pipe mode

    private void openPipeStream(InputStream s, ByteOrder known) throws IOException {
        stream = s;
        in = SeqInput.ofStream(s, file, ByteOrder.LITTLE_ENDIAN);
        in.require(16, "pipe header");
        order = known != null ? known : magicOrder(in.u64(0), file);
        in.order(order);
        long hsize = in.u64(8);
        if (hsize != PIPE_HEADER_SIZE) {
            if (hsize == FILE_HEADER_SIZE) {
                throw new UnsupportedFormatException(file, 8, "pipe header",
                        "a file-mode perf.data on a stream; open it by path (its sections need seeking)");
            }
            throw TraceFormatException.expected(file, 8, "pipe header", "header size 16", hsize);
        }
        in.advance(16);
        // Read the in-stream header (attrs, features, tracing data) so info() and formats() are
        // complete before the first event, as in file mode.
        while (true) {
            if (!in.ensure(8)) {
                break;
            }
            int type = in.i32(in.pos());
            if (!isHeaderRecord(type)) {
                break;
            }
            readOuterRecord();
        }
        finishHeader();
        info = new TraceInfo(file, TraceFormat.PERF_DATA_PIPE, kernelRelease, clockName(), nrCpus, List.of());
    }

    private static boolean isHeaderRecord(int type) {
        return type == R_HEADER_ATTR || type == R_HEADER_EVENT_TYPE || type == R_HEADER_TRACING_DATA
                || type == R_HEADER_BUILD_ID || type == R_HEADER_FEATURE || type == R_EVENT_UPDATE
                || type == R_ID_INDEX || type == R_TIME_CONV || type == 73 || type == 74 || type == R_AUXTRACE_INFO;
    }

    private void finishHeader() throws TraceFormatException {
        if (tracing != null) {
            formats = tracing.formats;
            payloadOrder = tracing.order;
        } else {
            payloadOrder = order;
        }
        if (attrs.isEmpty() && !pipe) {
            throw TraceFormatException.expected(file, 24, "attrs section", "at least one event attr", "none");
        }
    }

    private String clockName() {
        int id = clockidFeature;
        if (id < 0) {
            for (PerfAttr a : attrs) {
                if (a.useClockid) {
                    id = a.clockid;
                    break;
                }
            }
        }
        if (id < 0) {
            // perf's default clock: the kernel's perf_clock() (local_clock), trace-cmd calls it "perf"
            return "perf";
        }
        switch (id) {
            case 0: return "realtime";
            case 1: return "mono";
            case 4: return "mono_raw";
            case 5: return "realtime_coarse";
            case 6: return "mono_coarse";
            case 7: return "boot";
            case 11: return "tai";
            default: return "clockid " + id;
        }
    }

    // ------------------------------------------------------------------ records

    /** Reads one record of the outer stream (file data section or pipe) and handles it. */
    private void readOuterRecord() throws IOException {
        long off = in.offset();
        in.require(8, "record header");
        int p = in.pos();
        ByteBuffer b = in.buffer();
        int type = b.getInt(p);
        int size = b.getShort(p + 6) & 0xffff;
        if (size < 8) {
            throw TraceFormatException.expected(file, off, "record header", "record size of at least 8", size);
        }
        in.require(size, "record of type " + type);
        p = in.pos();
        b = in.buffer();
        switch (type) {
            case R_COMPRESSED:
            case R_COMPRESSED2:
                compressed(b, in.array(), p, type, size, off);
                in.advance(size);
                return;
            case R_HEADER_TRACING_DATA:
                tracingDataRecord(b, p, size, off);
                return;
            case R_AUXTRACE: {
                // The AUX area data follows the record, outside header.size.
                if (size < 16) {
                    throw TraceFormatException.expected(file, off, "PERF_RECORD_AUXTRACE", "size >= 16", size);
                }
                long extra = b.getLong(p + 8);
                in.advance(size);
                if (extra < 0 || !in.skip(extra)) {
                    throw TraceFormatException.expected(file, off, "PERF_RECORD_AUXTRACE",
                            extra + " bytes of AUX data after the record", "end of data");
                }
                stats.skip("perf: AUX area trace data (not tracepoints)");
                return;
            }
            default:
                handle(b, in.array(), p, type, size, off);
                in.advance(size);
        }
    }

    private void tracingDataRecord(ByteBuffer b, int p, int size, long off) throws IOException {
        if (size < 12) {
            throw TraceFormatException.expected(file, off, "PERF_RECORD_HEADER_TRACING_DATA", "size >= 12", size);
        }
        long tsize = b.getInt(p + 8) & 0xffffffffL;
        if (tsize > MAX_TRACING_DATA) {
            throw TraceFormatException.expected(file, off, "PERF_RECORD_HEADER_TRACING_DATA",
                    "tracing data below 4 GiB", tsize);
        }
        in.advance(size);
        long start = in.offset();
        long end = start + tsize;
        long savedLimit = in.limit();
        if (end > savedLimit) {
            throw TraceFormatException.expected(file, off, "PERF_RECORD_HEADER_TRACING_DATA",
                    tsize + " bytes of tracing data", (savedLimit - start) + " left");
        }
        in.limit(end);
        try {
            tracing = TracingData.parse(in, "PERF_RECORD_HEADER_TRACING_DATA");
            // The declared size is the tracing data padded to 8 bytes (perf_event__synthesize_tracing_data).
            long rest = end - in.offset();
            if (rest >= 8) {
                stats.skip("perf: unparsed bytes after tracing data", 1);
            }
            if (!in.skip(rest)) {
                throw TraceFormatException.expected(file, in.offset(), "PERF_RECORD_HEADER_TRACING_DATA",
                        rest + " bytes of padding", "end of data");
            }
        } finally {
            in.limit(savedLimit);
        }
        formats = tracing.formats;
        payloadOrder = tracing.order;
        // The record header is 12 bytes (struct perf_record_header_tracing_data) and the data after
        // it is padded to 8: the records that follow are u64-aligned from here, not from the start.
        dataStart = in.offset();
        java.util.Arrays.fill(formatById, null);
        payloadArray = null;
    }

    private void compressed(ByteBuffer b, byte[] a, int p, int type, int size, long off) throws IOException {
        if (compressionType >= 0 && compressionType != 1) {
            throw new UnsupportedFormatException(file, off, "PERF_RECORD_COMPRESSED",
                    "compression type " + compressionType + " (only zstd, type 1, exists in perf)");
        }
        int dataAt;
        int dataLen;
        if (type == R_COMPRESSED) {
            dataAt = p + 8;
            dataLen = size - 8;
        } else {
            // COMPRESSED2: u64 data_size then the zstd bytes, header.size padded to 8 bytes.
            if (size < 16) {
                throw TraceFormatException.expected(file, off, "PERF_RECORD_COMPRESSED2", "size >= 16", size);
            }
            long ds = b.getLong(p + 8);
            if (ds < 0 || ds > size - 16) {
                throw TraceFormatException.expected(file, off + 8, "PERF_RECORD_COMPRESSED2",
                        "data_size at most " + (size - 16), ds);
            }
            dataAt = p + 16;
            dataLen = (int) ds;
        }
        if (zstdBroken) {
            if (dataLen < 4 || ByteBuffer.wrap(a, dataAt, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() != 0xFD2FB528) {
                stats.skipCorrupt("perf compressed records skipped: they continue a zstd stream broken earlier",
                        size, file + " at offset " + off + " (PERF_RECORD_COMPRESSED): continues a broken zstd stream");
                return;
            }
            zstdBroken = false; // a new frame: decompression starts afresh
        }
        if (zstd == null) {
            long bound = compMmapLen > 0 ? compMmapLen + (256 << 10) : DEFAULT_DECOMP_BOUND;
            zstd = new ZstdRecordStream(file, order, bound);
        }
        zstd.feed(a, dataAt, dataLen, off);
    }

    /** Handles one complete record at {@code b[p..p+size)} (outer or decompressed). */
    private void handle(ByteBuffer b, byte[] a, int p, int type, int size, long off) throws IOException {
        switch (type) {
            case R_SAMPLE:
                sample(b, a, p, size, off);
                break;
            case R_COMM:
                comm(b, a, p, size, off);
                break;
            case R_FORK:
                fork(b, p, size, off);
                break;
            case R_LOST:
                need(size, 24, off, "PERF_RECORD_LOST");
                stats.addLost(b.getLong(p + 16));
                break;
            case R_LOST_SAMPLES:
                need(size, 16, off, "PERF_RECORD_LOST_SAMPLES");
                stats.addLost(b.getLong(p + 8));
                break;
            case R_FINISHED_ROUND:
                flushLimit = nextFlush;
                nextFlush = maxTs;
                break;
            case R_HEADER_ATTR:
                headerAttr(b, p, size, off);
                break;
            case R_HEADER_FEATURE: {
                need(size, 16, off, "PERF_RECORD_HEADER_FEATURE");
                long feat = b.getLong(p + 8);
                if (feat == F_TRACING_DATA) {
                    break; // pipe mode sends tracing data as its own record
                }
                if (feat >= 0 && feat < 256 && isUsedFeature((int) feat)) {
                    ByteBuffer slice = b.duplicate().order(b.order());
                    feature((int) feat, slice, p + 16, size - 16, off + 16);
                }
                break;
            }
            case R_COMPRESSED:
            case R_COMPRESSED2:
                throw TraceFormatException.expected(file, off, "decompressed data", "plain perf records",
                        "a compressed record inside compressed data");
            case R_EXIT:
            case R_FINISHED_INIT:
            case R_HEADER_EVENT_TYPE:
            case R_HEADER_BUILD_ID:
            case R_ID_INDEX:
            case R_AUXTRACE_INFO:
            case R_EVENT_UPDATE:
            case R_TIME_CONV:
            case R_BPF_METADATA:
            case 72: // AUXTRACE_ERROR
            case 73: // THREAD_MAP
            case 74: // CPU_MAP
            case 75: // STAT_CONFIG
            case 76: // STAT
            case 77: // STAT_ROUND
                break; // bookkeeping perf needs for symbols, stat or AUX; no trace events in it
            default:
                if (type >= R_MMAP && type <= R_KERNEL_LAST) {
                    break; // mmap, throttle, switch, ksymbol, ...: side-band records without events
                }
                if (type <= 0 || type > 0xffff) {
                    // perf's types stay below 100 (PERF_RECORD_HEADER_MAX); a newer perf may add some,
                    // skipped below by their size, but not billions: this is damage.
                    throw TraceFormatException.expected(file, off, "record header", "a record type from 1 to 65535",
                            Integer.toUnsignedString(type));
                }
                stats.skip("perf: unknown record type " + type);
        }
    }

    private void headerAttr(ByteBuffer b, int p, int size, long off) throws TraceFormatException {
        need(size, 8 + PerfAttr.SIZE_VER0, off, "PERF_RECORD_HEADER_ATTR");
        int declared = b.getInt(p + 12);
        int asz = declared == 0 ? PerfAttr.SIZE_VER0 : declared;
        if (asz < PerfAttr.SIZE_VER0 || asz > size - 8 || (size - 8 - asz) % 8 != 0) {
            throw TraceFormatException.expected(file, off + 12, "PERF_RECORD_HEADER_ATTR",
                    "attr size between 64 and " + (size - 8) + " leaving whole ids", declared);
        }
        PerfAttr a = PerfAttr.decode(b, p + 8, asz);
        addAttr(a, b, p + 8 + asz, (size - 8 - asz) / 8);
    }

    private PerfAttr attrForSample(ByteBuffer b, int p, int size, long off) throws TraceFormatException {
        if (attrs.size() == 1) {
            return attrs.get(0);
        }
        if (attrs.isEmpty()) {
            throw TraceFormatException.expected(file, off, "PERF_RECORD_SAMPLE", "an event attr before samples",
                    "none");
        }
        PerfAttr first = attrs.get(0);
        int idAt;
        if (first.has(PerfAttr.S_IDENTIFIER)) {
            idAt = 8;
        } else if (first.has(PerfAttr.S_ID)) {
            idAt = 8;
            for (long bit : new long[] {PerfAttr.S_IP, PerfAttr.S_TID, PerfAttr.S_TIME, PerfAttr.S_ADDR}) {
                if (first.has(bit)) {
                    idAt += 8;
                }
            }
        } else {
            return first;
        }
        if (idAt + 8 > size) {
            throw TraceFormatException.expected(file, off, "PERF_RECORD_SAMPLE", "a sample id", size + "-byte record");
        }
        long id = b.getLong(p + idAt);
        PerfAttr a = attrById.get(id);
        if (a == null) {
            throw TraceFormatException.expected(file, off + idAt, "PERF_RECORD_SAMPLE",
                    "a sample id listed in the attrs", id);
        }
        return a;
    }

    /** The attr of a side-band record (for its sample_id trailer), or null when it cannot be known. */
    private PerfAttr attrForSideBand(ByteBuffer b, int p, int size) {
        if (attrs.size() == 1) {
            return attrs.get(0);
        }
        if (attrs.isEmpty()) {
            return null;
        }
        PerfAttr first = attrs.get(0);
        if (first.sampleIdAll && first.has(PerfAttr.S_IDENTIFIER) && size >= 16) {
            return attrById.get(b.getLong(p + size - 8));
        }
        return first;
    }

    private void sample(ByteBuffer b, byte[] a, int p, int size, long off) throws TraceFormatException {
        PerfAttr attr = attrForSample(b, p, size, off);
        long st = attr.sampleType;
        int q = p + 8;
        int end = p + size;
        long ts = Long.MIN_VALUE;
        int tid = -1;
        int cpu = -1;
        if ((st & PerfAttr.S_IDENTIFIER) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_IP) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_TID) != 0) {
            checkRoom(q, 8, end, off, p, "TID");
            tid = b.getInt(q + 4);
            q += 8;
        }
        if ((st & PerfAttr.S_TIME) != 0) {
            checkRoom(q, 8, end, off, p, "TIME");
            ts = b.getLong(q);
            q += 8;
        }
        if ((st & PerfAttr.S_ADDR) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_ID) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_STREAM_ID) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_CPU) != 0) {
            checkRoom(q, 8, end, off, p, "CPU");
            cpu = b.getInt(q);
            q += 8;
        }
        if ((st & PerfAttr.S_PERIOD) != 0) {
            q += 8;
        }
        if ((st & PerfAttr.S_READ) != 0) {
            q = skipRead(b, q, end, attr.readFormat, off, p);
        }
        if ((st & PerfAttr.S_CALLCHAIN) != 0) {
            checkRoom(q, 8, end, off, p, "CALLCHAIN nr");
            long nr = b.getLong(q);
            if (nr < 0 || nr > (end - q - 8) / 8) {
                throw TraceFormatException.expected(file, off + (q - p), "PERF_RECORD_SAMPLE CALLCHAIN",
                        "at most " + (end - q - 8) / 8 + " entries", nr);
            }
            q += 8 + 8 * (int) nr;
        }
        if ((st & PerfAttr.S_RAW) == 0) {
            if (attr.noRawReason == null) {
                attr.noRawReason = "perf: sample without tracepoint data (" + attr + ")";
            }
            stats.skip(attr.noRawReason);
            return;
        }
        checkRoom(q, 4, end, off, p, "RAW size");
        long rawSize = b.getInt(q) & 0xffffffffL;
        q += 4;
        if (rawSize > end - q) {
            throw TraceFormatException.expected(file, off + (q - 4 - p), "PERF_RECORD_SAMPLE RAW",
                    "at most " + (end - q) + " bytes", rawSize);
        }
        if (rawSize < 2) {
            stats.skip("perf: sample with empty RAW data");
            return;
        }
        int commonType = payloadOrder == ByteOrder.BIG_ENDIAN
                ? ((a[q] & 0xff) << 8) | (a[q + 1] & 0xff) : (a[q] & 0xff) | ((a[q + 1] & 0xff) << 8);
        // common_type is a u16: the array cache avoids boxing the id for a HashMap lookup per sample
        EventFormat fmt = formatFor(commonType);
        if (fmt == null && attr.type == PerfAttr.TYPE_TRACEPOINT) {
            fmt = lookup((int) attr.config);
        }
        if (fmt == null) {
            String n = attr.name != null ? attr.name : eventNames.get(commonType);
            stats.skip("perf: tracepoint without format (id " + commonType + (n != null ? ", " + n : "") + ")");
            return;
        }
        if (ts == Long.MIN_VALUE) {
            ts = Math.max(maxTs, 0);
        }
        noteTs(ts);
        queue.addSample(ts, cpu, tid, fmt.id(), a, q, (int) rawSize, off + (q - p));
        checkPending();
    }

    private int skipRead(ByteBuffer b, int q, int end, long rf, long off, int p) throws TraceFormatException {
        int per = 8 + ((rf & PerfAttr.R_ID) != 0 ? 8 : 0) + ((rf & PerfAttr.R_LOST) != 0 ? 8 : 0);
        int times = ((rf & PerfAttr.R_TOTAL_TIME_ENABLED) != 0 ? 8 : 0)
                + ((rf & PerfAttr.R_TOTAL_TIME_RUNNING) != 0 ? 8 : 0);
        if ((rf & PerfAttr.R_GROUP) == 0) {
            checkRoom(q, per + times, end, off, p, "READ");
            return q + per + times;
        }
        checkRoom(q, 8, end, off, p, "READ nr");
        long nr = b.getLong(q);
        if (nr < 0 || nr > (end - q) / per) {
            throw TraceFormatException.expected(file, off + (q - p), "PERF_RECORD_SAMPLE READ group",
                    "at most " + (end - q) / per + " members", nr);
        }
        int len = 8 + times + per * (int) nr;
        checkRoom(q, len, end, off, p, "READ group");
        return q + len;
    }

    private void checkRoom(int q, int n, int end, long off, int p, String field) throws TraceFormatException {
        if (q + n > end) {
            throw TraceFormatException.expected(file, off + (q - p), "PERF_RECORD_SAMPLE " + field,
                    n + " bytes inside the " + (end - p) + "-byte record", (end - q) + " left");
        }
    }

    private long sideBandTime(ByteBuffer b, int p, int size) {
        PerfAttr attr = attrForSideBand(b, p, size);
        if (attr == null) {
            return Long.MIN_VALUE;
        }
        int back = attr.timeFromEnd();
        if (back < 0 || back > size - 8) {
            return Long.MIN_VALUE;
        }
        long t = b.getLong(p + size - back);
        return t == -1L ? Long.MIN_VALUE : t;
    }

    private void comm(ByteBuffer b, byte[] a, int p, int size, long off) throws TraceFormatException {
        need(size, 17, off, "PERF_RECORD_COMM");
        int tid = b.getInt(p + 12);
        int s = p + 16;
        int e = s;
        while (e < p + size && a[e] != 0) {
            e++;
        }
        String name = new String(a, s, e - s, StandardCharsets.UTF_8);
        long t = sideBandTime(b, p, size);
        if (t == Long.MIN_VALUE) {
            comms.put(tid, name);
            cachedTid = Integer.MIN_VALUE;
        } else {
            noteTs(t);
            queue.addComm(t, tid, name, off);
            checkPending();
        }
    }

    private void fork(ByteBuffer b, int p, int size, long off) throws TraceFormatException {
        need(size, 32, off, "PERF_RECORD_FORK");
        int tid = b.getInt(p + 16);
        int ptid = b.getInt(p + 20);
        long t = b.getLong(p + 24);
        if (t == 0 || t == -1L) {
            inherit(tid, ptid);
            cachedTid = Integer.MIN_VALUE;
        } else {
            noteTs(t);
            queue.addFork(t, tid, ptid, off);
            checkPending();
        }
    }

    private void inherit(int tid, int ptid) {
        String c = comms.get(ptid);
        if (c != null) {
            comms.put(tid, c);
        }
    }

    private void noteTs(long ts) {
        if (ts > maxTs) {
            maxTs = ts;
        }
    }

    private void checkPending() {
        if (queue.size() > maxPending && forceDrain == 0) {
            forceDrain = queue.size() - maxPending / 2;
        }
    }

    /** Smaller pending-store chunks (tests of chunk recycling); only before the first event is read. */
    void pendingChunkBits(int bits) {
        queue = new PendingArena(bits);
    }

    /** Lowers the pending-record cap (tests of the overflow path). */
    void maxPending(int n) {
        maxPending = n;
    }

    // ------------------------------------------------------------------ TraceReader

    @Override
    public TraceInfo info() {
        return info;
    }

    @Override
    public FormatRegistry formats() {
        return formats;
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    @Override
    public TraceEvent next() throws IOException {
        while (true) {
            if (!queue.isEmpty() && (queue.headTs() <= flushLimit || eof || forceDrain > 0)) {
                queue.poll();
                if (forceDrain > 0) {
                    forceDrain--;
                }
                TraceEvent ev;
                try {
                    ev = emit();
                } catch (TraceFormatException e) {
                    if (!lenient || e instanceof UnsupportedFormatException) {
                        throw e;
                    }
                    stats.skipCorrupt("perf samples skipped: tracepoint data does not decode", queue.length(),
                            e.getMessage());
                    continue;
                }
                if (ev != null) {
                    return ev;
                }
                continue;
            }
            if (eof) {
                return null;
            }
            step();
        }
    }

    /** Reads and handles the next record: a decompressed one first, else one from the input. */
    private void step() throws IOException {
        if (zstd != null) {
            int at;
            try {
                at = zstd.nextRecord();
            } catch (TraceFormatException e) {
                if (!lenient || e instanceof UnsupportedFormatException) {
                    throw e;
                }
                // Decompressed bytes are only in step with the stream as a whole: what is left of it
                // (and the records that continue it) cannot be trusted.
                stats.skipCorrupt("perf compressed records skipped: zstd data does not decompress or holds a bad "
                        + "record header", (long) zstd.pendingBytes() + zstd.pendingInput(), e.getMessage());
                zstd = null;
                zstdBroken = true;
                return;
            }
            if (at >= 0) {
                ByteBuffer b = zstd.buffer();
                int type = b.getInt(at);
                int size = b.getShort(at + 6) & 0xffff;
                try {
                    handle(b, zstd.array(), at, type, size, in.offset());
                } catch (TraceFormatException e) {
                    if (!lenient || e instanceof UnsupportedFormatException) {
                        throw e;
                    }
                    stats.skipCorrupt("perf records skipped: bad record content (in compressed data)", size,
                            e.getMessage());
                }
                zstd.consume(size);
                return;
            }
        }
        if (in.atEnd()) {
            eof = true;
            if (zstd != null && zstd.pendingBytes() > 0) {
                stats.skip("perf: incomplete record at the end of compressed data");
            }
            return;
        }
        if (!lenient) {
            readOuterRecord();
            return;
        }
        long off = in.offset();
        try {
            readOuterRecord();
        } catch (UnsupportedFormatException e) {
            throw e;
        } catch (TraceFormatException e) {
            resync(off, e);
        }
    }

    /** A header perf could have written: a known type, a size inside the data, no unused misc bit set. */
    private boolean plausibleHeaderAt(int rel) throws IOException {
        if (!in.ensure(rel + 8)) {
            return false;
        }
        ByteBuffer b = in.buffer();
        int p = in.pos() + rel;
        int type = b.getInt(p);
        int misc = b.getShort(p + 4) & 0xffff;
        int size = b.getShort(p + 6) & 0xffff;
        boolean known = (type >= R_MMAP && type <= R_KERNEL_LAST) || (type >= R_HEADER_ATTR && type <= R_BPF_METADATA);
        // misc: cpumode in bits 0-2, flags in bits 12-15 (include/uapi/linux/perf_event.h)
        return known && size >= 8 && (misc & 0x0ff8) == 0 && in.ensure(rel + size);
    }

    /** A plausible header followed by another one or by the end of the data. */
    private boolean plausibleChainAt(int rel) throws IOException {
        if (!plausibleHeaderAt(rel)) {
            return false;
        }
        int size = in.buffer().getShort(in.pos() + rel + 6) & 0xffff;
        if (!in.ensure(rel + size + 1)) {
            return true; // the record ends the data
        }
        return plausibleHeaderAt(rel + size);
    }

    /**
     * Lenient: the record at {@code off} could not be read. If nothing of it was consumed and its
     * header is sane, only it is skipped; else the data is scanned for the next plausible header
     * (see {@link #open(Path, String, ReadOptions)}). The scan moves 8 bytes per step and ends at
     * the end of the data: it is bounded by the input.
     */
    private void resync(long off, TraceFormatException e) throws IOException {
        if (in.offset() == off && plausibleChainAt(0)) {
            int size = in.buffer().getShort(in.pos() + 6) & 0xffff;
            in.advance(size);
            stats.skipCorrupt("perf records skipped: bad record content", size, e.getMessage());
            return;
        }
        // The next u64-aligned offset after the bad header (a bad size may have led off alignment).
        long mis = Math.floorMod(in.offset() - dataStart, 8L);
        int step = (int) (in.offset() == off ? 8 - mis : (mis == 0 ? 0 : 8 - mis));
        while (step > 0 && in.ensure(1)) {
            in.advance(1);
            step--;
        }
        while (in.ensure(8) && !plausibleChainAt(0)) {
            in.advance(8);
        }
        if (!in.ensure(8)) {
            // fewer than 8 bytes left: no record can start there
            while (in.ensure(1)) {
                in.advance(1);
            }
        }
        stats.skipCorrupt("perf data skipped to the next plausible record header: bad record header or size",
                in.offset() - off, e.getMessage());
    }

    /** Turns the record {@link PendingArena#poll} made current into an event (null for COMM/FORK). */
    private TraceEvent emit() throws TraceFormatException {
        PendingArena e = queue;
        int tid = e.tid();
        switch (e.kind()) {
            case PendingArena.COMM:
                comms.put(tid, e.commString());
                cachedTid = Integer.MIN_VALUE;
                return null;
            case PendingArena.FORK:
                inherit(tid, e.aux());
                cachedTid = Integer.MIN_VALUE;
                return null;
            default:
                break;
        }
        long ts = e.ts();
        if (ts < lastEmittedTs) {
            // perf warns the same way ("Timestamp below last timeslice flush"): the file broke the round contract
            stats.skip("perf: event older than one already emitted (left in file order)");
        } else {
            lastEmittedTs = ts;
        }
        String comm;
        if (tid == cachedTid) {
            comm = cachedComm;
        } else {
            comm = comms.get(tid);
            if (comm == null && tracing != null) {
                comm = tracing.cmdlines.get(tid);
            }
            cachedTid = tid;
            cachedComm = comm;
        }
        EventFormat format = formatFor(e.aux());
        long offset = e.fileOffset();
        EventHeader h = new EventHeader(ts, e.cpu(), tid, comm);
        byte[] arr = e.array();
        if (arr != payloadArray) {
            payloadArray = arr;
            payloadView = ByteBuffer.wrap(arr).order(payloadOrder);
        }
        RawEvent raw = PayloadDecoder.decode(format, h, payloadView, e.dataOffset(), e.length(), file, offset);
        stats.countEvent();
        try {
            return EventTyper.type(raw);
        } catch (RuntimeException ex) {
            // values no kernel writes (a damaged file) must not escape as an unchecked exception
            throw new TraceFormatException(file, offset, format.system() + ":" + format.name(),
                    "cannot type the event: " + ex, ex);
        }
    }

    private EventFormat formatFor(int id) throws TraceFormatException {
        if (id < 0 || id >= formatById.length) {
            return lookup(id);
        }
        EventFormat f = formatById[id];
        if (f == null) {
            f = lookup(id);
            formatById[id] = f;
        }
        return f;
    }

    /** The format of an id, parsed on its first event; a format file that does not parse fails the read here. */
    private EventFormat lookup(int id) throws TraceFormatException {
        try {
            return formats.byId(id);
        } catch (FormatRegistry.UnparsableFormatException e) {
            throw e.formatError();
        }
    }

    @Override
    public void close() throws IOException {
        queue.clear();
        if (stream != null) {
            stream.close();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
