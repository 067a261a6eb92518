package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FieldFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent side of the perf tests: lines of {@code perf script} default output (printed by
 * perf 6.1 itself from the same perf.data) and helpers to compare a reader's events with them.
 */
final class PerfScriptText {
    /** {@code comm tid [cpu] sec.usec: system:event: text}; comm is right-aligned and may contain spaces. */
    private static final Pattern LINE = Pattern.compile(
            "^\\s*(.*?)\\s+(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d{6}):\\s+(\\w+):(\\w+):\\s?(.*)$");
    private static final Pattern KV = Pattern.compile("(\\w+):? (0x[0-9a-fA-F]+|-?\\d+)(?=,? |,?$)");
    /** MAJOR,MINOR (ext4) or MAJOR:MINOR (iomap) of the kernel-internal dev_t (major << 20 | minor). */
    private static final Pattern DEV = Pattern.compile("^dev (\\d+)[,:](\\d+) ");

    record Line(String comm, int tid, int cpu, long timeUs, String system, String event, String text) {
    }

    private PerfScriptText() {
    }

    static Path sampleTraces() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path s = p.resolve("sample-traces");
            if (Files.isDirectory(s)) {
                return s;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("sample-traces not found above " + Path.of("").toAbsolutePath());
    }

    static Path testResource(String rel) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path s = p.resolve("parsers/src/test/resources/perf").resolve(rel);
            if (Files.exists(s)) {
                return s;
            }
            Path t = p.resolve("src/test/resources/perf").resolve(rel);
            if (Files.exists(t)) {
                return t;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("test resource perf/" + rel + " not found");
    }

    static Path unzstd(Path zst, Path dir) throws IOException {
        String name = zst.getFileName().toString().replaceFirst("\\.zst$", "");
        Path out = dir.resolve(zst.getParent().getFileName() + "-" + name);
        try (InputStream in = new ZstdInputStream(Files.newInputStream(zst));
             OutputStream os = Files.newOutputStream(out)) {
            in.transferTo(os);
        }
        return out;
    }

    static byte[] unzstdBytes(Path zst) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(zst))) {
            return in.readAllBytes();
        }
    }

    static List<Line> read(Path zst) throws IOException {
        List<Line> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ZstdInputStream(Files.newInputStream(zst)), StandardCharsets.UTF_8))) {
            String s;
            while ((s = r.readLine()) != null) {
                Matcher m = LINE.matcher(s);
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected perf script line: " + s);
                }
                out.add(new Line(m.group(1).strip(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Long.parseLong(m.group(4)) * 1_000_000 + Long.parseLong(m.group(5)), m.group(6),
                        m.group(7), m.group(8)));
            }
        }
        return out;
    }

    static List<TraceEvent> readAll(TraceReader r) throws IOException {
        List<TraceEvent> out = new ArrayList<>();
        TraceEvent e;
        while ((e = r.next()) != null) {
            out.add(e);
        }
        return out;
    }

    /**
     * Asserts that the events are exactly the script's lines, one by one: same event, CPU, tid,
     * comm and microsecond (perf script truncates ns to us), and that every "field value" pair of
     * the printed text whose name is a field of the format holds the decoded value. Returns how many
     * field values were compared.
     */
    static long assertSameAsScript(List<TraceEvent> events, List<Line> lines) {
        assertThat(events).hasSize(lines.size());
        long compared = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            TraceEvent e = events.get(i);
            boolean same = e.name().equals(l.event()) && e.raw().format().system().equals(l.system())
                    && e.timestampNs() / 1000 == l.timeUs() && e.cpu() == l.cpu() && e.header().pid() == l.tid()
                    && l.comm().equals(e.header().comm());
            if (!same) {
                // build the message only on failure: 13k events per folder
                String where = "event #" + i + " (" + l + ")";
                assertThat(e.raw().format().system() + ":" + e.name()).as(where)
                        .isEqualTo(l.system() + ":" + l.event());
                assertThat(e.timestampNs() / 1000).as(where).isEqualTo(l.timeUs());
                assertThat(e.cpu()).as(where).isEqualTo(l.cpu());
                assertThat(e.header().pid()).as(where).isEqualTo(l.tid());
                assertThat(e.header().comm()).as(where).isEqualTo(l.comm());
            }
            compared += assertFields(e.raw(), l.text(), i);
        }
        return compared;
    }

    static long assertFields(RawEvent raw, String text, int index) {
        long n = 0;
        Matcher d = DEV.matcher(text);
        if (d.find() && raw.format().field("dev") != null) {
            long dev = (Long.parseLong(d.group(1)) << 20) | Long.parseLong(d.group(2));
            if (raw.getLong("dev") != dev) {
                assertThat(raw.getLong("dev")).as("event #" + index + " dev in '" + text + "'").isEqualTo(dev);
            }
            n++;
        }
        Matcher m = KV.matcher(text);
        while (m.find()) {
            FieldFormat f = raw.format().field(m.group(1));
            if (f == null || f.isArray() || !(raw.get(m.group(1)) instanceof Long v)) {
                continue;
            }
            String s = m.group(2);
            long expected = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16)
                    : s.length() > 1 && s.startsWith("0") ? Long.parseLong(s, 8) // "mode 0%o"
                    : Long.parseLong(s);
            long got = v;
            if (!s.startsWith("0x") && !s.startsWith("-") && got < 0 && expected <= 0xffffffffL) {
                got &= 0xffffffffL; // a signed field printed with %u (e.g. iomap_dio_complete ret)
            }
            if (s.startsWith("0x") && f.size() < 8) {
                got &= (1L << (8 * f.size())) - 1;
            }
            if (got != expected) {
                assertThat(got).as("event #" + index + " field " + f.name() + " in '" + text + "'")
                        .isEqualTo(expected);
            }
            n++;
        }
        return n;
    }
}
