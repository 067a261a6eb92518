package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layouts the corpus does not have, made by mke2fs 1.47.0 (src/test/resources/fs/make-images.sh):
 * each image must load exactly as e2fsprogs' dumpe2fs printed it, BLOCK_UNINIT groups included.
 */
class LayoutVariantsTest {
    static List<String> variants() {
        return List.of("flex1k", "noflex1k", "metabg1k", "sparse2", "gdtcsum32", "bigalloc1k", "nosparse2k",
                "block64k", "csumseed");
    }

    static Path resource(String name) {
        try {
            return Path.of(LayoutVariantsTest.class.getResource("/fs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void imageMatchesDumpe2fs(String name) throws IOException {
        FsState img = FsStateLoader.fromImage(resource(name + ".img.zst"));
        FsState dump = FsStateLoader.fromDumpe2fs(resource(name + ".dumpe2fs.txt"));
        assertThat(img.firstDifference(dump)).isNull();
        assertThat(img.corruptGroups()).isEmpty();
        // and against the text itself: each group's "N free blocks/clusters" (the descriptor count)
        // equals what the bitmap holds in a freshly checked fs
        String text = Corpus.read(resource(name + ".dumpe2fs.txt"));
        Matcher m = Pattern.compile("(?m)^  (\\d+) free (?:blocks|clusters),").matcher(text);
        int g = 0;
        while (m.find()) {
            assertThat(img.freeClusters(g)).as("%s group %d", name, g).isEqualTo(Long.parseLong(m.group(1)));
            assertThat(img.initialBbFree(g)).isEqualTo(img.freeClusters(g));
            g++;
        }
        assertThat(img.needsRecovery()).isFalse();
        assertThat(g).isEqualTo(img.geometry().groupCount());
        // "Backup superblock at N" lines name exactly the groups ext4_bg_has_super() picks
        Matcher b = Pattern.compile("(?m)^Group (\\d+):[^\\n]*\\n  (Backup|Primary) superblock").matcher(text);
        java.util.Set<Integer> printed = new java.util.TreeSet<>();
        while (b.find()) {
            printed.add(Integer.parseInt(b.group(1)));
        }
        java.util.Set<Integer> ours = new java.util.TreeSet<>();
        for (int k = 0; k < img.geometry().groupCount(); k++) {
            if (img.hasSuperBackup(k)) {
                ours.add(k);
            }
        }
        assertThat(ours).isEqualTo(printed);
    }

    @Test
    void layoutsAreWhatTheirNamesSay() throws IOException {
        assertThat(FsStateLoader.fromImage(resource("noflex1k.img.zst")).geometry().flexBg()).isFalse();
        FsGeometry meta = FsStateLoader.fromImage(resource("metabg1k.img.zst")).geometry();
        assertThat(meta.metaBg()).isTrue();
        assertThat(meta.groupCount()).isEqualTo(32);
        FsGeometry g32 = FsStateLoader.fromImage(resource("gdtcsum32.img.zst")).geometry();
        assertThat(g32.descSize()).isEqualTo(32);
        assertThat(g32.metadataCsum()).isFalse();
        assertThat(g32.hasGroupDescCsum()).isTrue();
        FsGeometry b1k = FsStateLoader.fromImage(resource("bigalloc1k.img.zst")).geometry();
        assertThat(b1k.blockSize()).isEqualTo(1024);
        assertThat(b1k.clusterRatio()).isEqualTo(4);
        assertThat(b1k.firstDataBlock()).isZero();   // bigalloc: first data block 0 even with 1 KiB blocks
        assertThat(FsStateLoader.fromImage(resource("sparse2.img.zst")).geometry().sparseSuper2()).isTrue();
        assertThat(FsStateLoader.fromImage(resource("block64k.img.zst")).geometry().blockSize()).isEqualTo(65536);
        // the no-flex_bg layout has BLOCK_UNINIT groups whose own bitmaps and inode table lie inside them
        FsState nf = FsStateLoader.fromImage(resource("noflex1k.img.zst"));
        int inGroup = 0;
        for (int g = 1; g < nf.geometry().groupCount(); g++) {
            if (nf.groupDesc(g).blockUninit()
                    && nf.geometry().groupOfBlock(nf.groupDesc(g).blockBitmap()) == g) {
                inGroup++;
            }
        }
        assertThat(inGroup).isGreaterThan(10);
    }
}
