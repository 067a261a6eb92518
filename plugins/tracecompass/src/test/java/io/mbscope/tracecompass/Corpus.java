package io.mbscope.tracecompass;

import io.airlift.compress.zstd.ZstdInputStream;
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

/** The independent side of the real-trace tests: trace-cmd's report, FIEMAP, dumpe2fs. */
public final class Corpus {
    public static final Path ROOT = Path.of(System.getProperty("mbscope.root", "../.."));

    private Corpus() {
    }

    public static Path folder(String name) {
        return ROOT.resolve("sample-traces").resolve(name);
    }

    /** Decompresses a .zst next to its siblings' start state (dumpe2fs-before.txt) in {@code dir}. */
    public static Path unzstd(Path zst, Path dir) throws IOException {
        String name = zst.getFileName().toString().replaceFirst("\\.zst$", "");
        Path out = dir.resolve(name);
        try (InputStream in = new ZstdInputStream(Files.newInputStream(zst))) {
            Files.copy(in, out);
        }
        Path dump = zst.resolveSibling("dumpe2fs-before.txt");
        if (Files.isRegularFile(dump) && !Files.exists(dir.resolve(dump.getFileName()))) {
            Files.copy(dump, dir.resolve(dump.getFileName()));
        }
        return out;
    }

    /** One printed event line of trace-cmd report: timestamp in µs as printed, event name. */
    public record ReportLine(long micros, String event) {
    }

    // trace-cmd report: "<instance>:  <comm>-<pid>  [001]    15.001552: ext4_ext_map_blocks_enter: ..."
    // perf script:     "  <comm>  <pid> [001]    15.001844:     ext4:ext4_ext_map_blocks_enter: ..."
    private static final Pattern LINE =
            Pattern.compile("\\[(\\d+)\\]\\s+(\\d+)\\.(\\d{6}):\\s+(?:[a-z0-9_]+:)?([a-z0-9_]+):");

    /** trace-cmd report of the folder's trace.dat. */
    public static List<ReportLine> report(Path folder) throws IOException {
        return printed(folder.resolve("report.txt.zst"));
    }

    /** perf script of the folder's perf.data. */
    public static List<ReportLine> perfScript(Path folder) throws IOException {
        return printed(folder.resolve("perf-script.txt.zst"));
    }

    private static List<ReportLine> printed(Path zst) throws IOException {
        List<ReportLine> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ZstdInputStream(Files.newInputStream(zst)), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                Matcher m = LINE.matcher(l);
                if (m.find()) {
                    out.add(new ReportLine(Long.parseLong(m.group(2)) * 1_000_000 + Long.parseLong(m.group(3)),
                            m.group(4)));
                }
            }
        }
        return out;
    }

    public static Map<String, Long> countByEvent(List<ReportLine> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (ReportLine l : lines) {
            m.merge(l.event(), 1L, Long::sum);
        }
        return m;
    }

    /** FIEMAP extents per inode, merged where logically and physically contiguous (flags ignored). */
    public static Map<Long, Integer> fiemapExtents(Path folder) throws IOException {
        Map<Long, Integer> count = new TreeMap<>();
        Map<Long, long[]> end = new TreeMap<>();
        List<String> lines = Files.readAllLines(folder.resolve("fiemap.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            long ino = Long.parseLong(f[1]);
            if (f[3].isEmpty()) {
                count.putIfAbsent(ino, 0); // "no-extents": an empty file
                continue;
            }
            long logical = Long.parseLong(f[3]);
            long physical = Long.parseLong(f[4]);
            long len = Long.parseLong(f[5]);
            long[] prev = end.get(ino);
            if (prev == null || prev[0] != logical || prev[1] != physical) {
                count.merge(ino, 1, Integer::sum);
            }
            end.put(ino, new long[] {logical + len, physical + len});
        }
        return count;
    }

    /** RWF_ATOMIC writes of the workload by outcome ("ok" or the errno name), from syscalls.csv. */
    public static Map<String, Long> atomicOutcomes(Path folder) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(folder.resolve("syscalls.csv"));
        // seq,phase,op,file,fd,offset,length,flags,ret,errno,errname,t_start_ns,t_end_ns,note
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            if (f[7].contains("RWF_ATOMIC")) {
                m.merge(f[10].isEmpty() ? "ok" : f[10], 1L, Long::sum);
            }
        }
        return m;
    }

    private static final Pattern FREE = Pattern.compile("(?m)^\\s+(\\d+) free (?:blocks|clusters), ");

    /** Free blocks (clusters with bigalloc) per group, as dumpe2fs printed them. */
    public static long[] dumpe2fsFree(Path file) throws IOException {
        Matcher m = FREE.matcher(Files.readString(file));
        List<Long> v = new ArrayList<>();
        while (m.find()) {
            v.add(Long.parseLong(m.group(1)));
        }
        return v.stream().mapToLong(Long::longValue).toArray();
    }
}
