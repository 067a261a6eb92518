package io.mbscope.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Chart 6: where in time the model disagreed with the kernel, one row per divergence class. */
final class DivergenceCharts {
    private DivergenceCharts() {
    }

    static ChartSpec overTime(List<TraceData> traces, int width, int height) {
        TreeSet<String> classes = new TreeSet<>();
        long total = 0;
        for (TraceData t : traces) {
            if (t.replay() != null) {
                for (ReplayData.Div d : t.replay().divergences()) {
                    classes.add(d.cause());
                    total++;
                }
            }
        }
        List<String> rows = new ArrayList<>(classes);
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        boolean multi = traces.size() > 1;
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (int ti = 0; ti < traces.size(); ti++) {
            TraceData t = traces.get(ti);
            if (t.replay() == null) {
                continue;
            }
            // one dot per (request, class): several fields of one request diverging count once
            TreeSet<String> seen = new TreeSet<>();
            for (ReplayData.Div d : t.replay().divergences()) {
                if (!seen.add(d.timeNs() + "/" + d.ino() + "/" + d.cause())) {
                    continue;
                }
                String key = multi ? t.label() : d.cause();
                int row = rows.indexOf(d.cause());
                // several traces on one row are offset a little so their dots do not hide each other
                double y = row + (multi ? (ti - (traces.size() - 1) / 2.0) * 0.15 : 0);
                series.computeIfAbsent(key, k -> new XYSeries(k, false, true)).add(t.seconds(d.timeNs()), y, false);
            }
        }
        int s = 0;
        for (Map.Entry<String, XYSeries> e : series.entrySet()) {
            ds.addSeries(e.getValue());
            int colour = multi ? indexOfLabel(traces, e.getKey()) : rows.indexOf(e.getKey());
            r.setSeriesPaint(s, Charts.color(colour));
            r.setSeriesShape(s, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
            s++;
        }
        SymbolAxis y = new SymbolAxis("divergence class", rows.isEmpty() ? new String[] {"(none)"}
                : rows.toArray(new String[0]));
        y.setGridBandsVisible(true);
        y.setGridBandPaint(new Color(0xf6f6f6));
        XYPlot plot = new XYPlot(ds, Charts.timeAxis(), y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = Charts.finish("Divergences of the replay model from the kernel, by class", plot, true);
        List<String> parts = new ArrayList<>();
        for (TraceData t : traces) {
            if (t.replay() != null) {
                parts.add(String.format(Locale.ROOT, "%s%d of %d requests exact (%.1f %%)",
                        multi ? t.label() + ": " : "", t.replay().exact(), t.replay().allocations(),
                        100 * t.replay().exactRate()));
            }
        }
        Charts.subtitle(chart, String.format(Locale.ROOT, "%,d differing fields; ", total)
                + String.join("; ", parts));
        return new ChartSpec("divergences", "Divergences",
                "Each dot is an allocation request where the model's prediction differed from what the kernel "
                        + "did, at the time it happened, on the row of its root cause; clusters of dots point at "
                        + "the phase of the workload the model gets wrong.",
                chart, width, height);
    }

    private static int indexOfLabel(List<TraceData> traces, String label) {
        for (int i = 0; i < traces.size(); i++) {
            if (traces.get(i).label().equals(label)) {
                return i;
            }
        }
        return 0;
    }
}
