package io.mbscope.replay;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A corpus folder as replay input: geometry and initial bitmaps from dumpe2fs-before.txt (written
 * by e2fsprogs), tunables and kernel release from meta.txt, events from the project's reader when
 * it can read trace.dat, else from trace-cmd's own report text.
 */
final class Corpus {

    final Path dir;
    final Geometry geo;
    final long[][] bitmaps;
    final MbTunables tun;
    final String release;
    final KernelGeneration gen;
    String source = "report.txt";

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-traces"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("sample-traces not found");
        }
        return p.resolve("sample-traces");
    }

    static Corpus load(String folder) throws IOException {
        return new Corpus(root().resolve(folder));
    }

    private Corpus(Path dir) throws IOException {
        this.dir = dir;
        String d = Files.readString(dir.resolve("dumpe2fs-before.txt"));
        Map<String, String> meta = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("meta.txt"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        long blocks = num(d, "Block count");
        long first = num(d, "First block");
        int bs = (int) num(d, "Block size");
        long cs = d.contains("Cluster size:") ? num(d, "Cluster size") : bs;
        int bpg = (int) num(d, "Blocks per group");
        int cpg = d.contains("Clusters per group:") ? (int) num(d, "Clusters per group") : bpg;
        long flex = d.contains("Flex block group size:") ? num(d, "Flex block group size") : 1;
        int groups = (int) ((blocks - first + bpg - 1) / bpg);
        long stripe = 0;
        Matcher sm = Pattern.compile("stripe=(\\d+)").matcher(meta.getOrDefault("proc_mounts", ""));
        if (sm.find()) {
            stripe = Long.parseLong(sm.group(1));
        }
        int blockBits = Integer.numberOfTrailingZeros(bs);
        int clusterBits = Integer.numberOfTrailingZeros((int) (cs / bs));
        this.geo = new Geometry(blockBits, clusterBits, blocks, first, bpg, cpg, groups,
                Long.numberOfTrailingZeros(flex), stripe);
        this.bitmaps = new long[groups][];
        Matcher gm = Pattern.compile("(?m)^Group (\\d+):[\\s\\S]*?^\\s+Free blocks: ?(.*)$").matcher(d);
        while (gm.find()) {
            int g = Integer.parseInt(gm.group(1));
            long[] bm = new long[(cpg + 63) / 64];
            java.util.Arrays.fill(bm, -1L);
            String free = gm.group(2).trim();
            if (!free.isEmpty()) {
                for (String r : free.split(",\\s*")) {
                    String[] ab = r.trim().split("-");
                    long a = Long.parseLong(ab[0]);
                    long b = ab.length > 1 ? Long.parseLong(ab[1]) : a;
                    int ca = geo.offsetOf(a);
                    int cb = geo.offsetOf(b);
                    for (int c = ca; c <= cb; c++) {
                        bm[c >>> 6] &= ~(1L << (c & 63));
                    }
                }
            }
            bitmaps[g] = bm;
        }
        this.release = meta.getOrDefault("uname_r", "");
        this.gen = KernelGeneration.forRelease(release);
        boolean rotational = "1".equals(meta.get("queue.rotational"));
        int ncpus = Integer.parseInt(meta.getOrDefault("ncpus", "1"));
        MbTunables def = MbTunables.defaults(geo, rotational, ncpus);
        this.tun = new MbTunables(intOr(meta, "sysfs.mb_stream_req", def.streamReq()),
                intOr(meta, "sysfs.mb_group_prealloc", def.groupPrealloc()),
                intOr(meta, "sysfs.mb_order2_req", def.order2Req()), intOr(meta, "sysfs.mb_max_to_scan", def.maxToScan()),
                intOr(meta, "sysfs.mb_min_to_scan", def.minToScan()),
                intOr(meta, "sysfs.mb_best_avail_max_trim_order", def.bestAvailTrimOrder()),
                intOr(meta, "sysfs.mb_max_linear_groups", def.maxLinearGroups()), def.optimizeScan(),
                def.nrGlobalGoals());
    }

    private static int intOr(Map<String, String> m, String k, int d) {
        String v = m.get(k);
        return v == null || v.isBlank() ? d : Integer.parseInt(v);
    }

    private static long num(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ":\\s+(\\d+)").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + key);
        }
        return Long.parseLong(m.group(1));
    }

    /** Events in time order. */
    List<TraceEvent> events() throws IOException {
        if (Boolean.getBoolean("replay.textEvents")) {
            source = "report.txt";
            return ReportTextEvents.read(dir);
        }
        try (TraceReader r = Traces.open(dir.resolve("trace.dat"))) {
            List<TraceEvent> out = new ArrayList<>();
            TraceEvent e;
            while ((e = r.next()) != null) {
                out.add(e);
            }
            source = "trace.dat";
            return out;
        } catch (UnsupportedFormatException e) {
            source = "report.txt";
            return ReportTextEvents.read(dir);
        }
    }

    /** syscalls.csv hints {t_start, t_end, fd}: fsync/syncfs (fd -1) return after a journal commit; close (fd). */
    List<long[]> syncs() throws IOException {
        List<long[]> out = new ArrayList<>();
        Path p = dir.resolve("syscalls.csv");
        if (!Files.exists(p)) {
            return out;
        }
        List<String> lines = Files.readAllLines(p);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length >= 13 && (f[2].equals("fsync") || f[2].equals("syncfs") || f[2].equals("fdatasync"))
                    && f[8].equals("0")) {
                out.add(new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), -1});
            } else if (f.length >= 13 && f[2].equals("close")) {
                out.add(new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[4])});
            }
        }
        out.sort((a, b) -> Long.compare(a[1], b[1]));
        return out;
    }

    /** Feeds events with the sync commit points interleaved by time. */
    ReplayResult replay(ReplayOptions opts, boolean useSyncs) throws IOException {
        return replay(engine(opts), useSyncs);
    }

    ReplayResult replay(ReplayEngine e, boolean useSyncs) throws IOException {
        List<long[]> syncs = useSyncs ? syncs() : List.of();
        int si = 0;
        for (TraceEvent ev : events()) {
            while (si < syncs.size() && syncs.get(si)[1] <= ev.timestampNs()) {
                long[] h = syncs.get(si);
                if (h[2] < 0) {
                    e.commitPoint(h[1]);
                } else {
                    e.fdClosed(h[2]);
                }
                si++;
            }
            e.accept(ev);
        }
        return e.finish();
    }

    /** The engine as a user builds it: image + meta.txt through the fs package. */
    ReplayEngine engine(ReplayOptions opts) throws IOException {
        if (Boolean.getBoolean("replay.dumpe2fsState")) {
            return new ReplayEngine(geo, tun, gen, g -> bitmaps[g], opts);
        }
        return Replays.engine(io.mbscope.replay.fs.CaptureFolder.open(dir), opts);
    }

    /** fiemap.csv: ino → list of {logical block, physical block, blocks}. */
    Map<Long, List<long[]>> fiemap() throws IOException {
        Map<Long, List<long[]>> out = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("fiemap.csv"));
        int bs = geo.blockSize();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length < 6 || f[1].isBlank() || f[3].isBlank() || f[4].isBlank()) {
                continue;
            }
            long ino = Long.parseLong(f[1]);
            out.computeIfAbsent(ino, k -> new ArrayList<>()).add(new long[] {Long.parseLong(f[3]) / bs,
                Long.parseLong(f[4]) / bs, Long.parseLong(f[5]) / bs});
        }
        return out;
    }
}
