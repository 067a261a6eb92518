package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values the image loader must find, taken from text printed by other tools for the same fs:
 * mkfs.txt (mke2fs's own output) and dumpe2fs-before.txt.
 */
class FsStateValuesTest {

    static List<String> folders() {
        return Corpus.FOLDERS;
    }

    private static FsState image(String folder) throws IOException {
        return FsStateLoader.fromImage(Corpus.folder(folder).resolve("image-before.img.zst"));
    }

    /** mkfs.txt: "Creating filesystem with 65536 1k blocks and 16384 inodes"; dumpe2fs: First block 1. */
    @Test
    void oneKiBlockFs() throws IOException {
        FsState s = image("6.18.44-1k");
        FsGeometry g = s.geometry();
        assertThat(g.blockSize()).isEqualTo(1024);
        assertThat(g.firstDataBlock()).isEqualTo(1);
        assertThat(g.blocksCount()).isEqualTo(65536);
        assertThat(g.inodesPerGroup() * g.groupCount()).isEqualTo(16384);
        assertThat(g.groupCount()).isEqualTo(8);
        assertThat(g.blocksPerGroup()).isEqualTo(8192);
        assertThat(g.clusterRatio()).isEqualTo(1);
        assertThat(g.bigalloc()).isFalse();
        assertThat(g.flexBg()).isTrue();
        assertThat(g.flexSize()).isEqualTo(16);
        assertThat(g.reservedGdtBlocks()).isEqualTo(256);      // "Reserved GDT blocks at 3-258"
        // "Group 0: (Blocks 1-8192)": the bitmap covers blocks 1.., so block 1 is cluster 0
        assertThat(g.groupFirstBlock(0)).isEqualTo(1);
        assertThat(g.groupFirstBlock(7)).isEqualTo(57345);
        // "Group 7: (Blocks 57345-65535)": the last group is one block short
        assertThat(s.clustersInGroup(7)).isEqualTo(8191);
        // "3808 free blocks ... Free blocks: 4385-8192"
        assertThat(s.freeClusters(0)).isEqualTo(3808);
        assertThat(s.freeRanges(0)).containsExactly(new FsState.ClusterRange(4385 - 1, 3808));
        // "Group 7 ... 7933 free blocks ... Free blocks: 57603-65535"
        assertThat(s.freeRanges(7)).containsExactly(new FsState.ClusterRange(57603 - 57345, 7933));
        assertThat(s.totalFreeClusters()).isEqualTo(56023);      // header "Free blocks: 56023"
        assertThat(s.reservedBlocks()).isEqualTo(3276);          // "Reserved block count: 3276"
        // the flags dumpe2fs prints: [ITABLE_ZEROED], [INODE_UNINIT, BLOCK_UNINIT, ITABLE_ZEROED] ...
        assertThat(s.groupFlags(0)).isEqualTo(4);
        assertThat(s.groupFlags(1)).isEqualTo(7);
        assertThat(s.groupFlags(2)).isEqualTo(5);
        assertThat(s.groupFlags(7)).isEqualTo(5);
        // "Block bitmap at 260 (bg #0 + 259)": flex_bg puts group 1's bitmap in group 0
        assertThat(s.groupDesc(1).blockBitmap()).isEqualTo(260);
        assertThat(s.groupDesc(7).inodeTable()).isEqualTo(3859);
    }

    /** mkfs.txt "Superblock backups stored on blocks:" lists exactly the groups holding a backup. */
    @ParameterizedTest
    @MethodSource("folders")
    void superblockBackupsAsMkfsPrinted(String folder) throws IOException {
        FsState s = image(folder);
        String mkfs = Corpus.read(Corpus.folder(folder).resolve("mkfs.txt"));
        List<Long> printed = new ArrayList<>();
        Matcher m = Pattern.compile("Superblock backups stored on blocks:\\s*\\n\\s*([0-9, ]+)").matcher(mkfs);
        if (m.find()) {
            for (String b : m.group(1).split(",")) {
                printed.add(Long.parseLong(b.trim()));
            }
        }
        List<Long> ours = new ArrayList<>();
        for (int g = 1; g < s.geometry().groupCount(); g++) {
            if (s.hasSuperBackup(g)) {
                ours.add(s.geometry().groupFirstBlock(g));
            }
        }
        assertThat(ours).isEqualTo(printed);
        Matcher c = Pattern.compile("Creating filesystem with (\\d+) (\\d+)k blocks and (\\d+) inodes").matcher(mkfs);
        assertThat(c.find()).isTrue();
        assertThat(s.geometry().blocksCount()).isEqualTo(Long.parseLong(c.group(1)));
        assertThat(s.geometry().blockSize()).isEqualTo(Integer.parseInt(c.group(2)) * 1024);
        assertThat(s.geometry().inodesPerGroup() * s.geometry().groupCount()).isEqualTo(Long.parseLong(c.group(3)));
    }

    /** mkfs -C 16384 on 4 KiB blocks: 4 blocks per cluster; dumpe2fs "15096 free clusters", "Free blocks: 5152-65532". */
    @Test
    void bigalloc16k() throws IOException {
        for (String f : List.of("6.12.117-bigalloc16k", "6.18.44-bigalloc16k")) {
            FsState s = image(f);
            FsGeometry g = s.geometry();
            assertThat(g.bigalloc()).isTrue();
            assertThat(g.clusterRatio()).isEqualTo(4);
            assertThat(g.clusterBits()).isEqualTo(2);
            assertThat(g.clusterSize()).isEqualTo(16384);
            assertThat(g.blocksPerGroup()).isEqualTo(131072);   // "Blocks per group: 131072"
            assertThat(g.clustersPerGroup()).isEqualTo(32768);  // "Clusters per group: 32768"
            assertThat(g.groupCount()).isEqualTo(1);
            assertThat(s.clustersInGroup(0)).isEqualTo(65536 / 4);
            assertThat(s.freeClusters(0)).isEqualTo(15096);
            assertThat(s.freeRanges(0)).containsExactly(new FsState.ClusterRange(5152 / 4, 65532 / 4 - 5152 / 4 + 1));
            assertThat(s.clusterBitmap(0)).hasSize(16384 / 64);
        }
    }

    /** mkfs -C 65536: 16 blocks per cluster; dumpe2fs "3818 free clusters", "Free blocks: 4448-65520". */
    @Test
    void bigalloc64k() throws IOException {
        for (String f : List.of("6.12.117-bigalloc64k", "6.18.44-bigalloc64k", "7.3.4-bigalloc64k")) {
            FsState s = image(f);
            FsGeometry g = s.geometry();
            assertThat(g.clusterRatio()).isEqualTo(16);
            assertThat(g.clustersPerGroup()).isEqualTo(32768);
            assertThat(g.blocksPerGroup()).isEqualTo(524288);
            assertThat(s.clustersInGroup(0)).isEqualTo(4096);
            assertThat(s.freeClusters(0)).isEqualTo(3818);
            assertThat(s.freeRanges(0)).containsExactly(new FsState.ClusterRange(4448 / 16, 65520 / 16 - 4448 / 16 + 1));
            // "Block bitmap at 3", "Inode table at 35-290" are in use; 4096 clusters fill 64 words exactly
            assertThat(s.inUse(0, 0)).isTrue();
            assertThat(s.inUse(0, 290 / 16)).isTrue();
            assertThat(s.clusterBitmap(0)).hasSize(64);
        }
    }

    /** 4 KiB: dumpe2fs groups "28629 free blocks ... Free blocks: 4139-32767" and "Free blocks: 36897-65535". */
    @Test
    void fourKi() throws IOException {
        for (String f : List.of("6.12.117-4k", "7.3.4-4k")) {
            FsState s = image(f);
            assertThat(s.geometry().groupCount()).isEqualTo(2);
            assertThat(s.geometry().firstDataBlock()).isZero();
            assertThat(s.geometry().raidStripeWidth()).isEqualTo(128);   // "RAID stripe width: 128"
            assertThat(s.freeClusters(0)).isEqualTo(28629);
            assertThat(s.freeRanges(0)).containsExactly(new FsState.ClusterRange(4139, 32768 - 4139));
            assertThat(s.freeRanges(1)).containsExactly(new FsState.ClusterRange(36897 - 32768, 65536 - 36897));
            assertThat(s.totalFreeClusters()).isEqualTo(57268);
        }
        FsState s = image("6.18.44-4k");
        assertThat(s.geometry().blocksCount()).isEqualTo(32768);
        assertThat(s.geometry().groupCount()).isEqualTo(1);
        assertThat(s.geometry().raidStripeWidth()).isZero();
        assertThat(s.totalFreeClusters()).isEqualTo(26599);
    }

    @Test
    void madeUpStateAndCopies() throws IOException {
        FsState real = image("6.18.44-1k");
        FsGeometry g = real.geometry();
        long[][] bm = new long[g.groupCount()][];
        for (int k = 0; k < bm.length; k++) {
            bm[k] = real.clusterBitmap(k);
        }
        // group 7 "Free blocks: 57603-65535": clusters 0..257 in use, 258..8190 free, 8191 is padding
        // made-up states have no BLOCK_UNINIT groups: bb_free comes from the descriptor = the bitmap count
        assertThat(FsState.of(g, bm, "same").initialBbFree(1)).isEqualTo(real.initialBbFree(1)).isEqualTo(7934);
        bm[7][2] = 0;      // frees clusters 128..191
        bm[7][127] = 0;    // also clears the padding bit: of() sets it again
        FsState made = FsState.of(g, bm, "made");
        assertThat(made.freeClusters(7)).isEqualTo(real.freeClusters(7) + 64);
        assertThat(made.freeRanges(7)).startsWith(new FsState.ClusterRange(128, 64));
        assertThat(made.clusterBitmap(7)[127]).isEqualTo(Long.MIN_VALUE);
        // clusterBitmap hands out copies
        real.clusterBitmap(0)[0] = 0;
        assertThat(real.clusterBitmap(0)[0]).isEqualTo(-1L);
        assertThat(real.inUse(0, 0)).isTrue();
        assertThat(real.inUse(0, 4384)).isFalse();   // "Free blocks: 4385-8192": block 4385 is cluster 4384
        assertThat(real.inUse(0, 4383)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FsState.of(g, new long[2][], "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void geometryIdentity() throws IOException {
        FsState s = image("6.12.117-4k");
        FsGeometry g = s.geometry();
        // dumpe2fs: "Filesystem UUID: 7e4a2461-ab25-4626-8a4f-bda3dfaeddbd", "Filesystem volume name: <none>"
        assertThat(g.uuid()).isEqualTo("7e4a2461-ab25-4626-8a4f-bda3dfaeddbd");
        assertThat(g.volumeName()).isEmpty();
        assertThat(g.featureNames()).containsExactly("has_journal", "ext_attr", "resize_inode", "dir_index",
                "filetype", "extent", "64bit", "flex_bg", "sparse_super", "large_file", "huge_file", "dir_nlink",
                "extra_isize", "metadata_csum");
        assertThat(g.is64bit()).isTrue();
        assertThat(g.descSize()).isEqualTo(64);
        assertThat(g.inodeSize()).isEqualTo(256);
        assertThat(g.inodeTableBlocks()).isEqualTo(2048);     // "Inode blocks per group: 2048"
        assertThat(g.metaBg()).isFalse();
        assertThat(g.sparseSuper()).isTrue();
        assertThat(s.baseMetaBlocks(0)).isEqualTo(1 + 1 + 31); // superblock, 1 GDT block, "Reserved GDT blocks: 31"
        assertThat(s.baseMetaBlocks(1)).isEqualTo(33);         // backup at 32768: "Reserved GDT blocks at 32770-32800"
    }
}
