package io.mbscope.report;

import io.mbscope.parsers.event.TraceEvent.MbExtent;
import io.mbscope.replay.atomic.AtomicRow;
import io.mbscope.replay.atomic.Placement;
import io.mbscope.replay.atomic.RfcOutcome;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The CSV tables behind the charts (RFC 4180: comma, CRLF, quotes only where needed). Column names
 * are part of the interface and documented in the module README; rows are in trace order, traces
 * in the order given, so the same input gives byte-identical files.
 */
public final class CsvTables {
    public static final String ALLOCATIONS = "allocations.csv";
    public static final String MBALLOC = "mballoc.csv";
    public static final String EVENT_COUNTS = "event_counts.csv";
    public static final String FREE_SPACE = "free_space.csv";
    public static final String ATOMIC_WRITES = "atomic_writes.csv";
    public static final String DIVERGENCES = "divergences.csv";
    static final String[] DIVERGENCE_COLUMNS = {
        "trace", "time_ns", "time_s", "ino", "field", "kernel", "model", "class", "rule"};

    static final String[] ALLOCATION_COLUMNS = {
        "trace", "seq", "time_ns", "time_s", "cpu", "pid", "comm", "ino", "lblk", "len", "block", "goal", "flags",
        "flag_names", "source", "group", "cr", "cr_name", "groups_scanned", "orig_len", "goal_len", "result_len",
        "model_block", "model_len", "model_exact", "divergence_classes"};
    static final String[] MBALLOC_COLUMNS = {
        "trace", "seq", "time_ns", "time_s", "cpu", "pid", "kind", "ino",
        "orig_group", "orig_start", "orig_len", "orig_logical", "goal_group", "goal_start", "goal_len",
        "goal_logical", "result_group", "result_start", "result_len", "result_logical", "found", "groups_scanned",
        "buddy_order", "flags", "flag_names", "tail", "cr", "cr_name"};
    static final String[] EVENT_COUNT_COLUMNS = {"trace", "event", "count"};
    static final String[] ATOMIC_COLUMNS = {
        "trace", "time_ns", "time_s", "seq", "file", "ino", "offset", "length", "segments", "rw_flags", "direct",
        "result", "csv_result", "mainline", "mainline_reason", "mainline_matches", "phys_byte", "maps",
        "contiguous", "aligned", "map_type", "allocated", "alloc_source", "rfc", "rfc_reason", "rfc_phys_block",
        "rfc_goal_block", "rfc_normalized_blocks", "fiemap_agrees", "note"};

    private CsvTables() {
    }

    static CSVFormat format(String... header) {
        return CSVFormat.RFC4180.builder().setHeader(header).setRecordSeparator("\r\n").get();
    }

    static CSVPrinter open(Path file, String... header) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new CSVPrinter(w, format(header));
    }

    /** Seconds since the trace's first event, fixed to microseconds so the text does not depend on the JVM. */
    static String seconds(TraceData t, long ns) {
        return String.format(Locale.ROOT, "%.6f", t.seconds(ns));
    }

    static String orEmpty(long v) {
        return v < 0 ? "" : Long.toString(v);
    }

    public static void writeAllocations(Path file, List<TraceData> traces) throws IOException {
        try (CSVPrinter p = open(file, ALLOCATION_COLUMNS)) {
            List<Object> row = new ArrayList<>(ALLOCATION_COLUMNS.length);
            for (TraceData t : traces) {
                String kr = t.kernelRelease();
                java.util.Map<List<Long>, ReplayData.Predicted> pred = new java.util.HashMap<>();
                if (t.replay() != null) {
                    for (ReplayData.Predicted p0 : t.replay().predicted()) {
                        pred.putIfAbsent(List.of(p0.timeNs(), p0.ino()), p0);
                    }
                }
                for (Allocation a : t.allocations()) {
                    row.clear();
                    row.add(t.label());
                    row.add(a.seq());
                    row.add(a.timeNs());
                    row.add(seconds(t, a.timeNs()));
                    row.add(a.cpu());
                    row.add(a.pid());
                    row.add(a.comm());
                    row.add(a.ino());
                    row.add(a.lblk());
                    row.add(a.len());
                    row.add(a.block());
                    row.add(a.goal());
                    row.add(a.flags());
                    row.add(MbFlags.names(a.flags()));
                    row.add(a.source());
                    row.add(orEmpty(a.group()));
                    row.add(orEmpty(a.cr()));
                    row.add(a.cr() < 0 ? "" : Criteria.name(a.cr(), kr));
                    row.add(orEmpty(a.groups()));
                    row.add(orEmpty(a.origLen()));
                    row.add(orEmpty(a.goalLen()));
                    row.add(orEmpty(a.resultLen()));
                    ReplayData.Predicted m = pred.get(List.of(a.timeNs(), a.ino()));
                    row.add(m == null ? "" : orEmpty(m.block()));
                    row.add(m == null ? "" : orEmpty(m.len()));
                    row.add(m == null ? "" : Boolean.toString(m.classes().isEmpty()));
                    row.add(m == null ? "" : m.classes());
                    p.printRecord(row);
                }
            }
        }
    }

    public static void writeMballoc(Path file, List<TraceData> traces) throws IOException {
        try (CSVPrinter p = open(file, MBALLOC_COLUMNS)) {
            List<Object> row = new ArrayList<>(MBALLOC_COLUMNS.length);
            for (TraceData t : traces) {
                String kr = t.kernelRelease();
                for (MballocRecord m : t.mballoc()) {
                    row.clear();
                    row.add(t.label());
                    row.add(m.seq());
                    row.add(m.timeNs());
                    row.add(seconds(t, m.timeNs()));
                    row.add(m.cpu());
                    row.add(m.pid());
                    row.add(m.prealloc() ? "prealloc" : "alloc");
                    row.add(m.ino());
                    extent(row, m.orig());
                    extent(row, m.goal());
                    extent(row, m.result());
                    row.add(orEmpty(m.found()));
                    row.add(orEmpty(m.groups()));
                    row.add(orEmpty(m.buddy()));
                    row.add(m.prealloc() ? "" : Integer.toString(m.flags()));
                    row.add(m.prealloc() ? "" : MbFlags.names(m.flags()));
                    row.add(orEmpty(m.tail()));
                    row.add(orEmpty(m.cr()));
                    row.add(m.cr() < 0 ? "" : Criteria.name(m.cr(), kr));
                    p.printRecord(row);
                }
            }
        }
    }

    private static void extent(List<Object> row, MbExtent e) {
        if (e == null) {
            row.add("");
            row.add("");
            row.add("");
            row.add("");
        } else {
            row.add(e.group());
            row.add(e.start());
            row.add(e.len());
            row.add(e.logical());
        }
    }

    public static void writeEventCounts(Path file, List<TraceData> traces) throws IOException {
        try (CSVPrinter p = open(file, EVENT_COUNT_COLUMNS)) {
            for (TraceData t : traces) {
                for (Map.Entry<String, Long> e : t.eventCounts().entrySet()) {
                    p.printRecord(t.label(), e.getKey(), e.getValue());
                }
            }
        }
    }

    static String[] freeSpaceColumns() {
        List<String> c = new ArrayList<>(List.of("trace", "sample", "time_ns", "time_s", "group", "free_clusters",
                "free_runs", "largest_free_run"));
        for (int o = 0; o < FreeSpaceTimeline.ORDERS; o++) {
            c.add("order_" + o);
        }
        return c.toArray(new String[0]);
    }

    /** One row per trace, sample and group; group -1 is the whole file system. */
    public static void writeFreeSpace(Path file, List<TraceData> traces, Map<String, List<FreeSpaceTimeline.Sample>>
            samplesByLabel) throws IOException {
        String[] cols = freeSpaceColumns();
        try (CSVPrinter p = open(file, cols)) {
            List<Object> row = new ArrayList<>(cols.length);
            for (TraceData t : traces) {
                List<FreeSpaceTimeline.Sample> samples = samplesByLabel.get(t.label());
                if (samples == null) {
                    continue;
                }
                for (FreeSpaceTimeline.Sample s : samples) {
                    row.clear();
                    row.add(t.label());
                    row.add(s.sample());
                    row.add(s.timeNs());
                    row.add(seconds(t, s.timeNs()));
                    row.add(s.group());
                    row.add(s.freeClusters());
                    row.add(s.freeRuns());
                    row.add(s.largestRun());
                    for (long v : s.freeExtents()) {
                        row.add(v);
                    }
                    p.printRecord(row);
                }
            }
        }
    }

    /** One row per pwritev2(RWF_ATOMIC) of every trace that has an atomic analysis. */
    public static void writeAtomic(Path file, List<TraceData> traces) throws IOException {
        try (CSVPrinter p = open(file, ATOMIC_COLUMNS)) {
            List<Object> row = new ArrayList<>(ATOMIC_COLUMNS.length);
            for (TraceData t : traces) {
                if (t.atomic() == null) {
                    continue;
                }
                for (AtomicRow r : t.atomic().rows()) {
                    row.clear();
                    row.add(t.label());
                    row.add(r.timeNs());
                    row.add(seconds(t, r.timeNs()));
                    row.add(orEmpty(r.seq()));
                    row.add(r.file() == null ? "" : r.file());
                    row.add(orEmpty(r.ino()));
                    row.add(r.offset());
                    row.add(orEmpty(r.length()));
                    row.add(r.segments());
                    row.add(r.rwFlags());
                    row.add(r.direct());
                    row.add(r.real() == null ? "" : r.real().label());
                    row.add(r.csv() == null ? "" : r.csv().label());
                    row.add(r.predicted().errno().label());
                    row.add(r.predicted().reason().name());
                    row.add(r.verdictMatches());
                    Placement pl = r.placement();
                    row.add(pl == null ? "" : Long.toString(pl.physByte()));
                    row.add(pl == null ? "" : Integer.toString(pl.maps()));
                    row.add(pl == null ? "" : Boolean.toString(pl.contiguous()));
                    row.add(pl == null ? "" : Boolean.toString(pl.aligned()));
                    row.add(pl == null || pl.type() == null ? "" : pl.type());
                    row.add(pl == null ? "" : Boolean.toString(pl.allocated()));
                    row.add(pl == null || pl.source() == null ? "" : pl.source());
                    RfcOutcome rfc = r.rfc();
                    row.add(rfc == null ? "" : rfc.verdict().errno().label());
                    row.add(rfc == null ? "" : rfc.verdict().reason().name());
                    row.add(rfc == null ? "" : orEmpty(rfc.physBlock()));
                    row.add(rfc == null ? "" : orEmpty(rfc.goalBlock()));
                    row.add(rfc == null ? "" : Long.toString(rfc.normalizedBlocks()));
                    row.add(r.fiemapAgrees() == null ? "" : r.fiemapAgrees().toString());
                    row.add(r.note() == null ? "" : r.note());
                    p.printRecord(row);
                }
            }
        }
    }

    /** One row per field on which the replay model and the kernel disagree. */
    public static void writeDivergences(Path file, List<TraceData> traces) throws IOException {
        try (CSVPrinter p = open(file, DIVERGENCE_COLUMNS)) {
            for (TraceData t : traces) {
                if (t.replay() == null) {
                    continue;
                }
                for (ReplayData.Div d : t.replay().divergences()) {
                    p.printRecord(t.label(), d.timeNs(), seconds(t, d.timeNs()), d.ino(), d.field(), d.kernel(),
                            d.model(), d.cause(), d.rule());
                }
            }
        }
    }
}
