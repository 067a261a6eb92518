package io.mbscope.replay.fs;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of e2fsprogs' dumpe2fs (1.42+): the superblock listing ("Key: value" lines) and
 * one paragraph per group. "Free blocks:" ranges are printed in blocks; with bigalloc each end is
 * the first block of a free cluster (dumpe2fs print_free() multiplies cluster numbers by the
 * cluster ratio), so "5152-65532" with 4-block clusters means clusters 1288..16383.
 */
final class Dumpe2fsParser {
    private static final Pattern GROUP = Pattern.compile(
            "^Group (\\d+): \\((?:Blocks|Clusters)? ?(\\d+)-(\\d+)\\)(.*)$");
    private static final Pattern AT_NUMBER = Pattern.compile(" at (\\d+)");
    private static final Pattern COUNTS = Pattern.compile(
            "^\\s*(\\d+) free (?:blocks|clusters), (\\d+) free inodes, (\\d+) directories(?:, (\\d+) unused inodes)?");
    private static final long MAX_LINES = 50_000_000L;
    private static final int HEADER_LINES = 400;

    private final String file;
    private final Map<String, String> sb = new HashMap<>();
    private final Map<String, Integer> sbLine = new HashMap<>();
    private int lineNo;

    private Dumpe2fsParser(String file) {
        this.file = file;
    }

    static FsState parse(Path path) throws IOException {
        Dumpe2fsParser p = new Dumpe2fsParser(path.toString());
        try (BufferedReader r = reader(path)) {
            return p.run(r, path.getFileName().toString());
        }
    }

    /** Just the "Filesystem UUID:" of a dumpe2fs output, or null if it has none. */
    static String readUuid(Path path) throws IOException {
        Dumpe2fsParser p = new Dumpe2fsParser(path.toString());
        try (BufferedReader r = reader(path)) {
            String line;
            while ((line = p.next(r)) != null && p.lineNo < 200) {
                if (line.startsWith("Filesystem UUID:")) {
                    return normUuid(line.substring(16).trim());
                }
            }
        }
        return null;
    }

    private static BufferedReader reader(Path path) throws IOException {
        // Malformed bytes (binary garbage) are replaced, never fatal: the structure check reports them.
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(4);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            in = new io.airlift.compress.zstd.ZstdInputStream(in);
        }
        return new BufferedReader(new java.io.InputStreamReader(in, dec), 1 << 16);
    }

    /** Only the superblock part: the geometry, without reading the group paragraphs. */
    static FsGeometry parseHeader(Path path) throws IOException {
        Dumpe2fsParser p = new Dumpe2fsParser(path.toString());
        try (BufferedReader r = reader(path)) {
            p.readHeader(r);
            return p.geometry();
        }
    }

    private FsState run(BufferedReader r, String sourceName) throws IOException {
        String line = readHeader(r);
        return run2(r, line, geometry(), sourceName);
    }

    /** Reads "Key: value" lines up to the first "Group N: (Blocks a-b)" line, which it returns (null at end of file). */
    private String readHeader(BufferedReader r) throws IOException {
        String line;
        String first = null;
        while ((line = next(r)) != null) {
            if (first == null && !line.isBlank()) {
                first = line;
            }
            if (lineNo > HEADER_LINES && !sb.containsKey("Filesystem magic number")) {
                break; // dumpe2fs prints the magic within its first lines: this is something else
            }
            if (line.startsWith("Group ") && GROUP.matcher(line).find()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) {
                String key = line.substring(0, colon).trim();
                sb.putIfAbsent(key, line.substring(colon + 1).trim());
                sbLine.putIfAbsent(key, lineNo);
            }
        }
        String magic = sb.get("Filesystem magic number");
        if (magic == null || !sb.containsKey("Block size") || !sb.containsKey("Block count")) {
            throw new TraceFormatException(file, 1, "dumpe2fs header", "expected dumpe2fs output (lines "
                    + "'Filesystem magic number:', 'Block count:', 'Block size:'), found "
                    + (first == null ? "an empty file" : "'" + abbreviate(first) + "'"));
        }
        if (!magic.equalsIgnoreCase("0xEF53")) {
            throw TraceFormatException.expected(file, sbLine.get("Filesystem magic number"), "dumpe2fs header",
                    "ext4 superblock magic 0xEF53", magic);
        }
        return line;
    }

    private FsState run2(BufferedReader r, String line, FsGeometry geo, String sourceName) throws IOException {
        long reserved = num("Reserved block count", 0);
        if (line == null) {
            throw new TraceFormatException(file, lineNo, "dumpe2fs groups", "expected " + geo.groupCount()
                    + " 'Group N:' paragraphs, found none (output of dumpe2fs -h?)");
        }
        int n = geo.groupCount();
        long[][] bitmaps = new long[n][];
        GroupDesc[] descs = new GroupDesc[n];
        long[] backup = new long[] {0, 0};
        int backups = 0;
        int g = -1;
        long[] cur = null;
        boolean seenFree = true;
        long bb = -1, ib = -1, it = -1, fc = -1, fi = 0, dirs = 0, unused = 0;
        int flags = 0;
        for (; line != null; line = next(r)) {
            Matcher m = GROUP.matcher(line);
            if (m.find()) {
                if (g >= 0) {
                    descs[g] = finishGroup(g, bb, ib, it, fc, fi, dirs, flags, unused, seenFree);
                }
                int want = g + 1;
                g = parseInt(m.group(1));
                if (g != want) {
                    throw TraceFormatException.expected(file, lineNo, "dumpe2fs groups", "Group " + want, "Group " + g);
                }
                if (g >= n) {
                    throw new TraceFormatException(file, lineNo, "dumpe2fs groups", "expected " + n
                            + " groups (Block count " + geo.blocksCount() + ", Blocks per group "
                            + geo.blocksPerGroup() + "), found Group " + g);
                }
                long lo = parseLong(m.group(2)), hi = parseLong(m.group(3));
                long wantLo = geo.groupFirstBlock(g), wantHi = wantLo + geo.blocksInGroup(g) - 1;
                if (lo != wantLo || hi != wantHi) {
                    throw TraceFormatException.expected(file, lineNo, "Group " + g, "blocks " + wantLo + "-" + wantHi
                            + " from the superblock fields", lo + "-" + hi);
                }
                flags = parseFlags(m.group(4));
                long clusters = geo.clustersInGroup(g);
                cur = new long[(int) ((clusters + 63) >>> 6)];
                java.util.Arrays.fill(cur, -1L);
                bitmaps[g] = cur;
                seenFree = false;
                bb = ib = it = fc = -1;
                fi = dirs = unused = 0;
                continue;
            }
            String t = line.trim();
            if (g < 0 || t.isEmpty()) {
                continue;
            }
            if (t.startsWith("Backup superblock at") && geo.sparseSuper2() && backups < 2) {
                backup[backups++] = g;
            } else if (t.startsWith("Block bitmap at")) {
                bb = atNumber(t);
            } else if (t.startsWith("Inode bitmap at")) {
                ib = atNumber(t);
            } else if (t.startsWith("Inode table at")) {
                it = atNumber(t);
            } else if (t.startsWith("Free blocks:")) {
                if (seenFree) {
                    throw new TraceFormatException(file, lineNo, "Group " + g, "expected one 'Free blocks:' line"
                            + " per group, found a second one");
                }
                seenFree = true;
                parseFree(geo, g, cur, t.substring(12).trim());
            } else {
                Matcher c = COUNTS.matcher(t);
                if (c.find()) {
                    fc = parseLong(c.group(1));
                    fi = parseLong(c.group(2));
                    dirs = parseLong(c.group(3));
                    unused = c.group(4) == null ? 0 : parseLong(c.group(4));
                }
            }
        }
        if (g >= 0) {
            descs[g] = finishGroup(g, bb, ib, it, fc, fi, dirs, flags, unused, seenFree);
        }
        if (g != n - 1) {
            throw new TraceFormatException(file, lineNo, "dumpe2fs groups", "expected " + n + " groups, found "
                    + (g + 1) + " (truncated output?)");
        }
        Ext4Layout layout = new Ext4Layout(geo, num("First meta block group", 0), backup[0], backup[1]);
        return new FsState(geo, layout, bitmaps, descs, reserved, sourceName, null);
    }

    private GroupDesc finishGroup(int g, long bb, long ib, long it, long fc, long fi, long dirs, int flags,
            long unused, boolean seenFree) throws TraceFormatException {
        if (!seenFree || bb < 0 || ib < 0 || it < 0 || fc < 0) {
            throw new TraceFormatException(file, lineNo, "Group " + g, "expected 'Block bitmap at', 'Inode bitmap at',"
                    + " 'Inode table at', 'N free blocks/clusters, ...' and 'Free blocks:' lines for every group,"
                    + " found a group paragraph without them (truncated output?)");
        }
        return new GroupDesc(bb, ib, it, fc, fi, dirs, flags, unused);
    }

    private void parseFree(FsGeometry geo, int g, long[] bits, String list) throws TraceFormatException {
        if (list.isEmpty()) {
            return;
        }
        long start = geo.groupFirstBlock(g);
        long clusters = geo.clustersInGroup(g);
        int shift = geo.clusterBits();
        for (String part : list.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            long a = parseLong(dash < 0 ? p : p.substring(0, dash));
            long b = dash < 0 ? a : parseLong(p.substring(dash + 1));
            if (a < start || b < a || ((a - start) & (geo.clusterRatio() - 1)) != 0
                    || ((b - start) & (geo.clusterRatio() - 1)) != 0 || ((b - start) >> shift) >= clusters) {
                throw TraceFormatException.expected(file, lineNo, "Group " + g + " free blocks",
                        "ranges of cluster-start blocks inside " + start + "-"
                                + (start + geo.blocksInGroup(g) - 1), p);
            }
            for (long c = (a - start) >> shift, e = (b - start) >> shift; c <= e; c++) {
                bits[(int) (c >>> 6)] &= ~(1L << (c & 63));
            }
        }
    }

    private int parseFlags(String rest) {
        int flags = 0;
        int open = rest.indexOf('[');
        int close = rest.indexOf(']', open + 1);
        if (open >= 0 && close > open) {
            for (String f : rest.substring(open + 1, close).split(",")) {
                switch (f.trim()) {
                    case "INODE_UNINIT" -> flags |= FsGeometry.BG_INODE_UNINIT;
                    case "BLOCK_UNINIT" -> flags |= FsGeometry.BG_BLOCK_UNINIT;
                    case "ITABLE_ZEROED" -> flags |= FsGeometry.BG_INODE_ZEROED;
                    default -> { // other words (none known today) carry no allocator meaning
                    }
                }
            }
        }
        return flags;
    }

    private FsGeometry geometry() throws TraceFormatException {
        long blockSize = num("Block size", -1);
        if (blockSize < 1024 || blockSize > 65536 || Long.bitCount(blockSize) != 1) {
            throw bad("Block size", "a power of 2 in 1024..65536");
        }
        long compat = 0, incompat = 0, ro = 0;
        String feats = sb.getOrDefault("Filesystem features", "");
        for (String f : feats.split("\\s+")) {
            if (f.isEmpty() || f.equals("(none)")) {
                continue;
            }
            long[] tb = Features.parse(f);
            if (tb == null) {
                throw new UnsupportedFormatException(file, sbLine.get("Filesystem features"), "dumpe2fs header",
                        "unknown feature name '" + f + "'");
            }
            long bit = 1L << tb[1];
            if (tb[0] == Features.COMPAT) {
                compat |= bit;
            } else if (tb[0] == Features.INCOMPAT) {
                incompat |= bit;
            } else {
                ro |= bit;
            }
        }
        boolean bigalloc = (ro & FsGeometry.RO_COMPAT_BIGALLOC) != 0;
        long clusterSize = bigalloc ? num("Cluster size", -1) : blockSize;
        if (clusterSize < blockSize || clusterSize % blockSize != 0 || Long.bitCount(clusterSize / blockSize) != 1) {
            throw bad("Cluster size", "a power-of-2 multiple of the block size " + blockSize);
        }
        int ratio = (int) (clusterSize / blockSize);
        long blocksCount = num("Block count", -1);
        long first = num("First block", -1);
        long bpg = num("Blocks per group", -1);
        long cpg = bigalloc ? num("Clusters per group", -1) : bpg;
        if (blocksCount <= 0 || first < 0 || first >= blocksCount) {
            throw bad("First block", "0 or 1, below the block count");
        }
        if (bpg <= 0 || cpg <= 0 || cpg > 8 * blockSize || bpg != cpg * ratio) {
            throw bad("Blocks per group", "Clusters per group x " + ratio + ", at most " + 8 * blockSize + " clusters");
        }
        long groups = FsGeometry.groupCountFor(blocksCount, first, bpg);
        if (!FsStateLoader.fitsInMemory(groups, cpg)) {
            throw new UnsupportedFormatException(file, sbLine.get("Block count"), "dumpe2fs header",
                    groups + " groups: the free-space bitmaps would be too large to hold in memory");
        }
        long ipg = num("Inodes per group", -1);
        long isz = num("Inode size", 128);
        if (ipg <= 0 || isz < 128 || isz > blockSize) {
            throw bad("Inodes per group", "inode counts and sizes that fit a group");
        }
        boolean is64 = (incompat & FsGeometry.INCOMPAT_64BIT) != 0;
        long descSize = is64 ? num("Group descriptor size", -1) : 32;
        if (descSize < 32 || descSize > 1024) {
            throw bad("Group descriptor size", "32..1024 (required with the 64bit feature)");
        }
        long flex = num("Flex block group size", 1);
        if (flex <= 0 || Long.bitCount(flex) != 1) {
            throw bad("Flex block group size", "a power of 2");
        }
        int logFlex = (incompat & FsGeometry.INCOMPAT_FLEX_BG) != 0 ? Long.numberOfTrailingZeros(flex) : 0;
        String label = sb.getOrDefault("Filesystem volume name", "<none>");
        return new FsGeometry((int) blockSize, ratio, blocksCount, first, bpg, cpg, (int) groups, ipg, (int) isz,
                (int) descSize, logFlex, (int) num("RAID stride", 0), (int) num("RAID stripe width", 0),
                num("Reserved GDT blocks", 0), compat, incompat, ro,
                normUuid(sb.getOrDefault("Filesystem UUID", "<none>")), label.equals("<none>") ? "" : label);
    }

    static String normUuid(String s) {
        return s.equals("<none>") ? "00000000-0000-0000-0000-000000000000" : s.toLowerCase(java.util.Locale.ROOT);
    }

    private long num(String key, long dflt) throws TraceFormatException {
        String v = sb.get(key);
        if (v == null) {
            if (dflt == -1) {
                throw new TraceFormatException(file, lineNo, "dumpe2fs header",
                        "expected a '" + key + ":' line, found none");
            }
            return dflt;
        }
        int end = 0;
        while (end < v.length() && v.charAt(end) >= '0' && v.charAt(end) <= '9') {
            end++;
        }
        if (end == 0 || end > 18) {
            throw TraceFormatException.expected(file, sbLine.get(key), key, "a number below 10^18",
                    "'" + abbreviate(v) + "'");
        }
        return Long.parseLong(v.substring(0, end));
    }

    private TraceFormatException bad(String key, String expected) {
        Integer at = sbLine.get(key);
        return TraceFormatException.expected(file, at == null ? lineNo : at, "dumpe2fs header", key + " " + expected,
                "'" + abbreviate(String.valueOf(sb.get(key))) + "'");
    }

    private long atNumber(String t) throws TraceFormatException {
        Matcher m = AT_NUMBER.matcher(t);
        if (!m.find()) {
            throw TraceFormatException.expected(file, lineNo, "group paragraph", "'... at <block>'", abbreviate(t));
        }
        return parseLong(m.group(1));
    }

    private long parseLong(String s) throws TraceFormatException {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw TraceFormatException.expected(file, lineNo, "dumpe2fs", "a block number", "'" + abbreviate(t) + "'");
        }
        return Long.parseLong(t);
    }

    private int parseInt(String s) throws TraceFormatException {
        long v = parseLong(s);
        if (v > Integer.MAX_VALUE) {
            throw TraceFormatException.expected(file, lineNo, "dumpe2fs", "a group number", s);
        }
        return (int) v;
    }

    private static final int MAX_LINE = 4 << 20;

    private final char[] buf = new char[1 << 16];
    private int bufPos;
    private int bufLim;

    /** readLine with a length cap, so a binary file without newlines cannot fill the heap. */
    private String next(BufferedReader r) throws IOException {
        StringBuilder b = null;
        while (true) {
            if (bufPos == bufLim) {
                int n;
                try {
                    n = r.read(buf, 0, buf.length);
                } catch (RuntimeException e) {
                    // aircompressor signals a damaged .zst frame with unchecked exceptions
                    throw new TraceFormatException(file, lineNo + 1, "dumpe2fs", "cannot decompress: " + e.getMessage(),
                            e);
                }
                if (n <= 0) {
                    if (b == null) {
                        return null;
                    }
                    break;
                }
                bufPos = 0;
                bufLim = n;
            }
            int nl = bufPos;
            while (nl < bufLim && buf[nl] != '\n') {
                nl++;
            }
            if (b == null) {
                b = new StringBuilder(Math.max(16, nl - bufPos));
            }
            b.append(buf, bufPos, nl - bufPos);
            if (b.length() > MAX_LINE) {
                throw TraceFormatException.expected(file, lineNo + 1, "dumpe2fs", "text lines of dumpe2fs output",
                        "a line longer than " + MAX_LINE + " characters");
            }
            if (nl < bufLim) {
                bufPos = nl + 1;
                break;
            }
            bufPos = bufLim;
        }
        if (++lineNo > MAX_LINES) {
            throw new TraceFormatException(file, lineNo, "dumpe2fs", "expected dumpe2fs output, found more than "
                    + MAX_LINES + " lines");
        }
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
            b.setLength(len - 1);
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[\\p{Cntrl}\\uFFFD]", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
