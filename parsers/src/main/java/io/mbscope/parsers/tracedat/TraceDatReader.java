package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.EventTyper;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.parsers.format.PayloadDecoder;
import io.mbscope.parsers.tracedat.v6.V6HeaderReader;
import io.mbscope.parsers.tracedat.v7.V7HeaderReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a trace-cmd {@code trace.dat}, file versions 6 and 7 (trace-cmd.dat.v6(5), .v7(5)).
 * Every ring-buffer instance in the file is read (trace-cmd record -B puts the events in a named
 * buffer, the top-level one may be empty); events of all CPUs and buffers come out merged by
 * timestamp, equal timestamps ordered by CPU, then buffer, then file order (as trace-cmd report
 * does). Memory is a window of pages (or one decompressed chunk) per CPU, independent of the trace
 * length; files over 2 GiB are fine (positional reads, no mapping).
 *
 * <p>{@link TraceInfo#buffers()} lists the buffers that hold data; {@link TraceInfo#clock()} is the
 * selected trace_clock (TRACECLOCK option, as trace-cmd report uses it), else the buffer's clock.
 * Timestamps are the trace clock in ns, with the file's TSC2NSEC and OFFSET options applied (DATE
 * and TIME_SHIFT are not: they move events to another clock, noted in {@link #stats()}).
 */
public final class TraceDatReader implements TraceReader {
    /** Bytes of raw pages read at once per CPU; divided among CPUs when there are many. */
    private static final int WINDOW_BYTES = 256 << 10;
    private static final int MIN_WINDOW_BYTES = 16 << 10;
    private static final int TOTAL_WINDOW_BYTES = 32 << 20;
    private static final int MAX_EVENT_ID = 0xffff;

    private final FileInput in;
    private final TraceDatHeader hdr;
    private TraceInfo info;
    private final ReadStats stats = new ReadStats();
    private final String file;
    /** Per event id: its format, and where common_type / common_pid are. Built once. */
    private final EventFormat[] byId;
    private final int[] pidOffset;
    /** Ids with a registered format: byId is filled from the registry on an id's first event. */
    private final boolean[] known;
    private final int typeOffset;
    private final int typeSize;
    private final PidComms comms;
    private CpuCursor[] heap;
    /** Background chunk decompression (v7 compressed buffers on a multi-core machine), else null. */
    private ChunkInflater inflater;
    private int heapSize;
    private boolean closed;

    private TraceDatReader(FileInput in, TraceDatHeader hdr, boolean lenient, int decodeThreads)
            throws IOException {
        this.in = in;
        this.hdr = hdr;
        this.file = in.name();
        FormatRegistry formats = hdr.formats;
        int maxId = -1;
        for (FormatRegistry.Head f : formats.heads()) {
            if (f.id() <= MAX_EVENT_ID) {
                maxId = Math.max(maxId, f.id());
            } else {
                // common_type is a u16 (include/linux/trace_events.h: struct trace_entry).
                stats.skip("event format " + f.system() + ":" + f.name() + " with id " + f.id()
                        + " beyond common_type's range");
            }
        }
        byId = new EventFormat[maxId + 1];
        pidOffset = new int[maxId + 1];
        known = new boolean[maxId + 1];
        int tOff = 0;
        int tSize = 2;
        boolean typeKnown = false;
        for (FormatRegistry.Head h : formats.heads()) {
            if (h.id() < 0 || h.id() > MAX_EVENT_ID) {
                continue;
            }
            known[h.id()] = true;
            if (typeKnown) {
                continue;
            }
            // Every event shares struct trace_entry's layout: one format that parses gives common_type.
            // The others are parsed when their events turn up (a bad one fails there, see resolve).
            EventFormat f;
            try {
                f = formats.byId(h.id());
            } catch (FormatRegistry.UnparsableFormatException e) {
                continue;
            }
            FieldFormat type = f == null ? null : f.field("common_type");
            if (type != null && (type.size() == 2 || type.size() == 4 || type.size() == 1)) {
                tOff = type.offset();
                tSize = type.size();
                typeKnown = true;
            }
        }
        typeOffset = tOff;
        typeSize = tSize;
        comms = new PidComms(hdr.comms);
        for (Map.Entry<String, Long> n : hdr.notes.entrySet()) {
            stats.skip(n.getKey(), n.getValue());
        }
        for (TraceDatHeader.Corrupt c : hdr.corrupt) {
            stats.skipCorrupt(c.reason(), c.bytes(), c.where());
        }

        try {
            buildCursors(lenient, decodeThreads);
        } catch (IOException | RuntimeException e) {
            if (inflater != null) {
                inflater.close();
            }
            throw e;
        }
    }

    private void buildCursors(boolean lenient, int decodeThreads) throws IOException {
        List<String> names = new ArrayList<>();
        List<CpuCursor> cursors = new ArrayList<>();
        int totalCpus = 0;
        for (TraceDatHeader.BufferSpec b : hdr.buffers) {
            for (TraceDatHeader.CpuData c : b.cpus()) {
                if (c.size() > 0) {
                    totalCpus++;
                }
            }
        }
        int window = Math.max(MIN_WINDOW_BYTES, Math.min(WINDOW_BYTES, TOTAL_WINDOW_BYTES / Math.max(1, totalCpus)));
        boolean big = hdr.order == ByteOrder.BIG_ENDIAN;
        // trace-cmd report takes the clock from TRACECLOCK when present: trace-cmd 3.1 writes
        // "local" in an instance's BUFFER option even when it recorded with -C mono.
        String clock = FormatSections.selectedClock(hdr.traceClock);
        boolean inflaterChecked = false;
        for (int bi = 0; bi < hdr.buffers.size(); bi++) {
            TraceDatHeader.BufferSpec b = hdr.buffers.get(bi);
            if (!b.hasData()) {
                continue;
            }
            names.add(b.name());
            if (clock == null && b.clock() != null && !b.clock().isEmpty()) {
                clock = b.clock();
            }
            for (TraceDatHeader.CpuData c : b.cpus()) {
                if (c.size() == 0) {
                    continue;
                }
                String section = (b.name().isEmpty() ? "top-level buffer" : "buffer " + b.name()) + " CPU " + c.cpu();
                PageSource src;
                if (b.compressed()) {
                    if (inflater == null && !inflaterChecked) {
                        inflaterChecked = true;
                        inflater = ChunkInflater.create(decodeThreads);
                    }
                    src = new ChunkedPageSource(in, hdr.codec, section, c.offset(), c.limit(), b.pageSize(),
                            lenient ? stats : null, inflater);
                } else {
                    src = new RawPageSource(in, section, c.offset(), c.size(), b.pageSize(), window);
                }
                cursors.add(new CpuCursor(c.cpu(), bi, section, src, hdr.layout, b.pageSize(), stats, big,
                        file, lenient));
            }
        }
        int cpus = hdr.cpuCount;
        for (CpuCursor c : cursors) {
            cpus = Math.max(cpus, c.cpu + 1);
        }
        info = new TraceInfo(file, hdr.format, FormatSections.kernelRelease(hdr.uname), clock, cpus, names);
        heap = new CpuCursor[cursors.size()];
        for (CpuCursor c : cursors) {
            if (c.advance()) {
                heap[heapSize++] = c;
                siftUp(heapSize - 1);
            }
        }
    }

    /**
     * Opens a trace.dat; the headers, formats and buffer tables are read and checked now, the
     * pages as {@link #next()} asks for them.
     *
     * @param displayName the name to use in {@link TraceInfo#source()} and in error messages
     * @throws TraceFormatException       if the file is corrupt or truncated
     * @throws UnsupportedFormatException for another file version or an unknown compression
     */
    public static TraceReader open(Path file, String displayName) throws IOException {
        return open(file, displayName, io.mbscope.parsers.ReadOptions.STRICT);
    }

    /**
     * As {@link #open(Path, String)}. Lenient: a file cut inside its CPU data (an interrupted
     * recording; in v7 also the options written after the data) reads the pages that are there; a
     * ring-buffer page with a bad commit size or record is skipped, and in v7 a compressed chunk that
     * does not decompress; each is counted in {@link #stats()} under a "corrupt: " reason.
     */
    public static TraceReader open(Path file, String displayName, io.mbscope.parsers.ReadOptions options)
            throws IOException {
        return open(file, displayName, options, -1);
    }

    /**
     * As above with {@code decodeThreads} background decompression workers for compressed chunks
     * (0 or 1: none; negative: one per core, or {@code -Dmbscope.decode.threads}).
     */
    static TraceDatReader open(Path file, String displayName, io.mbscope.parsers.ReadOptions options,
                               int decodeThreads) throws IOException {
        Objects.requireNonNull(file, "file");
        FileInput in = FileInput.open(file, displayName);
        try {
            CommonHeader h = CommonHeader.read(in);
            TraceDatHeader hdr = switch (h.version()) {
                case "6" -> V6HeaderReader.read(in, h, options.lenient());
                case "7" -> V7HeaderReader.read(in, h, options.lenient());
                default -> throw new UnsupportedFormatException(in.name(), 10, "file header",
                        "trace.dat file version '" + h.version() + "' is not supported (mbscope reads 6 and 7)");
            };
            return new TraceDatReader(in, hdr, options.lenient(), decodeThreads);
        } catch (IOException e) {
            in.close();
            throw e;
        } catch (RuntimeException e) {
            in.close();
            // A bounds check this reader missed: still report it as bad input, with its cause.
            throw new TraceFormatException(in.name(), -1, "header", "unreadable trace.dat: " + e, e);
        }
    }

    @Override
    public TraceInfo info() {
        return info;
    }

    @Override
    public FormatRegistry formats() {
        return hdr.formats;
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    @Override
    public TraceEvent next() throws IOException {
        if (closed) {
            return null;
        }
        while (heapSize > 0) {
            CpuCursor c = heap[0];
            TraceEvent e;
            try {
                e = decode(c);
                if (c.advance()) {
                    siftDown(0);
                } else {
                    heap[0] = heap[--heapSize];
                    heap[heapSize] = null;
                    if (heapSize > 0) {
                        siftDown(0);
                    }
                }
            } catch (RuntimeException ex) {
                throw new TraceFormatException(file, c.recordFileOffset(), c.section, "unreadable record: " + ex, ex);
            }
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    private TraceEvent decode(CpuCursor c) throws TraceFormatException {
        ByteBuffer b = c.buffer();
        int start = c.recStart;
        int len = c.recLen;
        if (len < typeOffset + typeSize) {
            stats.skip("record too short for common_type");
            return null;
        }
        int id = switch (typeSize) {
            case 1 -> b.get(start + typeOffset) & 0xff;
            case 4 -> b.getInt(start + typeOffset);
            default -> b.getShort(start + typeOffset) & 0xffff;
        };
        EventFormat f = id >= 0 && id < byId.length ? byId[id] : null;
        if (f == null && id >= 0 && id < known.length && known[id]) {
            f = resolve(id);
        }
        if (f == null) {
            stats.skip("unknown event id " + id);
            return null;
        }
        int po = pidOffset[id];
        int pid = po >= 0 && po + 4 <= len ? b.getInt(start + po) : -1;
        EventHeader h = new EventHeader(timestamp(c.ts), c.cpu, pid, comms.get(pid));
        TraceEvent e;
        try {
            e = type(PayloadDecoder.decode(f, h, b, start, len, file, c.recordFileOffset()));
        } catch (TraceFormatException | RuntimeException ex) {
            // One bad record (e.g. a __data_loc pointing outside it) costs that record, not the trace.
            stats.skip("undecodable " + f.name() + " record");
            return null;
        }
        stats.countEvent();
        return e;
    }

    /** Parses the format of an id's first event; a format file that does not parse fails the read here. */
    private EventFormat resolve(int id) throws TraceFormatException {
        EventFormat f;
        try {
            f = hdr.formats.byId(id);
        } catch (FormatRegistry.UnparsableFormatException e) {
            throw e.formatError();
        }
        known[id] = false;
        if (f != null) {
            FieldFormat pid = f.field("common_pid");
            pidOffset[id] = pid != null && pid.size() == 4 ? pid.offset() : -1;
            byId[id] = f;
        }
        return f;
    }

    private static TraceEvent type(RawEvent raw) {
        return EventTyper.type(raw);
    }

    /** TSC2NSEC then OFFSET, as trace-cmd report applies them (lib/trace-cmd/trace-input.c). */
    private long timestamp(long raw) {
        long t = raw;
        if (hdr.tscMult != 0) {
            t = mulShift(t, hdr.tscMult, hdr.tscShift);
        }
        return t + hdr.tsOffset;
    }

    /** (a * mul) >> shift over 96 bits, unsigned, like the kernel's mul_u64_u32_shr. */
    static long mulShift(long a, long mul, int shift) {
        long lo = a & 0xffffffffL;
        long hi = a >>> 32;
        long r = (lo * mul) >>> shift;
        if (hi != 0) {
            r += shift <= 32 ? (hi * mul) << (32 - shift) : (hi * mul) >>> (shift - 32);
        }
        return r;
    }

    private static boolean less(CpuCursor a, CpuCursor b) {
        if (a.ts != b.ts) {
            return a.ts < b.ts;
        }
        if (a.cpu != b.cpu) {
            return a.cpu < b.cpu;
        }
        return a.bufferIndex < b.bufferIndex;
    }

    private void siftUp(int i) {
        CpuCursor x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(x, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private void siftDown(int i) {
        CpuCursor x = heap[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < heapSize && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], x)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        heapSize = 0;
        if (inflater != null) {
            inflater.close();
        }
        in.close();
    }

    /** The background decompression workers, or null (tests). */
    ChunkInflater inflater() {
        return inflater;
    }

    /** pid to comm without boxing on the per-event path: open addressing over int keys. */
    private static final class PidComms {
        private final int[] keys;
        private final String[] values;
        private final int mask;

        PidComms(Map<Integer, String> m) {
            int cap = Integer.highestOneBit(Math.max(4, m.size() * 2 + 1)) << 1;
            keys = new int[cap];
            values = new String[cap];
            mask = cap - 1;
            for (Map.Entry<Integer, String> e : m.entrySet()) {
                int k = e.getKey();
                int i = mix(k) & mask;
                while (values[i] != null && keys[i] != k) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = e.getValue();
            }
        }

        private static int mix(int k) {
            int h = k * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        String get(int pid) {
            if (pid == 0) {
                // The idle task has no saved_cmdlines entry; trace-cmd prints it as <idle>.
                return "<idle>";
            }
            int i = mix(pid) & mask;
            while (values[i] != null) {
                if (keys[i] == pid) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return null;
        }
    }
}
