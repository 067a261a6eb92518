package io.mbscope.tracecompass.analysis;

import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the analyses need to know about the file system beyond the events: block and cluster size
 * (events mix block and cluster units, MBALLOC-FACTS §3) and the free clusters of every group when
 * the capture started, so the free-space chart shows absolute values instead of deltas.
 *
 * @param blockSize    bytes per block
 * @param clusterRatio blocks per cluster (1 without bigalloc)
 * @param initialFree  free clusters per group at the start of the capture, or null if unknown
 * @param source       where the values came from (image, dumpe2fs, none)
 */
public record CaptureStart(int blockSize, int clusterRatio, long[] initialFree, String source) {

    /** Nothing known: 4 KiB blocks, no bigalloc, free space as deltas. */
    public static final CaptureStart UNKNOWN = new CaptureStart(4096, 1, null, "none");

    public CaptureStart {
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

    public static CaptureStart of(FsState s) {
        long[] free = new long[s.geometry().groupCount()];
        for (int g = 0; g < free.length; g++) {
            free[g] = s.freeClusters(g);
        }
        return new CaptureStart(s.geometry().blockSize(), s.geometry().clusterRatio(), free, s.source());
    }

    /**
     * The state the capture next to the trace started from (mbscope capture folders hold
     * image-before.img(.zst) and/or dumpe2fs-before.txt), read by allocator-replay's
     * {@link FsStateLoader}; {@link #UNKNOWN} when the folder has neither or they cannot be read.
     */
    public static CaptureStart forCapture(Path traceFile) {
        Path dir = traceFile.toAbsolutePath().getParent();
        if (dir == null || !(Files.isRegularFile(dir.resolve("dumpe2fs-before.txt"))
                || Files.isRegularFile(dir.resolve("image-before.img"))
                || Files.isRegularFile(dir.resolve("image-before.img.zst")))) {
            return UNKNOWN;
        }
        try {
            return of(FsStateLoader.fromCapture(CaptureFolder.open(dir)));
        } catch (java.io.IOException | RuntimeException e) {
            // a damaged or foreign start state must not keep the trace from opening: deltas then
            return UNKNOWN;
        }
    }
}
