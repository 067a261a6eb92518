package io.mbscope.report;

import io.mbscope.replay.atomic.AtomicRow;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SubCategoryAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.GroupedStackedBarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.KeyToGroupMap;
import org.jfree.data.category.DefaultCategoryDataset;

/** Chart 5: RWF_ATOMIC outcomes by size (kernel vs RFC what-if) and where successful writes landed. */
final class AtomicCharts {
    private AtomicCharts() {
    }

    private static TextTitle subtitle(String text) {
        TextTitle t = new TextTitle(text, new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        t.setPaint(new Color(0x444444));
        return t;
    }

    static String size(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** One colour per result label, the same in both stacks. */
    static Color resultColor(String label) {
        return switch (label) {
            case "OK" -> new Color(0x2ca02c);
            case "EINVAL" -> new Color(0xff7f0e);
            case "EOPNOTSUPP" -> new Color(0xd62728);
            case "ENOSPC" -> new Color(0x9467bd);
            case "EAGAIN" -> new Color(0x8c564b);
            case "BUFFERED" -> new Color(0x7f7f7f);
            default -> new Color(0x17becf);
        };
    }

    static ChartSpec outcomes(TraceData t, String suffix, int width, int height) {
        AtomicData a = t.atomic();
        SortedMap<Long, SortedMap<String, Integer>> real = a.summary().bySize();
        SortedMap<Long, SortedMap<String, Integer>> rfc = a.summary().rfcBySize();
        TreeSet<String> labels = new TreeSet<>();
        TreeSet<Long> sizes = new TreeSet<>(real.keySet());
        sizes.addAll(rfc.keySet());
        for (SortedMap<String, Integer> m : real.values()) {
            labels.addAll(m.keySet());
        }
        for (SortedMap<String, Integer> m : rfc.values()) {
            labels.addAll(m.keySet());
        }
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        KeyToGroupMap groups = new KeyToGroupMap("kernel");
        List<String> keys = new ArrayList<>();
        for (String group : List.of("kernel", "RFC what-if")) {
            SortedMap<Long, SortedMap<String, Integer>> src = group.equals("kernel") ? real : rfc;
            if (src.isEmpty()) {
                continue;
            }
            for (String l : labels) {
                int total = 0;
                for (SortedMap<String, Integer> m : src.values()) {
                    total += m.getOrDefault(l, 0);
                }
                if (total == 0) {
                    continue;
                }
                String key = group + ": " + l;
                keys.add(key);
                groups.mapKeyToGroup(key, group);
                for (long s : sizes) {
                    ds.addValue(src.getOrDefault(s, new TreeMap<>()).getOrDefault(l, 0), key, size(s));
                }
            }
        }
        GroupedStackedBarRenderer r = new GroupedStackedBarRenderer();
        r.setSeriesToGroupMap(groups);
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.08);
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            Color c = resultColor(key.substring(key.indexOf(": ") + 2));
            r.setSeriesPaint(i, key.startsWith("RFC") ? c.brighter() : c);
        }
        SubCategoryAxis x = new SubCategoryAxis("write size (left bar: kernel result, right bar: RFC what-if)");
        x.setCategoryMargin(0.2);
        if (!rfc.isEmpty()) {
            x.addSubCategory("kernel");
            x.addSubCategory("RFC");
        }
        NumberAxis y = Charts.numberAxis("atomic writes", true);
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart("RWF_ATOMIC writes by size: " + t.label(),
                new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(subtitle(String.format(Locale.ROOT, "%d atomic writes: %d succeeded, %d failed; "
                        + "mainline prediction matches the kernel for %d; RFC what-if: %d ok, %d failed",
                a.summary().atomicWrites(), a.summary().realOk(), a.summary().realFailed(),
                a.summary().verdictMatches(), a.summary().rfcOk(), a.summary().rfcFailed())));
        return new ChartSpec("atomic-outcomes" + suffix, "RWF_ATOMIC outcomes (" + t.label() + ")",
                "For each write size, the left bar stacks what the kernel returned to pwritev2(RWF_ATOMIC) "
                        + "(OK or the errno), the right bar what the 2023 RFC aligned allocator would have "
                        + "returned on the same file system: sizes where the bars differ are where the RFC "
                        + "changes the outcome.",
                chart, width, height);
    }

    static ChartSpec alignment(TraceData t, String suffix, int width, int height) {
        AtomicData a = t.atomic();
        Map<Long, long[]> bySize = new TreeMap<>();
        for (AtomicRow r : a.rows()) {
            if (r.placement() == null) {
                continue;
            }
            long[] c = bySize.computeIfAbsent(r.length(), k -> new long[3]);
            if (!r.placement().contiguous()) {
                c[2]++;
            } else if (r.placement().aligned()) {
                c[0]++;
            } else {
                c[1]++;
            }
        }
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        String[] names = {"contiguous and aligned to its size", "contiguous, not aligned", "split"};
        for (Map.Entry<Long, long[]> e : bySize.entrySet()) {
            for (int i = 0; i < 3; i++) {
                ds.addValue(e.getValue()[i], names[i], size(e.getKey()));
            }
        }
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x2ca02c));
        r.setSeriesPaint(1, new Color(0xff7f0e));
        r.setSeriesPaint(2, new Color(0xd62728));
        r.setMaximumBarWidth(0.12);
        NumberAxis y = Charts.numberAxis("successful atomic writes", true);
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis("write size"), y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart("Physical placement of successful RWF_ATOMIC writes: " + t.label(),
                new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(subtitle(bySize.isEmpty() ? "no successful atomic write in this trace"
                : String.format(Locale.ROOT, "%d placements reconstructed from iomap_iter_dstmap: %d contiguous, "
                        + "%d aligned", a.summary().placementChecked(), a.summary().placementContiguous(),
                a.summary().placementAligned())));
        return new ChartSpec("atomic-alignment" + suffix, "RWF_ATOMIC placement (" + t.label() + ")",
                "For each size, where the successful atomic writes landed on the device: green when the data is "
                        + "one physical run starting at a multiple of the write size (what hardware atomic "
                        + "units need), orange when contiguous but misaligned, red when split.",
                chart, width, height);
    }
}
