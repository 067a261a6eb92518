package io.mbscope.tracecompass.trace;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.event.ITmfEventField;
import org.eclipse.tracecompass.tmf.core.event.TmfEventField;
import org.eclipse.tracecompass.tmf.core.event.TmfEventType;
import org.eclipse.tracecompass.tmf.core.event.aspect.ITmfEventAspect;
import org.eclipse.tracecompass.tmf.core.exceptions.TmfTraceException;
import org.eclipse.tracecompass.tmf.core.project.model.ITmfPropertiesProvider;
import org.eclipse.tracecompass.tmf.core.timestamp.TmfTimestamp;
import org.eclipse.tracecompass.tmf.core.trace.ITmfContext;
import org.eclipse.tracecompass.tmf.core.trace.TmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TraceValidationStatus;
import org.eclipse.tracecompass.tmf.core.trace.location.ITmfLocation;
import org.eclipse.tracecompass.tmf.core.trace.location.TmfLongLocation;

/**
 * A capture read through mbscope's parsers ({@link Traces#open(Path)}): events arrive merged
 * across CPUs in timestamp order, with the timestamps of the file's own clock (trace-cmd's
 * {@code trace_clock}, perf's {@code -k} clock), so they line up with the same capture opened by
 * any other tool. The location of an event is its rank in that order.
 */
public abstract class MbTrace extends TmfTrace implements ITmfPropertiesProvider {
    public static final String PLUGIN_ID = "io.mbscope.tracecompass";
    /** Readers a trace keeps open at once (event table, indexer, analyses each hold one). */
    static final int MAX_OPEN_READERS = 6;

    private final Map<String, TmfEventType> types = new ConcurrentHashMap<>();
    private volatile CursorPool pool;
    private volatile Path readPath;
    private Path spool;
    private volatile TraceInfo info;
    private TmfLongLocation current = new TmfLongLocation(0L);
    /** Captures up to this size are read once more at open, to know their duration. */
    static final long SCAN_AT_OPEN_BYTES = 32L << 20;
    private volatile long duration = -1;
    private final TraceMagic magic;

    /** A trace type for the files whose content starts with {@code magic}. */
    protected MbTrace(TraceMagic magic) {
        this.magic = magic;
    }

    @Override
    public IStatus validate(IProject project, String path) {
        TraceMagic m = TraceMagic.of(Paths.get(path));
        if (m == magic) {
            // 100: a magic number match is as certain as detection gets; text custom parsers say less
            return new TraceValidationStatus(100, PLUGIN_ID);
        }
        return new Status(IStatus.ERROR, PLUGIN_ID, path + ": not " + magic.description()
                + (m == TraceMagic.NONE ? "" : " (it is " + m + ")"));
    }

    @Override
    public void initTrace(IResource resource, String path, Class<? extends ITmfEvent> type)
            throws TmfTraceException {
        super.initTrace(resource, path, type);
        Path file = Paths.get(path);
        try {
            readPath = spoolIfCompressed(file);
            String name = file.getFileName().toString();
            pool = new CursorPool(() -> openReader(readPath, name), MAX_OPEN_READERS);
            ReaderCursor first = pool.acquire(0);
            try {
                TraceEvent e = first.read(0);
                if (e != null) {
                    setStartTime(TmfTimestamp.fromNanos(e.timestampNs()));
                    setEndTime(TmfTimestamp.fromNanos(e.timestampNs()));
                }
            } finally {
                pool.release(first);
            }
            try (TraceReader r = openReader(readPath, name)) {
                info = r.info();
                if (Files.size(readPath) <= SCAN_AT_OPEN_BYTES && getStartTime().toNanos() > Long.MIN_VALUE) {
                    long last = Long.MIN_VALUE;
                    for (TraceEvent e; (e = r.next()) != null;) {
                        last = e.timestampNs();
                    }
                    if (last != Long.MIN_VALUE) {
                        duration = last - getStartTime().toNanos();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            dispose();
            throw new TmfTraceException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binary readers need random access, so the parsers spool a zstd stream to a temporary file on
     * every open; one spool for the trace's lifetime keeps reopening (seeks backwards) cheap.
     */
    private Path spoolIfCompressed(Path file) throws IOException {
        if (!TraceMagic.isZstd(file)) {
            return file;
        }
        spool = Files.createTempFile("mbscope-tc-", ".trace");
        spool.toFile().deleteOnExit();
        try (InputStream in = new ZstdInputStream(Files.newInputStream(file));
             OutputStream out = Files.newOutputStream(spool)) {
            in.transferTo(out);
        }
        return spool;
    }

    /** A fresh reader positioned before the first event; every seek backwards calls this again. */
    protected TraceReader openReader(Path file, String displayName) throws IOException {
        return Traces.open(file, displayName);
    }

    /** Header facts of the capture (kernel release, clock, CPUs, buffers). */
    public TraceInfo info() {
        return info;
    }

    /** The file the readers open (the decompressed spool for a .zst capture). */
    public Path readPath() {
        return readPath;
    }

    /**
     * TC opens a trace on a 100 ms window by default; an allocator capture is worth seeing whole,
     * so the window is the whole run when it is known at open time (small captures are scanned
     * once in initTrace), else one second.
     */
    @Override
    public org.eclipse.tracecompass.tmf.core.timestamp.ITmfTimestamp getInitialRangeOffset() {
        return duration > 0 ? TmfTimestamp.fromNanos(duration + 1) : TmfTimestamp.fromSeconds(1);
    }

    @Override
    public Iterable<ITmfEventAspect<?>> getEventAspects() {
        return MbAspects.ALL;
    }

    @Override
    public synchronized ITmfLocation getCurrentLocation() {
        return current;
    }

    @Override
    public double getLocationRatio(ITmfLocation location) {
        long n = getNbEvents();
        return n <= 0 || location == null ? 0 : ((Long) location.getLocationInfo()).doubleValue() / n;
    }

    @Override
    public synchronized ITmfContext seekEvent(ITmfLocation location) {
        long rank = location == null ? 0L : (Long) location.getLocationInfo();
        return open(rank);
    }

    /** Ranks are locations here: no need to go through the checkpoint index. */
    @Override
    public synchronized ITmfContext seekEvent(long rank) {
        return open(Math.max(0, rank));
    }

    @Override
    public synchronized ITmfContext seekEvent(double ratio) {
        return open((long) (Math.max(0, Math.min(1, ratio)) * getNbEvents()));
    }

    private ITmfContext open(long rank) {
        current = new TmfLongLocation(rank);
        return new MbContext(rank, pool);
    }

    @Override
    public synchronized ITmfEvent parseEvent(ITmfContext context) {
        if (context == null || context.getLocation() == null) {
            return null;
        }
        long rank = (Long) context.getLocation().getLocationInfo();
        boolean own = context instanceof MbContext;
        ReaderCursor cursor = own ? ((MbContext) context).cursor : pool.acquire(rank);
        try {
            if (own) {
                pool.touch(cursor);
            }
            TraceEvent e = cursor.read(rank);
            if (e == null) {
                return null;
            }
            current = new TmfLongLocation(rank + 1);
            return toTmf(e, rank);
        } catch (IOException | RuntimeException e) {
            // TC's request loop treats null as end of trace, while an exception would kill its
            // event thread and leave every waiting analysis hanging; keep the reason in the log
            org.eclipse.tracecompass.common.core.log.TraceCompassLog.getLogger(MbTrace.class)
                    .warning(getPath() + ": event " + rank + ": " + e);
            return null;
        } finally {
            if (!own) {
                pool.release(cursor);
            }
        }
    }

    private MbEvent toTmf(TraceEvent e, long rank) {
        TmfEventType type = types.computeIfAbsent(e.name(), n -> new TmfEventType(n, null));
        return new MbEvent(this, rank, TmfTimestamp.fromNanos(e.timestampNs()), type, content(e), e);
    }

    /** The payload as the kernel names it (trace-cmd / perf script column names). */
    static ITmfEventField content(TraceEvent e) {
        List<ITmfEventField> fields = new ArrayList<>();
        RawEvent raw = e.raw();
        if (raw != null) {
            for (Map.Entry<String, Object> f : raw.payload().entrySet()) {
                fields.add(new TmfEventField(f.getKey(), displayable(f.getValue()), null));
            }
        } else if (e instanceof Record rec) {
            // synthesized events (tests, replays) carry no RawEvent: show the record's components
            for (RecordComponent c : rec.getClass().getRecordComponents()) {
                if (c.getName().equals("header") || c.getName().equals("raw")) {
                    continue;
                }
                try {
                    fields.add(new TmfEventField(c.getName(), displayable(c.getAccessor().invoke(rec)), null));
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return new TmfEventField(ITmfEventField.ROOT_FIELD_ID, null, fields.toArray(new ITmfEventField[0]));
    }

    private static Object displayable(Object v) {
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v == null || v instanceof Long || v instanceof Integer || v instanceof String) {
            return v;
        }
        return v.toString();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        TraceInfo i = info;
        if (i != null) {
            p.put("format", i.format().label());
            p.put("kernel", String.valueOf(i.kernelRelease()));
            p.put("clock", String.valueOf(i.clock()));
            p.put("cpus", Integer.toString(i.cpus()));
            p.put("buffers", String.join(", ", i.buffers()));
        }
        return p;
    }

    /** Counts of a full read (events, lost, skipped by reason) from a fresh reader; O(trace). */
    public ReadStats readStats() throws IOException {
        try (TraceReader r = openReader(readPath, Paths.get(getPath()).getFileName().toString())) {
            while (r.next() != null) {
                // counted by the reader
            }
            return r.stats();
        }
    }

    @Override
    public synchronized void dispose() {
        if (pool != null) {
            pool.closeAll();
        }
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                // deleteOnExit was registered as well
            }
        }
        super.dispose();
    }
}
