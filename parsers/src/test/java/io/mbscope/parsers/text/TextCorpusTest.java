package io.mbscope.parsers.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.FormatDirectory;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every text file of every sample capture, read with the capture's own formats/ folder and with the
 * bundled formats: the events per type must equal an independent count of the lines, nothing may be
 * skipped, and every field the print fmt prints must have come back.
 */
class TextCorpusTest {

    static Path root() {
        String p = System.getProperty("mbscope.root");
        Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-traces"))) {
                return d.resolve("sample-traces");
            }
        }
        throw new IllegalStateException("sample-traces/ not found above " + start);
    }

    static List<String> folders() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root())) {
            s.filter(p -> Files.isDirectory(p.resolve("formats"))).forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    static Stream<Arguments> files() throws IOException {
        List<Arguments> a = new ArrayList<>();
        for (String f : folders()) {
            for (String file : List.of("report.txt.zst", "trace.txt.zst", "perf-script.txt.zst")) {
                a.add(Arguments.of(f, file, true));
                a.add(Arguments.of(f, file, false));
            }
        }
        return a.stream();
    }

    static BufferedReader text(Path zst) throws IOException {
        InputStream in = new ZstdInputStream(Files.newInputStream(zst));
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** After the timestamp: "name:", "system:name:", ftrace's "sys_x(" / "sys_x ->" and "tracing_mark_write:". */
    private static final Pattern NAME = Pattern.compile("\\s\\d+\\.\\d{6}:\\s+([A-Za-z0-9_:]+)(\\(| ->|:)");

    /** Counts event lines per event name with a regex, independently of the reader. */
    static Map<String, Long> countLines(Path zst) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (BufferedReader r = text(zst)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher x = NAME.matcher(line);
                if (!x.find()) {
                    continue;
                }
                String name = x.group(1);
                int colon = name.indexOf(':');
                if (colon >= 0) {
                    name = name.substring(colon + 1);
                }
                if (x.group(2).equals("(")) {
                    name = "sys_enter_" + name.substring(4);
                } else if (x.group(2).equals(" ->")) {
                    name = "sys_exit_" + name.substring(4);
                } else if (name.equals("tracing_mark_write")) {
                    name = "print";
                }
                m.merge(name, 1L, Long::sum);
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}/{1} own formats={2}")
    @MethodSource("files")
    void readsEveryEventCompletely(String folder, String file, boolean ownFormats) throws IOException {
        Path dir = root().resolve(folder);
        FormatRegistry reg = ownFormats ? FormatDirectory.load(dir.resolve("formats")) : null;
        Map<String, Long> counts = new TreeMap<>();
        long missing = 0;
        List<String> missingExamples = new ArrayList<>();
        try (TextTraceReader r = TextTraceReader.open(text(dir.resolve(file)), file, reg)) {
            assertThat(r.info().format()).isEqualTo(file.startsWith("report") ? TraceFormat.TEXT_TRACE_CMD_REPORT
                    : file.startsWith("trace") ? TraceFormat.TEXT_FTRACE : TraceFormat.TEXT_PERF_SCRIPT);
            if (!file.startsWith("perf")) {
                assertThat(r.info().cpus()).isEqualTo(2);
            }
            if (file.startsWith("report")) {
                assertThat(r.info().buffers()).hasSize(1).allMatch(b -> b.startsWith("ext4lab-tc-"));
            }
            if (!ownFormats) {
                assertThat(r.builtinKernel()).as("kernel picked from the tables")
                        .isEqualTo(folder.substring(0, folder.indexOf('-')));
            }
            TraceEvent e;
            long prevTs = Long.MIN_VALUE;
            while ((e = r.next()) != null) {
                RawEvent raw = e.raw();
                counts.merge(raw.name(), 1L, Long::sum);
                assertThat(e.timestampNs() % 1000).isZero();
                assertThat(e.timestampNs()).isGreaterThanOrEqualTo(prevTs);
                prevTs = e.timestampNs();
                for (FieldFormat f : raw.format().fields()) {
                    if (f.isCommon() || raw.get(f.name()) != null || !printed(raw, f, file)) {
                        continue;
                    }
                    missing++;
                    if (missingExamples.size() < 5) {
                        missingExamples.add(raw.name() + "." + f.name() + " at " + e.timestampNs());
                    }
                }
            }
            assertThat(r.stats().skipped()).as("skips, problems %s", r.problems()).isEmpty();
            assertThat(r.stats().lostEvents()).isZero();
            assertThat(r.stats().events()).isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
        }
        assertThat(missing).as("fields not recovered, e.g. %s", missingExamples).isZero();
        assertThat(counts).isEqualTo(countLines(dir.resolve(file)));
    }

    /**
     * Whether the text prints a value for the field that can be read back: referenced by the print
     * fmt (ftrace prints syscalls its own way, without __syscall_nr), not a pointer that may be printed
     * as a symbol (iomap_iter's ops and caller, the marker's ip).
     */
    static boolean printed(RawEvent raw, FieldFormat f, String file) {
        String args = String.join(",", raw.format().printFmt().args());
        boolean syscall = raw.name().startsWith("sys_");
        if (file.startsWith("trace") && syscall) {
            return !f.name().startsWith("__");
        }
        if (syscall && raw.format().fields().stream().anyMatch(x -> x.name().equals("__buf_val"))
                && !file.startsWith("trace")) {
            return true; // 7.x: libtraceevent cannot run this print fmt and prints "[FAILED TO PARSE] field=value..."
        }
        if (f.name().equals("ops") || f.name().equals("caller") || f.name().equals("ip")) {
            return false; // %ps/%pS: a symbol when the tool could resolve it (perf on 6.18 did, not on 6.12/7.3)
        }
        return args.contains("REC->" + f.name()) || args.contains("(" + f.name() + ")");
    }
}
