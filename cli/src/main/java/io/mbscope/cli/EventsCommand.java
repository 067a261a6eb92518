package io.mbscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mbscope events}: the decoded events, one per line or row, every field by name. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Print the decoded events, one per line (text), row (csv) or JSON object per line (json).",
                "CSV columns: time_ns, cpu, pid, comm, event, then one column per field when a single --type",
                "is given, else a single 'fields' column of name=value pairs."})
public final class EventsCommand implements Callable<Integer> {
    @Mixin
    TraceInput input;

    @Option(names = "--type", split = ",", paramLabel = "NAME",
            description = "only these events (names without system prefix, e.g. ext4_mballoc_alloc)")
    List<String> types = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "-1", description = "stop after N events")
    long limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<String> only = new HashSet<>(types);
        Output format = input.format;
        int code;
        try (TraceReader r = input.open()) {
            CSVPrinter csv = null;
            List<String> csvFields = null;
            JsonGenerator json = null;
            if (format == Output.json) {
                json = new JsonFactory().createGenerator(out);
                json.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            }
            TraceEvent e;
            long n = 0;
            while ((e = r.next()) != null && (limit < 0 || n < limit)) {
                if (!only.isEmpty() && !only.contains(e.name())) {
                    continue;
                }
                n++;
                Map<String, Object> fields = fields(e);
                EventHeader h = e.header();
                switch (format) {
                    case json -> {
                        json.writeStartObject();
                        json.writeNumberField("time_ns", h.timestampNs());
                        json.writeNumberField("cpu", h.cpu());
                        json.writeNumberField("pid", h.pid());
                        json.writeStringField("comm", h.comm());
                        json.writeStringField("event", e.name());
                        json.writeObjectFieldStart("fields");
                        for (var f : fields.entrySet()) {
                            Object v = f.getValue();
                            if (v instanceof Long l) {
                                json.writeNumberField(f.getKey(), l);
                            } else if (v instanceof long[] a) {
                                json.writeArrayFieldStart(f.getKey());
                                for (long x : a) {
                                    json.writeNumber(x);
                                }
                                json.writeEndArray();
                            } else if (v == null) {
                                json.writeNullField(f.getKey());
                            } else {
                                json.writeStringField(f.getKey(), v.toString());
                            }
                        }
                        json.writeEndObject();
                        json.writeEndObject();
                    }
                    case csv -> {
                        if (csv == null) {
                            List<String> header = new ArrayList<>(List.of("time_ns", "cpu", "pid", "comm", "event"));
                            if (only.size() == 1) {
                                csvFields = new ArrayList<>(fields.keySet());
                                header.addAll(csvFields);
                            } else {
                                header.add("fields");
                            }
                            csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                                    .setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get());
                        }
                        List<Object> row = new ArrayList<>(List.of(h.timestampNs(), h.cpu(), h.pid(),
                                h.comm() == null ? "" : h.comm(), e.name()));
                        if (csvFields != null) {
                            for (String f : csvFields) {
                                row.add(str(fields.get(f)));
                            }
                        } else {
                            row.add(pairs(fields));
                        }
                        csv.printRecord(row);
                    }
                    default -> out.printf("%s %3d %6d %-16s %s %s%n", StatsCommand.seconds(h.timestampNs()),
                            h.cpu(), h.pid(), h.comm() == null ? "" : h.comm(), e.name(), pairs(fields));
                }
            }
            if (csv != null) {
                csv.flush();
            }
            if (json != null) {
                json.flush();
                out.println();
            }
            out.flush();
            code = input.finish(r.stats(), spec.commandLine().getErr());
        }
        out.flush();
        return code;
    }

    private static Map<String, Object> fields(TraceEvent e) {
        if (e.raw() != null) {
            return e.raw().payload();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", e.toString());
        return m;
    }

    private static String pairs(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder();
        for (var f : fields.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(f.getKey()).append('=').append(str(f.getValue()));
        }
        return sb.toString();
    }

    private static String str(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof long[] a) {
            return java.util.Arrays.toString(a);
        }
        return v.toString();
    }
}
