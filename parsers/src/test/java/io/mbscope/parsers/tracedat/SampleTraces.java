package io.mbscope.parsers.tracedat;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The sample-traces corpus and its trace-cmd report text, the independent source of expected values. */
final class SampleTraces {
    private SampleTraces() {
    }

    static Path root() {
        String r = System.getProperty("mbscope.root");
        Path p = r != null ? Paths.get(r) : Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-traces"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("sample-traces/ not found above " + Paths.get("").toAbsolutePath());
        }
        return p.resolve("sample-traces");
    }

    static Stream<String> folders() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(d -> Files.isRegularFile(d.resolve("trace.dat")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Stream<String> v6Folders() throws IOException {
        return folders().filter(f -> Files.isRegularFile(root().resolve(f).resolve("trace-v6.dat.zst")));
    }

    /** One event line of {@code trace-cmd report}. */
    record Line(String instance, String comm, int pid, int cpu, long micros, String name, String payload) {
    }

    // "ext4lab-tc-148:           ext4wl-1048  [001]    15.006645: ext4_ext_map_blocks_enter: dev 8,0 ..."
    private static final Pattern LINE = Pattern.compile(
            "^(?:(\\S+):)?\\s*(.*)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d{6}):\\s+([^:\\s]+):\\s?(.*)$");

    private static final java.util.Map<String, List<Line>> REPORTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The parsed report.txt of a folder (cached: several tests compare against it). */
    static List<Line> report(String folder) throws IOException {
        List<Line> cached = REPORTS.get(folder);
        if (cached == null) {
            cached = List.copyOf(parseReport(folder));
            REPORTS.put(folder, cached);
        }
        return cached;
    }

    private static List<Line> parseReport(String folder) throws IOException {
        List<Line> out = new ArrayList<>();
        try (InputStream in = new ZstdInputStream(Files.newInputStream(root().resolve(folder).resolve("report.txt.zst")));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String s;
            while ((s = r.readLine()) != null) {
                if (s.startsWith("cpus=") || s.isBlank()) {
                    continue;
                }
                Matcher m = LINE.matcher(s);
                if (!m.matches()) {
                    throw new IllegalStateException("unparsed report line in " + folder + ": " + s);
                }
                out.add(new Line(m.group(1), m.group(2).strip(), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)),
                        Long.parseLong(m.group(5)) * 1_000_000 + Long.parseLong(m.group(6)), m.group(7),
                        m.group(8).strip()));
            }
        }
        return out;
    }

    static TreeMap<String, Long> countByName(List<Line> lines) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (Line l : lines) {
            m.merge(l.name(), 1L, Long::sum);
        }
        return m;
    }

    /** Decompresses {@code folder/name.zst} into {@code dir}. */
    static Path unzstd(String folder, String name, Path dir) throws IOException {
        Path out = dir.resolve(folder + "-" + name.replace(".zst", ""));
        try (InputStream in = new ZstdInputStream(Files.newInputStream(root().resolve(folder).resolve(name)));
             OutputStream os = Files.newOutputStream(out)) {
            in.transferTo(os);
        }
        return out;
    }
}
