package io.mbscope.report;

/**
 * @param colorBy          what the allocation map's colours mean for a single trace (several traces
 *                         are always coloured by trace)
 * @param maxPoints        above this many extents the allocation map is binned into a grid
 * @param freeSpaceSamples instants at which free space is sampled
 * @param svg              also write every chart as SVG
 */
public record ReportOptions(ColorBy colorBy, int maxPoints, int freeSpaceSamples, boolean svg) {
    public enum ColorBy { INODE, CRITERION }

    public static final int DEFAULT_MAX_POINTS = 300_000;

    public static ReportOptions defaults() {
        return new ReportOptions(ColorBy.INODE, DEFAULT_MAX_POINTS, 200, true);
    }

    public ReportOptions {
        if (maxPoints < 1 || freeSpaceSamples < 2) {
            throw new IllegalArgumentException("maxPoints >= 1 and freeSpaceSamples >= 2 required");
        }
    }
}
