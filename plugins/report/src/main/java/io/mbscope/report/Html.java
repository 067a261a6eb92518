package io.mbscope.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * index.html: one page with inline CSS and no script, fonts or other fetches; images and CSV links
 * are relative to the report directory, so the directory can be copied or attached as a whole.
 */
final class Html {
    private Html() {
    }

    static void write(Path file, List<TraceData> traces, List<Report.Table> tables, List<Report.Chart> charts)
            throws IOException {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>mbscope report: ").append(esc(labels(traces))).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1260px;padding:0 1em;"
                        + "color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}\n")
                .append("th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n")
                .append("th{background:#f3f3f3}\ntd.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("figure{margin:1.5em 0 2.5em}\nfigure img{max-width:100%;height:auto;border:1px solid #ddd}"
                        + "\nfigcaption{margin:.4em 0;color:#333}\nnav a{margin-right:1em}\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>mbscope report</h1>\n");
        b.append("<nav>");
        b.append("<a href=\"#summary\">Summary</a>");
        for (int i = 0; i < charts.size(); i++) {
            b.append("<a href=\"#chart-").append(i + 1).append("\">").append(esc(charts.get(i).title())).append("</a>");
        }
        b.append("<a href=\"#tables\">CSV tables</a></nav>\n");

        b.append("<h2 id=\"summary\">Summary</h2>\n");
        summary(b, traces);

        b.append("<h2>Charts</h2>\n");
        for (int i = 0; i < charts.size(); i++) {
            Report.Chart c = charts.get(i);
            b.append("<figure id=\"chart-").append(i + 1).append("\">\n<img src=\"").append(esc(c.png()))
                    .append("\" width=\"").append(c.width()).append("\" height=\"").append(c.height())
                    .append("\" alt=\"").append(esc(c.title())).append("\">\n<figcaption>")
                    .append(esc(c.howToRead()));
            if (c.svg() != null) {
                b.append(" <a href=\"").append(esc(c.svg())).append("\">SVG</a>");
            }
            b.append("</figcaption>\n</figure>\n");
        }

        b.append("<h2 id=\"tables\">CSV tables</h2>\n<table>\n<tr><th>file</th><th>rows</th><th>content</th></tr>\n");
        for (Report.Table t : tables) {
            b.append("<tr><td><a href=\"").append(esc(t.file())).append("\">").append(esc(t.file()))
                    .append("</a></td><td class=\"n\">").append(t.rows()).append("</td><td>")
                    .append(esc(t.description())).append("</td></tr>\n");
        }
        b.append("</table>\n<p>RFC 4180 CSV (comma, CRLF, UTF-8) with a header row; columns are described in "
                + "the mbscope-report README.</p>\n</body>\n</html>\n");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(b.toString());
        }
    }

    private static String labels(List<TraceData> traces) {
        List<String> l = new ArrayList<>();
        for (TraceData t : traces) {
            l.add(t.label());
        }
        return String.join(", ", l);
    }

    private static void summary(StringBuilder b, List<TraceData> traces) {
        b.append("<table>\n<tr><th></th>");
        for (TraceData t : traces) {
            b.append("<th>").append(esc(t.label())).append("</th>");
        }
        b.append("</tr>\n");
        row(b, traces, "trace file", t -> t.info() == null ? "-" : t.info().source());
        row(b, traces, "format", t -> t.info() == null ? "-" : t.info().format().label());
        row(b, traces, "kernel", t -> t.kernelRelease() == null ? "unknown" : t.kernelRelease());
        row(b, traces, "trace clock, CPUs", t -> t.info() == null ? "-"
                : (t.info().clock() == null ? "?" : t.info().clock()) + ", " + t.info().cpus());
        row(b, traces, "fs layout", t -> {
            if (t.fsState() == null) {
                return "no fs image: free-space charts omitted";
            }
            long out = FreeSpaceTimeline.outside(t.fsState(), t.spaceChanges());
            return t.fsState().description() + (out == 0 ? "" : String.format(Locale.ROOT,
                    "; %,d allocations/frees fall outside this file system's groups (not counted: is the "
                            + "image from the traced fs?)", out));
        });
        row(b, traces, "duration", t -> String.format(Locale.ROOT, "%.6f s", t.seconds(t.lastNs())));
        row(b, traces, "events read", t -> String.format(Locale.ROOT, "%,d", t.events()));
        row(b, traces, "events lost (kernel)", t -> String.format(Locale.ROOT, "%,d", t.lostEvents()));
        row(b, traces, "data skipped (reader)", t -> t.skipped().isEmpty() ? "0" : join(t.skipped()));
        row(b, traces, "allocations (ext4_allocate_blocks)", t -> {
            long ok = 0;
            long clusters = 0;
            for (Allocation a : t.allocations()) {
                if (a.len() > 0) {
                    ok++;
                    clusters += a.len();
                }
            }
            return String.format(Locale.ROOT, "%,d (%,d clusters; %,d failed)", t.allocations().size(), clusters,
                    t.allocations().size() - ok);
        });
        row(b, traces, "regular / from preallocation", t -> {
            long pa = 0;
            for (MballocRecord m : t.mballoc()) {
                pa += m.prealloc() ? 1 : 0;
            }
            return String.format(Locale.ROOT, "%,d ext4_mballoc_alloc / %,d ext4_mballoc_prealloc",
                    t.mballoc().size() - pa, pa);
        });
        row(b, traces, "replay fidelity", t -> {
            ReplayData r = t.replay();
            if (r == null) {
                return "not replayed (needs a capture folder with an fs image or dumpe2fs output)";
            }
            List<String> cls = new ArrayList<>();
            for (Map.Entry<String, Integer> e : r.byClass().entrySet()) {
                if (e.getValue() > 0) {
                    cls.add(e.getKey() + " " + e.getValue());
                }
            }
            return String.format(Locale.ROOT, "%,d of %,d allocation requests predicted exactly (%.1f %%) %s%s; "
                            + "%d unexplained", r.exact(), r.allocations(), 100 * r.exactRate(),
                    r.hints() == 0 ? "from the trace alone" : "with " + r.hints() + " syscall-log hints",
                    cls.isEmpty() ? "" : "; divergent requests by cause: " + String.join(", ", cls), r.unexplained());
        });
        row(b, traces, "RWF_ATOMIC writes (kernel result)", t -> t.atomicWrites().isEmpty() ? "none"
                : join(t.atomicWrites()));
        row(b, traces, "RWF_ATOMIC verdicts", t -> {
            if (t.atomic() == null) {
                return "not analysed (needs a capture folder with meta.txt)";
            }
            var s = t.atomic().summary();
            if (s.atomicWrites() == 0) {
                return "no atomic write";
            }
            return String.format(Locale.ROOT, "mainline prediction = kernel result for %d of %d; placement of %d "
                            + "successful writes: %d contiguous, %d aligned to their size; RFC what-if: %d ok, "
                            + "%d failed%s", s.verdictMatches(), s.atomicWrites(), s.placementChecked(),
                    s.placementContiguous(), s.placementAligned(), s.rfcOk(), s.rfcFailed(),
                    s.rfcBufferedNotAtomic() > 0 ? ", " + s.rfcBufferedNotAtomic() + " let through non-atomically"
                            : "");
        });
        b.append("</table>\n");
        b.append("<details><summary>Event counts</summary>\n<table>\n<tr><th>event</th>");
        for (TraceData t : traces) {
            b.append("<th>").append(esc(t.label())).append("</th>");
        }
        b.append("</tr>\n");
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (TraceData t : traces) {
            names.addAll(t.eventCounts().keySet());
        }
        for (String n : names) {
            b.append("<tr><td>").append(esc(n)).append("</td>");
            for (TraceData t : traces) {
                b.append("<td class=\"n\">").append(t.eventCounts().getOrDefault(n, 0L)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n</details>\n");
    }

    private static String join(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            parts.add(e.getKey() + ": " + e.getValue());
        }
        return String.join(", ", parts);
    }

    private static void row(StringBuilder b, List<TraceData> traces, String name, Function<TraceData, String> f) {
        b.append("<tr><th>").append(esc(name)).append("</th>");
        for (TraceData t : traces) {
            b.append("<td>").append(esc(f.apply(t))).append("</td>");
        }
        b.append("</tr>\n");
    }

    static String esc(String s) {
        StringBuilder o = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> o.append(c);
            }
        }
        return o.toString();
    }
}
