package io.mbscope.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a report directory: CSV tables, every chart as PNG (and SVG), and index.html tying them
 * together. Output depends only on the input: no clock, host or locale in any file.
 */
public final class Report {
    public static final String INDEX = "index.html";
    static final int WIDTH = 1200;
    static final int HEIGHT = 700;
    /** SVG keeps one element per mark: above this the allocation map's SVG is binned harder than the PNG. */
    static final int SVG_MAX_POINTS = 40_000;

    /** A table written, for the HTML page and the caller. */
    public record Table(String file, String description, long rows) {
    }

    /** A chart written: {@code png} and {@code svg} (null when SVG is off) are file names in the directory. */
    public record Chart(String title, String howToRead, String png, String svg, int width, int height) {
    }

    /** What was written. */
    public record Result(Path dir, List<Table> tables, List<Chart> charts) {
        public Result {
            tables = List.copyOf(tables);
            charts = List.copyOf(charts);
        }
    }

    private Report() {
    }

    public static Result write(List<TraceData> traces, Path dir, ReportOptions opt) throws IOException {
        Objects.requireNonNull(traces, "traces");
        Objects.requireNonNull(dir, "dir");
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("no trace to report on");
        }
        Set<String> labels = new HashSet<>();
        for (TraceData t : traces) {
            if (!labels.add(t.label())) {
                throw new IllegalArgumentException("two traces are labelled '" + t.label() + "'; give --label");
            }
        }
        Files.createDirectories(dir);

        Map<String, List<FreeSpaceTimeline.Sample>> samples = new LinkedHashMap<>();
        for (TraceData t : traces) {
            if (t.fsState() != null) {
                boolean perGroup = (long) t.fsState().groups() * opt.freeSpaceSamples() <= 400_000;
                samples.put(t.label(), FreeSpaceTimeline.compute(t.fsState(), t.spaceChanges(), t.firstNs(),
                        t.lastNs(), opt.freeSpaceSamples(), perGroup));
            }
        }

        List<Table> tables = new ArrayList<>();
        long allocs = 0;
        long mb = 0;
        long counts = 0;
        long free = 0;
        for (TraceData t : traces) {
            allocs += t.allocations().size();
            mb += t.mballoc().size();
            counts += t.eventCounts().size();
        }
        for (List<FreeSpaceTimeline.Sample> s : samples.values()) {
            free += s.size();
        }
        CsvTables.writeAllocations(dir.resolve(CsvTables.ALLOCATIONS), traces);
        tables.add(new Table(CsvTables.ALLOCATIONS, "one row per ext4_allocate_blocks, joined with the "
                + "ext4_mballoc_alloc/prealloc event of the same request", allocs));
        CsvTables.writeMballoc(dir.resolve(CsvTables.MBALLOC), traces);
        tables.add(new Table(CsvTables.MBALLOC, "one row per ext4_mballoc_alloc and ext4_mballoc_prealloc: "
                + "original request, normalised goal, result, criterion, groups scanned", mb));
        CsvTables.writeFreeSpace(dir.resolve(CsvTables.FREE_SPACE), traces, samples);
        tables.add(new Table(CsvTables.FREE_SPACE, "free space samples per trace, whole fs (group -1) and per "
                + "group, with free extents per buddy order", free));
        CsvTables.writeEventCounts(dir.resolve(CsvTables.EVENT_COUNTS), traces);
        tables.add(new Table(CsvTables.EVENT_COUNTS, "events per type per trace", counts));
        long atomicRows = 0;
        for (TraceData t : traces) {
            atomicRows += t.atomic() == null ? 0 : t.atomic().rows().size();
        }
        long divRows = 0;
        boolean replayed = false;
        for (TraceData t : traces) {
            if (t.replay() != null) {
                replayed = true;
                divRows += t.replay().divergences().size();
            }
        }
        CsvTables.writeDivergences(dir.resolve(CsvTables.DIVERGENCES), traces);
        tables.add(new Table(CsvTables.DIVERGENCES, "one row per field where the replay model and the kernel "
                + "disagree, with the root-cause class and the rule that classified it", divRows));
        CsvTables.writeAtomic(dir.resolve(CsvTables.ATOMIC_WRITES), traces);
        tables.add(new Table(CsvTables.ATOMIC_WRITES, "one row per pwritev2(RWF_ATOMIC): kernel result, mainline "
                + "prediction and reason, physical placement, RFC what-if", atomicRows));

        List<ChartSpec> specs = new ArrayList<>();
        specs.add(Charts.allocationMap(traces, opt, WIDTH, HEIGHT));
        if (!samples.isEmpty()) {
            specs.add(Charts.freeSpace(traces, samples, WIDTH, 900));
            for (TraceData t : traces) {
                List<FreeSpaceTimeline.Sample> s = samples.get(t.label());
                if (s == null) {
                    continue;
                }
                int i = traces.indexOf(t);
                String suffix = traces.size() == 1 ? "" : "-" + (i + 1) + "-" + fileSafe(t.label(), i);
                specs.add(Charts.freeOrders(t, s, suffix, WIDTH, HEIGHT));
                if (s.size() > opt.freeSpaceSamples()) {
                    int h = Math.min(1400, Math.max(320, 200 + 12 * t.fsState().groups()));
                    specs.add(Charts.freeGroups(t, s, suffix, WIDTH, h));
                }
            }
        }
        for (TraceData t : traces) {
            if (t.atomic() != null && t.atomic().summary().atomicWrites() > 0) {
                int i = traces.indexOf(t);
                String suffix = traces.size() == 1 ? "" : "-" + (i + 1) + "-" + fileSafe(t.label(), i);
                specs.add(AtomicCharts.outcomes(t, suffix, WIDTH, 600));
                if (t.atomic().summary().placementChecked() > 0) {
                    // no successful write, nothing to place: the outcome chart already says so
                    specs.add(AtomicCharts.alignment(t, suffix, WIDTH, 520));
                }
            }
        }
        if (replayed && divRows > 0) {
            // a replay without divergence has nothing to plot: the summary gives its exact rate
            specs.add(DivergenceCharts.overTime(traces, WIDTH, 560));
        }
        specs.add(Charts.normalisation(traces, WIDTH, HEIGHT));
        specs.add(Charts.criteria(traces, WIDTH, 600));
        specs.add(Charts.groupsScanned(traces, WIDTH, 600));
        specs.add(Charts.groupsOverTime(traces, opt, WIDTH, HEIGHT));
        specs.add(Charts.eventCounts(traces, WIDTH));

        List<Chart> charts = new ArrayList<>();
        for (ChartSpec s : specs) {
            String png = s.name() + ".png";
            ChartFiles.writePng(s.chart(), dir.resolve(png), s.width(), s.height());
            String svg = null;
            if (opt.svg()) {
                svg = s.name() + ".svg";
                ChartSpec forSvg = s;
                if (s.name().equals("allocation-map") && opt.maxPoints() > SVG_MAX_POINTS) {
                    forSvg = Charts.allocationMap(traces, new ReportOptions(opt.colorBy(), SVG_MAX_POINTS,
                            opt.freeSpaceSamples(), true), WIDTH, HEIGHT, 500, 300);
                }
                ChartFiles.writeSvg(forSvg.chart(), dir.resolve(svg), s.width(), s.height());
            }
            charts.add(new Chart(s.title(), s.howToRead(), png, svg, s.width(), s.height()));
        }
        Html.write(dir.resolve(INDEX), traces, tables, charts);
        return new Result(dir, tables, charts);
    }

    /** A label as a file-name part: letters, digits, '.', '_' and '-' kept, the rest '_'. */
    static String fileSafe(String label, int index) {
        String s = label.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "trace" + index : s;
    }
}
