package io.mbscope.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Builds the report's charts from collected traces. Every chart has a title, axis labels with
 * units and a legend; colours come from one fixed palette so a trace or criterion keeps its
 * colour across charts, and nothing depends on the JVM's locale.
 */
final class Charts {
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22), new Color(0x393b79),
        new Color(0xad494a), new Color(0x7f7f7f)};
    static final Color OTHER = new Color(0xb0b0b0);
    static final String TIME_AXIS = "time since first event (s)";
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Allocation-map grid when binning: time bins x block bins. */
    static final int BIN_X = 1000;
    static final int BIN_Y = 600;
    /** Above this many points a scatter's x values are rounded to a grid finer than a pixel. */
    static final int SCATTER_MAX = 20_000;
    /** Inodes with their own colour on the allocation map; the rest share one grey. */
    static final int TOP_INODES = 10;

    private Charts() {
    }

    // ------------------------------------------------------------------ shared styling

    static JFreeChart finish(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setFrame(BlockBorder.NONE);
            l.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static void styleXY(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0x999999));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    }

    static NumberAxis numberAxis(String label, boolean integer) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(integer ? NumberAxis.createIntegerTickUnits(Locale.ROOT) : DECIMAL_UNITS);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    /**
     * Tick units from 1e-9 to 1e12 in 1-2-5 steps, each printed with exactly the decimals it needs;
     * JFreeChart's locale-specific set prints every unit with the same format, so sub-millisecond
     * steps all read "0".
     */
    private static final TickUnits DECIMAL_UNITS = decimalUnits();

    private static TickUnits decimalUnits() {
        TickUnits units = new TickUnits();
        DecimalFormatSymbols sym = DecimalFormatSymbols.getInstance(Locale.ROOT);
        for (int exp = -9; exp <= 12; exp++) {
            for (int m : new int[] {1, 2, 5}) {
                double size = m * Math.pow(10, exp);
                String pattern = exp >= 0 ? "#,##0" : "#,##0." + "0".repeat(-exp);
                units.add(new NumberTickUnit(size, new DecimalFormat(pattern, sym)));
            }
        }
        return units;
    }

    static NumberAxis timeAxis() {
        NumberAxis a = numberAxis(TIME_AXIS, false);
        a.setAutoRangeIncludesZero(true);
        return a;
    }

    /** A base-2 log axis with one tick per power of two: mballoc sizes are powers of two. */
    static LogAxis log2Axis(String label) {
        LogAxis a = new LogAxis(label);
        a.setBase(2);
        a.setSmallestValue(0.5);
        a.setTickUnit(new NumberTickUnit(1));
        a.setNumberFormatOverride(new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        a.setMinorTickMarksVisible(false);
        return a;
    }

    static void subtitle(JFreeChart chart, String text) {
        TextTitle t = new TextTitle(text, SUBTITLE_FONT);
        t.setPaint(new Color(0x444444));
        chart.addSubtitle(t);
    }

    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Phase markers (user-space tracing_mark_write text) as labelled vertical lines on a time axis. */
    private static void markPhases(XYPlot plot, TraceData t) {
        if (t.markers().isEmpty() || t.markers().size() > 40) {
            return;
        }
        int i = 0;
        for (TraceData.Mark m : t.markers()) {
            String text = m.text().trim();
            int p = text.indexOf("phase=");
            String label = p >= 0 ? text.substring(p + 6) : text;
            if (label.length() > 18) {
                label = label.substring(0, 17) + "…";
            }
            ValueMarker vm = new ValueMarker(t.seconds(m.timeNs()), new Color(0x888888),
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            vm.setLabel(label);
            vm.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            vm.setLabelPaint(new Color(0x555555));
            vm.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            vm.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            vm.setLabelBackgroundColor(new Color(255, 255, 255, 210));
            // phases often start within a few ms of each other: stagger the labels over four rows
            vm.setLabelOffset(new RectangleInsets(3 + 13 * (i++ % 4), 2, 2, 2));
            plot.addDomainMarker(vm);
        }
    }

    // ------------------------------------------------------------------ 1. allocation map

    /**
     * Physical placement over time: one bar per allocated extent, from its first block to its
     * last. A single trace is coloured by inode (the {@value #TOP_INODES} inodes that got the most
     * clusters, the rest grey) or by criterion; several traces are coloured by trace.
     */
    static ChartSpec allocationMap(List<TraceData> traces, ReportOptions opt, int width, int height) {
        return allocationMap(traces, opt, width, height, BIN_X, BIN_Y);
    }

    /** {@code binX} x {@code binY} is the grid used when there are more than maxPoints extents. */
    static ChartSpec allocationMap(List<TraceData> traces, ReportOptions opt, int width, int height, int binX,
                                   int binY) {
        boolean multi = traces.size() > 1;
        // series key per allocation, in a fixed order
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        Map<String, Color> colors = new HashMap<>();
        long points = 0;
        int blockSize = 0;
        boolean clustersKnown = true;
        double maxY = 0;
        for (TraceData t : traces) {
            if (t.fsState() != null) {
                blockSize = blockSize == 0 ? t.fsState().blockSize() : blockSize;
                maxY = Math.max(maxY, (double) t.fsState().totalClusters() * t.fsState().clusterRatio());
            } else {
                clustersKnown = false;
            }
        }
        List<String> order = new ArrayList<>();
        if (multi) {
            for (int i = 0; i < traces.size(); i++) {
                order.add(traces.get(i).label());
                colors.put(traces.get(i).label(), color(i));
            }
        } else if (!traces.isEmpty()) {
            order.addAll(singleTraceKeys(traces.get(0), opt.colorBy(), colors));
        }
        for (String k : order) {
            series.put(k, new ArrayList<>());
        }
        for (TraceData t : traces) {
            int ratio = t.fsState() == null ? 1 : t.fsState().clusterRatio();
            Map<Long, String> inodeKeys = multi || opt.colorBy() != ReportOptions.ColorBy.INODE ? null
                    : inodeKeys(t);
            for (Allocation a : t.allocations()) {
                if (a.len() <= 0) {
                    continue;
                }
                String key = multi ? t.label() : opt.colorBy() == ReportOptions.ColorBy.INODE
                        ? inodeKeys.getOrDefault(a.ino(), OTHER_INODES) : criterionKey(a, t.kernelRelease());
                series.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new double[] {t.seconds(a.timeNs()), a.block(), a.block() + (double) a.len() * ratio});
                points++;
            }
        }
        ArrayIntervalDataset ds = new ArrayIntervalDataset();
        String binNote = null;
        boolean binned = points > opt.maxPoints();
        double maxX = 0;
        double maxBlock = maxY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                maxX = Math.max(maxX, p[0]);
                maxBlock = Math.max(maxBlock, p[2]);
            }
        }
        long cells = 0;
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> pts = e.getValue();
            if (pts.isEmpty()) {
                continue;
            }
            double[][] cols = binned ? bin(pts, maxX, maxBlock, binX, binY) : columns(pts);
            cells += cols[0].length;
            ds.addSeries(e.getKey() + " (" + pts.size() + ")", cols[0], cols[1], cols[2]);
            keys.add(e.getKey());
        }
        if (binned) {
            binNote = String.format(Locale.ROOT, "%,d extents binned into a %dx%d time x block grid (%,d cells): "
                    + "more than %,d points", points, binX, binY, cells, opt.maxPoints());
        }
        ExtentRenderer r = new ExtentRenderer(binned ? 1.5 : 2.5);
        for (int i = 0; i < keys.size(); i++) {
            r.setSeriesPaint(i, colors.getOrDefault(keys.get(i), OTHER));
            r.setSeriesShape(i, new Rectangle2D.Double(-4, -4, 8, 8));
        }
        r.setDefaultLegendShape(new Rectangle2D.Double(-4, -4, 8, 8));
        String unit = blockSize > 0 ? blockSize + "-byte blocks" : "fs blocks";
        NumberAxis y = numberAxis("physical block (" + unit + ")", true);
        y.setAutoRangeIncludesZero(true);
        if (maxY > 0 && maxY >= maxBlock) {
            // the whole device: where on the disk the allocations went matters as much as their order
            y.setRange(0, maxY);
        }
        XYPlot plot = new XYPlot(ds, timeAxis(), y, r);
        styleXY(plot);
        if (!multi && !traces.isEmpty()) {
            markPhases(plot, traces.get(0));
        }
        markAtomicWrites(plot, traces);
        markDivergences(plot, traces);
        String by = multi ? "trace" : opt.colorBy() == ReportOptions.ColorBy.INODE ? "inode" : "criterion";
        JFreeChart chart = finish("Allocation map: where each extent went, coloured by " + by, plot, true);
        subtitle(chart, String.format(Locale.ROOT, "%,d allocated extents from ext4_allocate_blocks%s", points,
                clustersKnown ? "" : "; bar height assumes 1 block per cluster (no fs image given)"));
        if (binNote != null) {
            subtitle(chart, binNote);
        }
        return new ChartSpec("allocation-map", "Allocation map",
                "Each bar is one extent the kernel allocated (ext4_allocate_blocks), drawn at the time it was "
                        + "allocated from its first to its last physical block; a stream of bars climbing "
                        + "steadily means contiguous placement, scattered bars mean the allocator jumped around"
                        + (multi ? "; colours are traces." : "; colours are " + by + "s, dashed lines are "
                        + "workload phases."),
                chart, width, height);
    }

    /**
     * Successful RWF_ATOMIC writes on top of the extents, as open diamonds at their first physical
     * block (from the iomap mappings), so one sees whether they landed in fresh aligned space.
     */
    private static void markAtomicWrites(XYPlot plot, List<TraceData> traces) {
        List<double[]> pts = new ArrayList<>();
        for (TraceData t : traces) {
            if (t.atomic() == null || t.atomic().blockSize() <= 0) {
                continue;
            }
            for (var r : t.atomic().rows()) {
                if (r.placement() != null && r.placement().physByte() >= 0) {
                    pts.add(new double[] {t.seconds(r.timeNs()), r.placement().physByte() / t.atomic().blockSize()});
                }
            }
        }
        if (pts.isEmpty()) {
            return;
        }
        XYSeries xs = new XYSeries("successful RWF_ATOMIC write (" + pts.size() + ")", false, true);
        for (double[] p : pts) {
            xs.add(p[0], p[1], false);
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(xs);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        java.awt.geom.Path2D.Double diamond = new java.awt.geom.Path2D.Double();
        diamond.moveTo(0, -5);
        diamond.lineTo(5, 0);
        diamond.lineTo(0, 5);
        diamond.lineTo(-5, 0);
        diamond.closePath();
        r.setSeriesShape(0, diamond);
        r.setSeriesShapesFilled(0, false);
        r.setSeriesPaint(0, Color.BLACK);
        r.setUseOutlinePaint(false);
        plot.setDataset(1, ds);
        plot.setRenderer(1, r);
    }

    /** Allocations the replay model predicted differently, as red crosses at the kernel's block. */
    private static void markDivergences(XYPlot plot, List<TraceData> traces) {
        List<double[]> pts = new ArrayList<>();
        for (TraceData t : traces) {
            if (t.replay() == null) {
                continue;
            }
            java.util.Map<List<Long>, Allocation> byKey = new java.util.HashMap<>();
            for (Allocation a : t.allocations()) {
                byKey.putIfAbsent(List.of(a.timeNs(), a.ino()), a);
            }
            for (ReplayData.Predicted p : t.replay().predicted()) {
                Allocation a = byKey.get(List.of(p.timeNs(), p.ino()));
                if (!p.classes().isEmpty() && a != null && a.len() > 0) {
                    pts.add(new double[] {t.seconds(a.timeNs()), a.block()});
                }
            }
        }
        if (pts.isEmpty()) {
            return;
        }
        XYSeries xs = new XYSeries("model diverged (" + pts.size() + ")", false, true);
        for (double[] p : pts) {
            xs.add(p[0], p[1], false);
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(xs);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        java.awt.geom.Path2D.Double cross = new java.awt.geom.Path2D.Double();
        cross.moveTo(-4, -4);
        cross.lineTo(4, 4);
        cross.moveTo(-4, 4);
        cross.lineTo(4, -4);
        r.setSeriesShape(0, cross);
        r.setSeriesShapesFilled(0, false);
        r.setUseOutlinePaint(false);
        r.setSeriesPaint(0, new Color(0xd00000));
        r.setSeriesStroke(0, new BasicStroke(1.5f));
        r.setSeriesOutlineStroke(0, new BasicStroke(1.5f));
        plot.setDataset(2, ds);
        plot.setRenderer(2, r);
    }

    static final String OTHER_INODES = "other inodes";

    private static Map<Long, String> inodeKeys(TraceData t) {
        Map<Long, Long> clusters = new HashMap<>();
        for (Allocation a : t.allocations()) {
            if (a.len() > 0) {
                clusters.merge(a.ino(), a.len(), Long::sum);
            }
        }
        List<Map.Entry<Long, Long>> top = new ArrayList<>(clusters.entrySet());
        top.sort(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        TreeMap<Long, String> keys = new TreeMap<>();
        for (int i = 0; i < Math.min(TOP_INODES, top.size()); i++) {
            long ino = top.get(i).getKey();
            keys.put(ino, "inode " + ino);
        }
        return keys;
    }

    private static List<String> singleTraceKeys(TraceData t, ReportOptions.ColorBy by, Map<String, Color> colors) {
        List<String> keys = new ArrayList<>();
        if (by == ReportOptions.ColorBy.INODE) {
            keys.addAll(new TreeMap<>(inodeKeys(t)).values());
            keys.add(OTHER_INODES);
        } else {
            for (int cr = 0; cr < Criteria.count(t.kernelRelease()); cr++) {
                keys.add(Criteria.name(cr, t.kernelRelease()));
            }
            keys.add(FROM_PA);
            keys.add(NO_MBALLOC_EVENT);
        }
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            colors.put(k, k.equals(OTHER_INODES) || k.equals(NO_MBALLOC_EVENT) ? OTHER : color(i));
        }
        return keys;
    }

    static final String FROM_PA = "from a preallocation";
    static final String NO_MBALLOC_EVENT = "no ext4_mballoc_* event";

    private static String criterionKey(Allocation a, String kernelRelease) {
        if (Allocation.SOURCE_PREALLOC.equals(a.source())) {
            return FROM_PA;
        }
        if (a.cr() < 0) {
            return NO_MBALLOC_EVENT;
        }
        return Criteria.name(a.cr(), kernelRelease);
    }

    private static double[][] columns(List<double[]> pts) {
        double[][] c = new double[3][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            c[0][i] = pts.get(i)[0];
            c[1][i] = pts.get(i)[1];
            c[2][i] = pts.get(i)[2];
        }
        return c;
    }

    /** Occupied cells of a BIN_X x BIN_Y grid, each drawn as one bar spanning its block range. */
    private static double[][] bin(List<double[]> pts, double maxX, double maxY, int binX, int binY) {
        TreeSet<Long> cells = new TreeSet<>();
        double dx = Math.max(maxX, 1e-9) / binX;
        double dy = Math.max(maxY, 1) / binY;
        for (double[] p : pts) {
            long bx = Math.min(binX - 1, (long) (p[0] / dx));
            long from = Math.min(binY - 1, (long) (p[1] / dy));
            long to = Math.min(binY - 1, (long) (Math.max(p[1], p[2] - 1) / dy));
            for (long by = from; by <= to; by++) {
                cells.add(bx * binY + by);
            }
        }
        double[][] c = new double[3][cells.size()];
        int i = 0;
        for (long cell : cells) {
            long bx = cell / binY;
            long by = cell % binY;
            c[0][i] = (bx + 0.5) * dx;
            c[1][i] = by * dy;
            c[2][i] = (by + 1) * dy;
            i++;
        }
        return c;
    }

    // ------------------------------------------------------------------ 3. normalisation

    /**
     * ext4_mb_normalize_request() at work: for every regular allocation the requested length
     * against the normalised goal length and the length the allocator found, on log2 axes.
     */
    static ChartSpec normalisation(List<TraceData> traces, int width, int height) {
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        boolean multi = traces.size() > 1;
        long requests = 0;
        long maxLen = 1;
        int s = 0;
        for (int ti = 0; ti < traces.size(); ti++) {
            TraceData t = traces.get(ti);
            TreeSet<long[]> goal = new TreeSet<>(PAIR_ORDER);
            TreeSet<long[]> found = new TreeSet<>(PAIR_ORDER);
            for (MballocRecord m : t.mballoc()) {
                if (m.prealloc() || m.orig().len() <= 0) {
                    continue;
                }
                requests++;
                if (m.goal().len() > 0) {
                    goal.add(new long[] {m.orig().len(), m.goal().len()});
                    maxLen = Math.max(maxLen, m.goal().len());
                }
                if (m.result().len() > 0) {
                    found.add(new long[] {m.orig().len(), m.result().len()});
                    maxLen = Math.max(maxLen, m.result().len());
                }
                maxLen = Math.max(maxLen, m.orig().len());
            }
            String prefix = multi ? t.label() + ": " : "";
            Color c = multi ? color(ti) : null;
            ds.addSeries(series(prefix + "normalised goal", goal));
            r.setSeriesShape(s, new Ellipse2D.Double(-5, -5, 10, 10));
            r.setSeriesShapesFilled(s, false);
            r.setSeriesPaint(s, c != null ? c : color(0));
            s++;
            ds.addSeries(series(prefix + "allocated", found));
            r.setSeriesShape(s, new Rectangle2D.Double(-2.5, -2.5, 5, 5));
            r.setSeriesPaint(s, c != null ? c.darker() : color(3));
            s++;
        }
        r.setUseOutlinePaint(false);
        XYPlot plot = new XYPlot(ds, log2Axis("requested length (clusters, log2 scale)"),
                log2Axis("length (clusters, log2 scale)"), r);
        styleXY(plot);
        XYLineAnnotation diag = new XYLineAnnotation(1, 1, maxLen * 2.0, maxLen * 2.0,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f),
                new Color(0x999999));
        diag.setToolTipText("length = requested");
        plot.addAnnotation(diag);
        JFreeChart chart = finish("Normalisation: requested vs normalised goal vs allocated length", plot, true);
        subtitle(chart, String.format(Locale.ROOT, "%,d regular allocations (ext4_mballoc_alloc orig/goal/result); "
                + "dashed line: length = requested", requests));
        return new ChartSpec("normalisation", "Normalisation",
                "One mark per distinct (requested, length) pair of ext4_mballoc_alloc: circles are the goal length "
                        + "after ext4_mb_normalize_request(), squares what the allocator found; marks above the "
                        + "dashed diagonal were enlarged (the surplus becomes a preallocation), marks below it "
                        + "got less than asked.",
                chart, width, height);
    }

    private static final Comparator<long[]> PAIR_ORDER =
            Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]);

    private static XYSeries series(String key, TreeSet<long[]> pairs) {
        XYSeries xs = new XYSeries(key, false, true);
        for (long[] p : pairs) {
            xs.add(p[0], p[1], false);
        }
        return xs;
    }

    // ------------------------------------------------------------------ 4. criteria and groups scanned

    static ChartSpec criteria(List<TraceData> traces, int width, int height) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        long total = 0;
        for (TraceData t : traces) {
            TreeMap<Integer, Long> perCr = new TreeMap<>();
            for (int cr = 0; cr < Criteria.count(t.kernelRelease()); cr++) {
                perCr.put(cr, 0L);
            }
            long pa = 0;
            for (MballocRecord m : t.mballoc()) {
                if (m.prealloc()) {
                    pa++;
                } else {
                    perCr.merge(m.cr(), 1L, Long::sum);
                    total++;
                }
            }
            for (Map.Entry<Integer, Long> e : perCr.entrySet()) {
                ds.addValue(e.getValue(), t.label(), Criteria.name(e.getKey(), t.kernelRelease()));
            }
            ds.addValue(pa, t.label(), FROM_PA);
        }
        JFreeChart chart = barChart(ds, "criterion", "allocations", PlotOrientation.VERTICAL, traces.size() > 1);
        chart.setTitle("Criterion that satisfied each allocation");
        subtitle(chart, String.format(Locale.ROOT, "%,d regular allocations (ext4_mballoc_alloc cr) and the "
                + "requests served from preallocations (ext4_mballoc_prealloc)", total));
        return new ChartSpec("criteria", "Criteria",
                "How many allocations ended at each mballoc criterion, cheapest first: the later the criterion, "
                        + "the harder the allocator had to search (CR_ANY_FREE takes any free space); the last bar "
                        + "counts requests served from an existing preallocation without a search.",
                chart, width, height);
    }

    static ChartSpec groupsScanned(List<TraceData> traces, int width, int height) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        int maxBucket = 0;
        for (TraceData t : traces) {
            for (MballocRecord m : t.mballoc()) {
                if (!m.prealloc()) {
                    maxBucket = Math.max(maxBucket, bucket(m.groups()));
                }
            }
        }
        for (TraceData t : traces) {
            long[] counts = new long[maxBucket + 1];
            for (MballocRecord m : t.mballoc()) {
                if (!m.prealloc()) {
                    counts[bucket(m.groups())]++;
                }
            }
            for (int b = 0; b <= maxBucket; b++) {
                ds.addValue(counts[b], t.label(), bucketLabel(b));
            }
        }
        JFreeChart chart = barChart(ds, "groups scanned per allocation", "allocations", PlotOrientation.VERTICAL,
                traces.size() > 1);
        chart.setTitle("Groups scanned per allocation");
        subtitle(chart, "ext4_mballoc_alloc grps (ac_groups_scanned), in power-of-two buckets");
        return new ChartSpec("groups-scanned", "Groups scanned",
                "How many block groups the allocator looked at before it settled, per regular allocation: "
                        + "1 means the goal group served it, long tails mean a fragmented or full file system.",
                chart, width, height);
    }

    /** 0 -> "0", 1 -> "1", 2 -> "2", 3..4 -> "3-4", 5..8 -> "5-8", ... */
    static int bucket(int groups) {
        if (groups <= 2) {
            return Math.max(0, groups);
        }
        return 33 - Integer.numberOfLeadingZeros(groups - 1);
    }

    static String bucketLabel(int b) {
        if (b <= 2) {
            return Integer.toString(b);
        }
        return ((1 << (b - 2)) + 1) + "-" + (1 << (b - 1));
    }

    static ChartSpec groupsOverTime(List<TraceData> traces, ReportOptions opt, int width, int height) {
        boolean multi = traces.size() > 1;
        Map<String, TreeSet<long[]>> pts = new LinkedHashMap<>();
        Map<String, Color> colors = new HashMap<>();
        if (multi) {
            for (int i = 0; i < traces.size(); i++) {
                pts.put(traces.get(i).label(), new TreeSet<>(PAIR_ORDER));
                colors.put(traces.get(i).label(), color(i));
            }
        } else if (!traces.isEmpty()) {
            String kr = traces.get(0).kernelRelease();
            for (int cr = 0; cr < Criteria.count(kr); cr++) {
                pts.put(Criteria.name(cr, kr), new TreeSet<>(PAIR_ORDER));
                colors.put(Criteria.name(cr, kr), color(cr));
            }
        }
        // x is kept in microseconds, or in 1/BIN_X of the span when there are too many points
        long n = 0;
        double span = 0;
        for (TraceData t : traces) {
            span = Math.max(span, t.seconds(t.lastNs()));
            for (MballocRecord m : t.mballoc()) {
                n += m.prealloc() ? 0 : 1;
            }
        }
        // beyond SCATTER_MAX points, times are rounded to 1/2000 of the span (under a pixel at 1200 px):
        // the picture is the same, the SVG stays small
        double quantum = n > Math.min(opt.maxPoints(), SCATTER_MAX) ? Math.max(span, 1e-6) / 2000 : 1e-6;
        for (TraceData t : traces) {
            for (MballocRecord m : t.mballoc()) {
                if (m.prealloc()) {
                    continue;
                }
                String key = multi ? t.label() : Criteria.name(m.cr(), t.kernelRelease());
                pts.computeIfAbsent(key, k -> new TreeSet<>(PAIR_ORDER))
                        .add(new long[] {Math.round(t.seconds(m.timeNs()) / quantum), m.groups()});
            }
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        int s = 0;
        for (Map.Entry<String, TreeSet<long[]>> e : pts.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            XYSeries xs = new XYSeries(e.getKey(), false, true);
            for (long[] p : e.getValue()) {
                xs.add(p[0] * quantum, p[1], false);
            }
            ds.addSeries(xs);
            r.setSeriesPaint(s, colors.getOrDefault(e.getKey(), OTHER));
            r.setSeriesShape(s, new Ellipse2D.Double(-3, -3, 6, 6));
            s++;
        }
        NumberAxis y = numberAxis("groups scanned", true);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(ds, timeAxis(), y, r);
        styleXY(plot);
        if (!multi && !traces.isEmpty()) {
            markPhases(plot, traces.get(0));
        }
        JFreeChart chart = finish("Groups scanned over time, by " + (multi ? "trace" : "criterion"), plot, true);
        subtitle(chart, String.format(Locale.ROOT, "%,d regular allocations (ext4_mballoc_alloc)%s", n,
                quantum > 1e-6 ? String.format(Locale.ROOT, "; times rounded to %.3g s", quantum) : ""));
        return new ChartSpec("groups-scanned-over-time", "Groups scanned over time",
                "Each dot is one regular allocation at the time it happened, at the number of groups it scanned"
                        + (multi ? ", coloured by trace" : ", coloured by the criterion it ended at")
                        + ": rising dots show the search getting harder as the file system fills or fragments.",
                chart, width, height);
    }

    // ------------------------------------------------------------------ event counts

    static ChartSpec eventCounts(List<TraceData> traces, int width) {
        TreeMap<String, Boolean> names = new TreeMap<>();
        for (TraceData t : traces) {
            for (String k : t.eventCounts().keySet()) {
                names.put(k, true);
            }
        }
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (TraceData t : traces) {
            for (String name : names.keySet()) {
                ds.addValue(t.eventCounts().getOrDefault(name, 0L), t.label(), name);
            }
        }
        JFreeChart chart = barChart(ds, "event", "events", PlotOrientation.HORIZONTAL, traces.size() > 1);
        chart.setTitle("Events per type");
        long total = 0;
        for (TraceData t : traces) {
            total += t.events();
        }
        subtitle(chart, String.format(Locale.ROOT, "%,d events in %d trace%s", total, traces.size(),
                traces.size() == 1 ? "" : "s"));
        int height = Math.max(300, 140 + (int) (names.size() * Math.max(18, 12.0 * traces.size())));
        return new ChartSpec("event-counts", "Event counts",
                "How many events of each type each trace holds: compare with the kernel's own trace-cmd report "
                        + "or perf script counts to check nothing was lost.",
                chart, width, height);
    }

    private static JFreeChart barChart(DefaultCategoryDataset ds, String categoryLabel, String valueLabel,
                                       PlotOrientation orientation, boolean legend) {
        CategoryAxis x = new CategoryAxis(categoryLabel);
        if (orientation == PlotOrientation.VERTICAL) {
            x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
            x.setMaximumCategoryLabelLines(2);
        }
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        NumberAxis y = numberAxis(valueLabel, true);
        y.setAutoRangeIncludesZero(true);
        y.setUpperMargin(0.12);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < ds.getRowCount(); i++) {
            r.setSeriesPaint(i, color(i));
        }
        if (orientation == PlotOrientation.HORIZONTAL) {
            r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
                    TextAnchor.CENTER_LEFT));
        }
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        plot.setOrientation(orientation);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0x999999));
        return finish(null, plot, legend);
    }

    // ------------------------------------------------------------------ 2. free space

    static ChartSpec freeSpace(List<TraceData> traces, Map<String, List<FreeSpaceTimeline.Sample>> samples,
                               int width, int height) {
        XYSeriesCollection free = new XYSeriesCollection();
        XYSeriesCollection runs = new XYSeriesCollection();
        XYSeriesCollection largest = new XYSeriesCollection();
        XYLineAndShapeRenderer r1 = new XYLineAndShapeRenderer(true, false);
        XYLineAndShapeRenderer r2 = new XYLineAndShapeRenderer(true, false);
        XYLineAndShapeRenderer r3 = new XYLineAndShapeRenderer(true, false);
        int s = 0;
        for (int ti = 0; ti < traces.size(); ti++) {
            TraceData t = traces.get(ti);
            List<FreeSpaceTimeline.Sample> ss = samples.get(t.label());
            if (ss == null) {
                continue;
            }
            XYSeries f = new XYSeries(t.label(), false, true);
            XYSeries n = new XYSeries(t.label(), false, true);
            XYSeries l = new XYSeries(t.label(), false, true);
            for (FreeSpaceTimeline.Sample x : ss) {
                if (x.group() == -1) {
                    double sec = t.seconds(x.timeNs());
                    f.add(sec, x.freeClusters(), false);
                    n.add(sec, x.freeRuns(), false);
                    l.add(sec, x.largestRun(), false);
                }
            }
            free.addSeries(f);
            runs.addSeries(n);
            largest.addSeries(l);
            for (XYLineAndShapeRenderer r : List.of(r1, r2, r3)) {
                r.setSeriesPaint(s, color(ti));
                r.setSeriesStroke(s, new BasicStroke(2f));
            }
            s++;
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(timeAxis());
        plot.setGap(12);
        XYPlot p1 = new XYPlot(free, null, numberAxis("free clusters", true), r1);
        XYPlot p2 = new XYPlot(runs, null, numberAxis("free extents", true), r2);
        XYPlot p3 = new XYPlot(largest, null, numberAxis("largest free extent (clusters)", true), r3);
        for (XYPlot p : List.of(p1, p2, p3)) {
            styleXY(p);
            plot.add(p, 1);
        }
        r2.setDefaultSeriesVisibleInLegend(false);
        r3.setDefaultSeriesVisibleInLegend(false);
        if (traces.size() == 1) {
            markPhases(p1, traces.get(0));
        }
        JFreeChart chart = finish("Free space and fragmentation over time (whole file system)", plot, true);
        subtitle(chart, "initial state from the fs image, then ext4_mballoc_alloc results (with preallocations) "
                + "used and ext4_mballoc_free / ext4_mballoc_discard freed");
        return new ChartSpec("free-space", "Free space",
                "Top: free clusters as mballoc's buddy sees them (preallocated space counts as used); middle: "
                        + "number of separate free extents; bottom: the largest free extent. More extents with a "
                        + "shrinking largest one means the free space is fragmenting.",
                chart, width, height);
    }

    /** Free extents per buddy order over time, one line per order that ever has a free chunk. */
    static ChartSpec freeOrders(TraceData t, List<FreeSpaceTimeline.Sample> samples, String fileSuffix, int width,
                                int height) {
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        int s = 0;
        for (int o = 0; o < FreeSpaceTimeline.ORDERS; o++) {
            boolean any = false;
            for (FreeSpaceTimeline.Sample x : samples) {
                any |= x.group() == -1 && x.freeExtents()[o] > 0;
            }
            if (!any) {
                continue;
            }
            XYSeries xs = new XYSeries(String.format(Locale.ROOT, "order %d (%d cluster%s)", o, 1L << o,
                    o == 0 ? "" : "s"), false, true);
            for (FreeSpaceTimeline.Sample x : samples) {
                if (x.group() == -1) {
                    xs.add(t.seconds(x.timeNs()), x.freeExtents()[o], false);
                }
            }
            ds.addSeries(xs);
            r.setSeriesPaint(s, color(o));
            r.setSeriesStroke(s, new BasicStroke(o % 2 == 0 ? 2f : 1.5f));
            s++;
        }
        NumberAxis y = numberAxis("free extents of that order (count)", true);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(ds, timeAxis(), y, r);
        styleXY(plot);
        markPhases(plot, t);
        JFreeChart chart = finish("Free extents per buddy order over time: " + t.label(), plot, true);
        subtitle(chart, "aligned power-of-two free chunks as ext4_mb_mark_free_simple() splits free space "
                + "(the buddy's bb_counters), summed over all groups");
        return new ChartSpec("free-space-orders" + fileSuffix, "Free extents per buddy order (" + t.label() + ")",
                "Each line counts the free chunks of one size class in the buddy: high orders falling while "
                        + "order 0-2 rise means large free extents were broken up.",
                chart, width, height);
    }

    /** Heat map: free fraction of every group (y) at every sample (x). */
    static ChartSpec freeGroups(TraceData t, List<FreeSpaceTimeline.Sample> samples, String fileSuffix, int width,
                                int height) {
        FsSpace fs = t.fsState();
        List<double[]> cells = new ArrayList<>();
        double step = 0;
        double prev = Double.NaN;
        for (FreeSpaceTimeline.Sample x : samples) {
            if (x.group() < 0) {
                double sec = t.seconds(x.timeNs());
                if (!Double.isNaN(prev) && step == 0) {
                    step = sec - prev;
                }
                prev = sec;
                continue;
            }
            int size = fs.groupClusters()[x.group()];
            cells.add(new double[] {t.seconds(x.timeNs()), x.group(), size == 0 ? 0 : (double) x.freeClusters() / size});
        }
        double[][] data = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            data[0][i] = cells.get(i)[0];
            data[1][i] = cells.get(i)[1];
            data[2][i] = cells.get(i)[2];
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("free fraction", data);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(step > 0 ? step : 1);
        r.setBlockHeight(1);
        PaintScale scale = freeScale();
        r.setPaintScale(scale);
        NumberAxis y = numberAxis("block group", true);
        y.setAutoRangeIncludesZero(true);
        y.setRange(-0.5, fs.groups() - 0.5);
        NumberAxis x = timeAxis();
        XYPlot plot = new XYPlot(ds, x, y, r);
        styleXY(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = finish("Free space per block group over time: " + t.label(), plot, false);
        NumberAxis sa = numberAxis("free fraction of the group", false);
        sa.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, sa);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        subtitle(chart, String.format(Locale.ROOT, "%d group%s of %,d clusters; buddy view (preallocations count "
                + "as used)", fs.groups(), fs.groups() == 1 ? "" : "s", fs.clustersPerGroup()));
        return new ChartSpec("free-space-groups" + fileSuffix, "Free space per group (" + t.label() + ")",
                "One row per block group, one column per sample: dark cells are nearly full groups, light ones "
                        + "nearly empty; watch where the allocator fills groups first.",
                chart, width, height);
    }

    /** Dark (full) to light (empty) through blue and green, readable in greyscale too. */
    static PaintScale freeScale() {
        Color[] stops = {new Color(0x440154), new Color(0x3b528b), new Color(0x21918c), new Color(0x5ec962),
            new Color(0xfde725)};
        LookupPaintScale s = new LookupPaintScale(0, 1.000001, stops[stops.length - 1]);
        int steps = 50;
        for (int i = 0; i < steps; i++) {
            double v = (double) i / steps;
            double pos = v * (stops.length - 1);
            int k = Math.min(stops.length - 2, (int) pos);
            double f = pos - k;
            s.add(v, mix(stops[k], stops[k + 1], f));
        }
        return s;
    }

    private static Paint mix(Color a, Color b, double f) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
    }
}
