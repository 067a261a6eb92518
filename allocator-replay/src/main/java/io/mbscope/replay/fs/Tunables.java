package io.mbscope.replay.fs;

import io.mbscope.parsers.TraceFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Allocator tunables as /sys/fs/ext4/&lt;dev&gt;/ shows them, plus the mb_optimize_scan mount option.
 * A tunable that does not exist in a kernel version is -1 (mbOptimizeScan: false).
 *
 * <p>Kernel defaults, read in Debian linux-source 6.12.117 and 7.3.4 (identical values; 6.18 sits
 * between them and its captures' meta.txt show the same values):
 * <ul>
 * <li>mb_max_to_scan 200, mb_min_to_scan 10, mb_stream_req 16, mb_order2_req 2, group prealloc 512,
 *     linear limit 4, linear-scan threshold 16 groups, best-avail trim order 3:
 *     fs/ext4/mballoc.h:44,49,64,69,74,80,86,93 (same lines in 6.12.117 and 7.3.4).</li>
 * <li>assigned in ext4_mb_init: 6.12.117 mballoc.c:3779-3784, 7.3.4 mballoc.c:3787-3792.</li>
 * <li>mb_group_prealloc = max(512 &gt;&gt; cluster_bits, 32), rounded up to a multiple of the stripe in
 *     clusters when s_stripe &gt; 1: 6.12.117 mballoc.c:3798-3810, 7.3.4 mballoc.c:3806-3818.
 *     s_stripe = stripe= mount option, else s_raid_stripe_width, else s_raid_stride (each only if
 *     &le; blocks per group), 0 if &le; 1, and 0 if not a multiple of the cluster ratio:
 *     ext4_get_stripe_size 6.12.117 super.c:3565 + 5333, 7.3.4 super.c:3623 + 5489.</li>
 * <li>mb_max_linear_groups = 0 on a non-rotational device, else 4: 6.12.117 mballoc.c:3827-3830
 *     (bdev_nonrot), 7.3.4 mballoc.c:3844-3847 (!bdev_rot).</li>
 * <li>mb_prefetch = min(flex size, BLK_MAX_SEGMENT_SIZE(65536) &gt;&gt; (blocksize_bits - 9)) * 8 with
 *     flex_bg, else 32 (BLK_MAX_SEGMENT_SIZE: 6.12.117 include/linux/blkdev.h:1202, 7.3.4 blkdev.h:1233);
 *     capped at the group count. mb_prefetch_limit = 4 * mb_prefetch capped at the
 *     group count: 6.12.117 mballoc.c:3533-3560, 7.3.4 mballoc.c:3543-3570.</li>
 * <li>mb_optimize_scan (mount option, not in sysfs): on iff the fs has &ge; 16 groups unless given
 *     explicitly: 6.12.117 super.c:5544-5549, 7.3.4 super.c:5685-5690.</li>
 * <li>inode_goal 0 (never set by the kernel; a debugging knob).</li>
 * </ul>
 * Appearance (inferred from upstream history, not read in those versions' source): mb_prefetch and
 * mb_prefetch_limit 5.9; mb_optimize_scan and mb_max_linear_groups 5.13; mb_best_avail_max_trim_order 6.5.
 *
 * @param raw every /sys/fs/ext4/&lt;dev&gt;/ value as text, keyed by file name (no "sysfs." prefix)
 */
public record Tunables(int mbStreamReq, int mbGroupPrealloc, int mbOrder2Req, int mbMaxToScan, int mbMinToScan,
        int mbBestAvailMaxTrimOrder, int mbMaxLinearGroups, boolean mbOptimizeScan, int mbPrefetch,
        int mbPrefetchLimit, long inodeGoal, Map<String, String> raw) {

    /** Names accepted by {@link #with}: the sysfs file names, plus the mount option mb_optimize_scan. */
    public static final List<String> NAMES = List.of("mb_stream_req", "mb_group_prealloc", "mb_order2_req",
            "mb_max_to_scan", "mb_min_to_scan", "mb_best_avail_max_trim_order", "mb_max_linear_groups",
            "mb_optimize_scan", "mb_prefetch", "mb_prefetch_limit", "inode_goal");

    public Tunables {
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(raw, "raw")));
    }

    /**
     * Defaults of a kernel release when the fs is unknown: those of a 4 KiB-block, non-bigalloc,
     * unstriped fs with flex_bg 16 and at least 512 groups on a rotational disk
     * (mb_group_prealloc 512, mb_prefetch 128, mb_prefetch_limit 512, mb_optimize_scan on,
     * mb_max_linear_groups 4). Use {@link #defaultsFor(String, FsGeometry, boolean)} for a real fs.
     */
    public static Tunables defaultsFor(String kernelRelease) {
        KernelRelease k = KernelRelease.parse(kernelRelease);
        return build(k, 512, true, 4, 128, 512);
    }

    /**
     * The kernel's defaults for this fs on this device.
     *
     * @param rotational /sys/block/&lt;dev&gt;/queue/rotational (loop devices report 1)
     */
    public static Tunables defaultsFor(String kernelRelease, FsGeometry geo, boolean rotational) {
        return defaultsFor(kernelRelease, geo, rotational, 0);
    }

    /** As above, with the stripe= mount option (0 if none). */
    public static Tunables defaultsFor(String kernelRelease, FsGeometry geo, boolean rotational, long stripeOption) {
        KernelRelease k = KernelRelease.parse(kernelRelease);
        long stripe = stripeSize(geo, stripeOption);
        long prealloc = Math.max(512 >> geo.clusterBits(), 32);
        if (stripe > 1) {
            long stripeClusters = (stripe + geo.clusterRatio() - 1) >> geo.clusterBits();
            prealloc = (prealloc + stripeClusters - 1) / stripeClusters * stripeClusters;
        }
        long prefetch;
        if (geo.flexBg()) {
            prefetch = Math.min(1L << geo.logGroupsPerFlex(), 65536L >> (geo.blockSizeBits() - 9)) * 8;
        } else {
            prefetch = 32;
        }
        prefetch = Math.min(prefetch, geo.groupCount());
        long limit = Math.min(prefetch * 4, geo.groupCount());
        return build(k, (int) prealloc, geo.groupCount() >= 16, rotational ? 4 : 0, (int) prefetch, (int) limit);
    }

    /** ext4_get_stripe_size + the cluster alignment check of __ext4_fill_super. */
    static long stripeSize(FsGeometry geo, long stripeOption) {
        long ret;
        if (stripeOption > 0 && stripeOption <= geo.blocksPerGroup()) {
            ret = stripeOption;
        } else if (geo.raidStripeWidth() != 0 && (geo.raidStripeWidth() & 0xffffffffL) <= geo.blocksPerGroup()) {
            ret = geo.raidStripeWidth() & 0xffffffffL;
        } else if (geo.raidStride() != 0 && geo.raidStride() <= geo.blocksPerGroup()) {
            ret = geo.raidStride();
        } else {
            ret = 0;
        }
        if (ret <= 1) {
            ret = 0;
        }
        if (ret > 0 && geo.clusterRatio() > 1 && ret % geo.clusterRatio() != 0) {
            ret = 0; // "stripe is not aligned with cluster size, stripe is disabled"
        }
        return ret;
    }

    private static Tunables build(KernelRelease k, int prealloc, boolean optimizeScan, int linear, int prefetch,
            int prefetchLimit) {
        boolean has513 = k.atLeast(5, 13);
        boolean has59 = k.atLeast(5, 9);
        int trim = k.atLeast(6, 5) ? 3 : -1;
        Map<String, String> raw = new LinkedHashMap<>();
        Tunables t = new Tunables(16, prealloc, 2, 200, 10, trim, has513 ? linear : -1, has513 && optimizeScan,
                has59 ? prefetch : -1, has59 ? prefetchLimit : -1, 0, raw);
        return t.withRawFromFields();
    }

    private Tunables withRawFromFields() {
        Map<String, String> r = new LinkedHashMap<>(raw);
        put(r, "mb_stream_req", mbStreamReq);
        put(r, "mb_group_prealloc", mbGroupPrealloc);
        put(r, "mb_order2_req", mbOrder2Req);
        put(r, "mb_max_to_scan", mbMaxToScan);
        put(r, "mb_min_to_scan", mbMinToScan);
        put(r, "mb_best_avail_max_trim_order", mbBestAvailMaxTrimOrder);
        put(r, "mb_max_linear_groups", mbMaxLinearGroups);
        put(r, "mb_prefetch", mbPrefetch);
        put(r, "mb_prefetch_limit", mbPrefetchLimit);
        r.put("inode_goal", Long.toString(inodeGoal));
        return new Tunables(mbStreamReq, mbGroupPrealloc, mbOrder2Req, mbMaxToScan, mbMinToScan,
                mbBestAvailMaxTrimOrder, mbMaxLinearGroups, mbOptimizeScan, mbPrefetch, mbPrefetchLimit, inodeGoal, r);
    }

    private static void put(Map<String, String> r, String k, int v) {
        if (v >= 0) {
            r.put(k, Integer.toString(v));
        } else {
            r.remove(k);
        }
    }

    /**
     * Tunables of a capture: meta.txt's "sysfs.NAME=value" lines; missing keys take the kernel
     * defaults. The geometry-dependent defaults use the capture folder's dumpe2fs-before.txt next to
     * meta.txt when there is one, else {@link #defaultsFor(String)}.
     */
    public static Tunables fromMeta(Path metaTxt, String kernelRelease) throws IOException {
        Path dump = metaTxt.toAbsolutePath().getParent() == null ? null
                : metaTxt.toAbsolutePath().getParent().resolve("dumpe2fs-before.txt");
        FsGeometry geo = null;
        if (dump != null && Files.isRegularFile(dump)) {
            geo = Dumpe2fsParser.parseHeader(dump);
        }
        return fromMeta(metaTxt, kernelRelease, geo);
    }

    /** As {@link #fromMeta(Path, String)} with a known geometry (null: unknown). */
    public static Tunables fromMeta(Path metaTxt, String kernelRelease, FsGeometry geo) throws IOException {
        Meta meta = Meta.read(metaTxt);
        String release = kernelRelease != null ? kernelRelease : meta.get("uname_r");
        if (release == null && meta.get("uname") != null) {
            String[] f = meta.get("uname").trim().split("\\s+");
            release = f.length >= 3 && f[0].equals("Linux") ? f[2] : null;
        }
        if (release == null) {
            throw new TraceFormatException(metaTxt.toString(), -1, "meta.txt",
                    "expected a kernel release (argument or uname_r=), found none");
        }
        Map<String, String> mountOpts = meta.mountOptions();
        Tunables t;
        if (geo != null) {
            boolean rotational = !"0".equals(meta.get("queue.rotational"));
            long stripe = parseLongOr(mountOpts.get("stripe"), 0);
            t = defaultsFor(release, geo, rotational, stripe);
        } else {
            t = defaultsFor(release);
        }
        Map<String, String> raw = new LinkedHashMap<>(t.raw);
        for (Map.Entry<String, String> e : meta.entries().entrySet()) {
            if (e.getKey().startsWith("sysfs.")) {
                raw.put(e.getKey().substring(6), e.getValue());
            }
        }
        t = new Tunables(t.mbStreamReq, t.mbGroupPrealloc, t.mbOrder2Req, t.mbMaxToScan, t.mbMinToScan,
                t.mbBestAvailMaxTrimOrder, t.mbMaxLinearGroups, t.mbOptimizeScan, t.mbPrefetch, t.mbPrefetchLimit,
                t.inodeGoal, raw);
        for (String name : NAMES) {
            String v = name.equals("mb_optimize_scan") ? mountOpts.get(name) : meta.get("sysfs." + name);
            if (v != null) {
                try {
                    t = t.with(name, v);
                } catch (IllegalArgumentException e) {
                    throw TraceFormatException.expected(metaTxt.toString(), meta.line("sysfs." + name), "meta.txt",
                            name + " as a number", "'" + v + "'");
                }
            }
        }
        return t;
    }

    private static long parseLongOr(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * A copy with one tunable changed (CLI override). {@code name} is a sysfs file name from
     * {@link #NAMES}; the value is decimal (mb_optimize_scan also accepts true/false).
     *
     * @throws IllegalArgumentException for an unknown name or a value out of range
     */
    public Tunables with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        String v = value.trim();
        int s = mbStreamReq, gp = mbGroupPrealloc, o2 = mbOrder2Req, mx = mbMaxToScan, mn = mbMinToScan,
                trim = mbBestAvailMaxTrimOrder, lin = mbMaxLinearGroups, pf = mbPrefetch, pfl = mbPrefetchLimit;
        boolean opt = mbOptimizeScan;
        long goal = inodeGoal;
        switch (name) {
            case "mb_stream_req" -> s = uint(name, v);
            case "mb_group_prealloc" -> gp = uint(name, v);
            case "mb_order2_req" -> o2 = uint(name, v);
            case "mb_max_to_scan" -> mx = uint(name, v);
            case "mb_min_to_scan" -> mn = uint(name, v);
            case "mb_best_avail_max_trim_order" -> trim = uint(name, v);
            case "mb_max_linear_groups" -> lin = uint(name, v);
            case "mb_prefetch" -> pf = uint(name, v);
            case "mb_prefetch_limit" -> pfl = uint(name, v);
            case "inode_goal" -> goal = Integer.toUnsignedLong(uint(name, v));
            case "mb_optimize_scan" -> {
                if (v.equals("1") || v.equalsIgnoreCase("true")) {
                    opt = true;
                } else if (v.equals("0") || v.equalsIgnoreCase("false")) {
                    opt = false;
                } else {
                    throw new IllegalArgumentException("mb_optimize_scan must be 0 or 1, not '" + value + "'");
                }
            }
            default -> throw new IllegalArgumentException("unknown tunable '" + name + "', expected one of " + NAMES);
        }
        Map<String, String> r = new LinkedHashMap<>(raw);
        if (!name.equals("mb_optimize_scan")) {
            r.put(name, v);
        }
        return new Tunables(s, gp, o2, mx, mn, trim, lin, opt, pf, pfl, goal, r);
    }

    private static int uint(String name, String v) {
        try {
            long x = Long.parseLong(v);
            if (x < 0 || x > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) Math.min(x, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an unsigned 32-bit number, not '" + v + "'");
        }
    }

    /** meta.txt: key=value tokens, sysfs.* lines taken whole (their values may contain spaces). */
    record Meta(Map<String, String> entries, Map<String, Integer> lines) {
        static Meta read(Path p) throws IOException {
            long size = Files.size(p);
            if (size > (16 << 20)) {
                throw TraceFormatException.expected(p.toString(), -1, "meta.txt", "a small key=value file",
                        size + " bytes");
            }
            Map<String, String> e = new LinkedHashMap<>();
            Map<String, Integer> l = new LinkedHashMap<>();
            int n = 0;
            for (String line : new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n")) {
                n++;
                String t = line.strip();
                int eq0 = t.indexOf('=');
                if (eq0 > 0 && (t.startsWith("sysfs.") || t.startsWith("proc_mounts=") || t.startsWith("uname="))) {
                    int eq = eq0;
                    e.putIfAbsent(t.substring(0, eq), t.substring(eq + 1));
                    l.putIfAbsent(t.substring(0, eq), n);
                    continue;
                }
                for (String tok : t.split("\\s+")) {
                    int eq = tok.indexOf('=');
                    if (eq > 0) {
                        e.putIfAbsent(tok.substring(0, eq), tok.substring(eq + 1));
                        l.putIfAbsent(tok.substring(0, eq), n);
                    }
                }
            }
            return new Meta(e, l);
        }

        String get(String k) {
            return entries.get(k);
        }

        int line(String k) {
            return lines.getOrDefault(k, -1);
        }

        /** Options of the /proc/mounts line (4th field), e.g. {rw, relatime, stripe=128}. */
        Map<String, String> mountOptions() {
            Map<String, String> out = new LinkedHashMap<>();
            String pm = entries.get("proc_mounts");
            if (pm == null) {
                return out;
            }
            String[] f = pm.trim().split("\\s+");
            if (f.length >= 4) {
                for (String o : f[3].split(",")) {
                    int eq = o.indexOf('=');
                    out.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
                }
            }
            return out;
        }
    }
}
