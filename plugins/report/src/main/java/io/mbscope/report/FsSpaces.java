package io.mbscope.report;

import io.mbscope.replay.fs.FsGeometry;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Initial free space from an fs image (or dumpe2fs output), through the replay module's loader. */
public final class FsSpaces {
    private FsSpaces() {
    }

    /** An image (raw, .zst, Android sparse) or, for a name ending in .txt, dumpe2fs output with groups. */
    public static FsSpace fromImage(Path image) throws IOException {
        String name = String.valueOf(image.getFileName());
        FsState s = name.endsWith(".txt") ? FsStateLoader.fromDumpe2fs(image) : FsStateLoader.fromImage(image);
        return of(s, name);
    }

    public static FsSpace of(FsState s, String sourceName) {
        FsGeometry g = s.geometry();
        int groups = g.groupCount();
        int[] sizes = new int[groups];
        List<BitSet> used = new ArrayList<>(groups);
        for (int i = 0; i < groups; i++) {
            sizes[i] = Math.toIntExact(s.clustersInGroup(i));
            BitSet b = BitSet.valueOf(s.clusterBitmap(i));
            // the bitmap's padding past the group's last cluster is not space
            b.clear(sizes[i], Math.max(sizes[i], b.length()));
            used.add(b);
        }
        String desc = String.format(Locale.ROOT, "%d-byte blocks%s, %,d group%s of %,d clusters, %,d blocks; "
                        + "%,d clusters free at start (%s)", g.blockSize(),
                g.clusterRatio() > 1 ? String.format(Locale.ROOT, ", %d-byte clusters (bigalloc)", g.clusterSize())
                        : "",
                groups, groups == 1 ? "" : "s", g.clustersPerGroup(), g.blocksCount(), s.totalFreeClusters(),
                sourceName);
        return new FsSpace(g.blockSize(), g.clusterRatio(), Math.toIntExact(g.clustersPerGroup()), sizes, used, desc);
    }
}
