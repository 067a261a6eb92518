package io.mbscope.tracecompass.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the analyses need to know about the file system beyond the events: block and cluster size
 * (events mix block and cluster units, MBALLOC-FACTS §3) and the free clusters of every group when
 * the capture started (the free-space chart then shows absolute values, not just deltas).
 *
 * @param blockSize        bytes per block
 * @param clusterRatio     blocks per cluster (1 without bigalloc)
 * @param initialFree      free clusters per group at the start of the capture, or null if unknown
 * @param source           where the values came from, for the views' titles and tooltips
 */
public record FsGeometry(int blockSize, int clusterRatio, long[] initialFree, String source) {

    /** Nothing known: 4 KiB blocks, no bigalloc, free space as deltas. */
    public static final FsGeometry UNKNOWN = new FsGeometry(4096, 1, null, "none");

    public FsGeometry {
        if (blockSize <= 0 || clusterRatio <= 0) {
            throw new IllegalArgumentException("block size " + blockSize + ", cluster ratio " + clusterRatio);
        }
        initialFree = initialFree == null ? null : initialFree.clone();
    }

    @Override
    public long[] initialFree() {
        return initialFree == null ? null : initialFree.clone();
    }

    public boolean hasInitialFree() {
        return initialFree != null;
    }

    /**
     * Looks next to the trace for the state the capture started from. mbscope's capture folders
     * hold {@code dumpe2fs-before.txt} (dumpe2fs of the fresh file system, taken before tracing
     * started); without it the analyses fall back to {@link #UNKNOWN}.
     */
    public static FsGeometry forCapture(Path traceFile) {
        Path dir = traceFile.toAbsolutePath().getParent();
        if (dir == null) {
            return UNKNOWN;
        }
        Path dump = dir.resolve("dumpe2fs-before.txt");
        if (!Files.isRegularFile(dump)) {
            return UNKNOWN;
        }
        try {
            return parseDumpe2fs(Files.readString(dump, StandardCharsets.UTF_8), dump.getFileName().toString())
                    .orElse(UNKNOWN);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static final Pattern BLOCK_SIZE = Pattern.compile("(?m)^Block size:\\s+(\\d+)");
    private static final Pattern CLUSTER_SIZE = Pattern.compile("(?m)^Cluster size:\\s+(\\d+)");
    private static final Pattern GROUP = Pattern.compile("(?m)^Group (\\d+): ");
    // e2fsprogs prints "free blocks" or, with bigalloc, "free clusters" (lib/e2p, misc/dumpe2fs.c)
    private static final Pattern FREE = Pattern.compile("(?m)^\\s+(\\d+) free (blocks|clusters), ");

    /** dumpe2fs (not -h) output: the superblock header plus one paragraph per group. */
    static Optional<FsGeometry> parseDumpe2fs(String text, String source) {
        Matcher bs = BLOCK_SIZE.matcher(text);
        if (!bs.find()) {
            return Optional.empty();
        }
        int blockSize = Integer.parseInt(bs.group(1));
        Matcher cs = CLUSTER_SIZE.matcher(text);
        int ratio = cs.find() ? Math.max(1, Integer.parseInt(cs.group(1)) / blockSize) : 1;
        long[] free = new long[0];
        Matcher g = GROUP.matcher(text);
        int count = 0;
        while (g.find()) {
            int group = Integer.parseInt(g.group(1));
            Matcher f = FREE.matcher(text);
            if (!f.find(g.end())) {
                return Optional.empty();
            }
            if (group != count) {
                return Optional.empty(); // groups are printed in order; anything else is not dumpe2fs
            }
            long v = Long.parseLong(f.group(1));
            if (f.group(2).equals("blocks") && ratio > 1) {
                v /= ratio;
            }
            free = Arrays.copyOf(free, count + 1);
            free[count++] = v;
        }
        return Optional.of(new FsGeometry(blockSize, ratio, count == 0 ? null : free, source));
    }
}
