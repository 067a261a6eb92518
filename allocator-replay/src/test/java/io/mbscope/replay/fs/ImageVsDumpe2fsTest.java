package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two independent sources of every capture's initial state must agree: the device image (read by
 * our superblock/descriptor/bitmap code, BLOCK_UNINIT groups computed like the kernel) and the
 * dumpe2fs output e2fsprogs printed of the same fs before the run.
 */
class ImageVsDumpe2fsTest {
    private static final Pattern GROUP_LINE = Pattern.compile("(?m)^Group (\\d+): \\(Blocks (\\d+)-(\\d+)\\)");
    private static final Pattern FREE_LINE = Pattern.compile("(?m)^  Free blocks: (.*)$");

    static List<String> folders() {
        return Corpus.FOLDERS;
    }

    @ParameterizedTest
    @MethodSource("folders")
    void imageAndDumpe2fsAgreeExactly(String name) throws IOException {
        CaptureFolder cf = CaptureFolder.open(Corpus.folder(name));
        long t0 = System.nanoTime();
        FsState img = FsStateLoader.fromImage(cf.image().orElseThrow());
        long t1 = System.nanoTime();
        FsState dump = FsStateLoader.fromDumpe2fs(cf.dumpe2fs().orElseThrow());
        long t2 = System.nanoTime();
        System.out.printf("%s: image load %.1f ms, dumpe2fs parse %.1f ms, %s%n", name, (t1 - t0) / 1e6,
                (t2 - t1) / 1e6, img);

        assertThat(img.source()).isEqualTo("image-before.img.zst");
        assertThat(dump.source()).isEqualTo("dumpe2fs-before.txt");
        assertThat(img.geometry()).isEqualTo(dump.geometry());
        for (int g = 0; g < img.geometry().groupCount(); g++) {
            assertThat(img.groupDesc(g)).as("group %d descriptor", g).isEqualTo(dump.groupDesc(g));
            assertThat(img.freeRanges(g)).as("group %d free ranges", g).isEqualTo(dump.freeRanges(g));
            assertThat(img.clusterBitmap(g)).as("group %d bitmap", g).isEqualTo(dump.clusterBitmap(g));
        }
        assertThat(img.firstDifference(dump)).isNull();
        assertThat(img.totalFreeClusters()).isEqualTo(dump.totalFreeClusters());
    }

    /**
     * The same comparison against a minimal reading of the dumpe2fs text written here (group lines
     * and "Free blocks:" ranges only), so a bug shared by both loaders of the library cannot hide.
     */
    @ParameterizedTest
    @MethodSource("folders")
    void imageFreeRangesMatchDumpe2fsTextReadIndependently(String name) throws IOException {
        Path dir = Corpus.folder(name);
        String text = Corpus.read(dir.resolve("dumpe2fs-before.txt"));
        FsState img = FsStateLoader.fromImage(dir.resolve("image-before.img.zst"));
        int ratio = img.geometry().clusterRatio();

        Matcher gm = GROUP_LINE.matcher(text);
        Matcher fm = FREE_LINE.matcher(text);
        int groups = 0;
        long totalFreeBlocks = 0;
        while (gm.find()) {
            int g = Integer.parseInt(gm.group(1));
            assertThat(g).isEqualTo(groups);
            long first = Long.parseLong(gm.group(2));
            long last = Long.parseLong(gm.group(3));
            assertThat(img.geometry().groupFirstBlock(g)).isEqualTo(first);
            assertThat(img.clustersInGroup(g)).isEqualTo((last - first + 1 + ratio - 1) / ratio);
            assertThat(fm.find(gm.end())).isTrue();
            // dumpe2fs prints the first block of the first and of the last free cluster of each run
            List<FsState.ClusterRange> expected = new ArrayList<>();
            String list = fm.group(1).trim();
            if (!list.isEmpty()) {
                for (String part : list.split(", ")) {
                    String[] ab = part.split("-");
                    long a = Long.parseLong(ab[0]);
                    long b = ab.length > 1 ? Long.parseLong(ab[1]) : a;
                    expected.add(new FsState.ClusterRange((a - first) / ratio, (b - a) / ratio + 1));
                    totalFreeBlocks += (b - a) / ratio * ratio + ratio;
                }
            }
            assertThat(img.freeRanges(g)).as("%s group %d", name, g).isEqualTo(expected);
            groups++;
        }
        assertThat(groups).isEqualTo(img.geometry().groupCount());
        // the superblock's free count as dumpe2fs printed it ("Free blocks: N" in the header, in blocks)
        Matcher hdr = Pattern.compile("(?m)^Free blocks:\\s+(\\d+)$").matcher(text);
        assertThat(hdr.find()).isTrue();
        assertThat(img.totalFreeClusters() * ratio).isEqualTo(Long.parseLong(hdr.group(1))).isEqualTo(totalFreeBlocks);
    }
}
