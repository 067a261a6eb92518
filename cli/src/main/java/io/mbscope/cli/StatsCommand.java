package io.mbscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mbscope stats}: events per type, lost and skipped counts, kernel, clock, CPUs, time span. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Count the events of a trace per type, with what was lost or skipped.")
public final class StatsCommand implements Callable<Integer> {
    @Mixin
    TraceInput input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Counted in a hash map of mutable counters (a TreeMap.merge per event compared strings and
        // boxed a Long every time), sorted once at the end.
        Map<String, long[]> byName = new HashMap<>();
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        long total = 0;
        TraceInfo info;
        ReadStats stats;
        // No DecodeAhead here: counting is ~5 % of the work, so a second thread only adds hand-off
        // cost (bench-1m: 1.68 vs 1.37 s cpu, wall no better; BENCHMARKS.md).
        try (TraceReader r = input.open()) {
            info = r.info();
            TraceEvent e;
            while ((e = r.next()) != null) {
                long[] c = byName.get(e.name());
                if (c == null) {
                    byName.put(e.name(), c = new long[1]);
                }
                c[0]++;
                long t = e.timestampNs();
                if (first == Long.MIN_VALUE) {
                    first = t;
                }
                last = t;
                total++;
            }
            stats = r.stats();
        }
        Map<String, Long> counts = new TreeMap<>();
        byName.forEach((name, c) -> counts.put(name, c[0]));
        PrintWriter out = spec.commandLine().getOut();
        if (input.format == Output.json) {
            JsonGenerator g = new JsonFactory().createGenerator(out);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", info.source());
            g.writeStringField("format", info.format().label());
            g.writeStringField("kernel", info.kernelRelease());
            g.writeStringField("clock", info.clock());
            g.writeNumberField("cpus", info.cpus());
            g.writeNumberField("events", total);
            g.writeNumberField("lost", stats.lostEvents());
            g.writeNumberField("skipped", stats.skippedTotal());
            g.writeNumberField("corrupt_skipped", stats.corruptTotal());
            g.writeNumberField("corrupt_bytes", stats.corruptBytes());
            g.writeObjectFieldStart("skipped_by_reason");
            for (var s : stats.skipped().entrySet()) {
                g.writeNumberField(s.getKey(), s.getValue());
            }
            g.writeEndObject();
            if (total > 0) {
                g.writeNumberField("first_ns", first);
                g.writeNumberField("last_ns", last);
            }
            g.writeObjectFieldStart("counts");
            for (var c : counts.entrySet()) {
                g.writeNumberField(c.getKey(), c.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            out.println();
        } else {
            out.printf("file      %s%n", info.source());
            out.printf("format    %s%n", info.format().label());
            out.printf("kernel    %s%n", info.kernelRelease() == null ? "unknown" : info.kernelRelease());
            out.printf("clock     %s%n", info.clock() == null ? "unknown" : info.clock());
            out.printf("cpus      %s%n", info.cpus() == 0 ? "unknown" : Integer.toString(info.cpus()));
            if (!info.buffers().isEmpty()) {
                out.printf("buffers   %s%n", String.join(", ", info.buffers().stream()
                        .map(b -> b.isEmpty() ? "(top level)" : b).toList()));
            }
            if (total > 0) {
                out.printf("span      %s .. %s (%.6f s)%n", seconds(first), seconds(last), (last - first) / 1e9);
            }
            out.printf("events    %d%n", total);
            out.printf("lost      %d%n", stats.lostEvents());
            out.printf("skipped   %d%n", stats.skippedTotal());
            if (stats.corruptTotal() > 0) {
                out.printf("corrupt   %d skipped (%d bytes)%n", stats.corruptTotal(), stats.corruptBytes());
            }
            for (var s : stats.skipped().entrySet()) {
                out.printf("  %8d  %s%n", s.getValue(), s.getKey());
            }
            out.println();
            for (var c : counts.entrySet()) {
                out.printf("%10d  %s%n", c.getValue(), c.getKey());
            }
        }
        out.flush();
        return input.finish(stats, spec.commandLine().getErr());
    }

    static String seconds(long ns) {
        return String.format("%d.%06d", ns / 1_000_000_000L, (ns % 1_000_000_000L) / 1000);
    }
}
