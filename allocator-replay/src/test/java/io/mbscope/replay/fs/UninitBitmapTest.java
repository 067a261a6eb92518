package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * BLOCK_UNINIT groups: mke2fs leaves their bitmap blocks zeroed on disk, and the kernel builds the
 * bitmap in memory (ext4_init_block_bitmap). The only corpus fs with such groups is 6.18.44-1k
 * (8 groups of 8192 1 KiB blocks, 5 of them BLOCK_UNINIT).
 */
class UninitBitmapTest {
    private static final String FOLDER = "6.18.44-1k";

    /** The groups dumpe2fs flags BLOCK_UNINIT, read from its text. */
    private static Set<Integer> uninitGroupsPrinted(Path dump) {
        Matcher m = Pattern.compile("(?m)^Group (\\d+): .*\\[([A-Z_, ]*)\\]").matcher(Corpus.read(dump));
        Set<Integer> out = new TreeSet<>();
        while (m.find()) {
            if (m.group(2).contains("BLOCK_UNINIT")) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }

    @Test
    void corpusUninitGroupsGetTheRangesDumpe2fsPrints() throws IOException {
        Path dir = Corpus.folder(FOLDER);
        Set<Integer> uninit = uninitGroupsPrinted(dir.resolve("dumpe2fs-before.txt"));
        assertThat(uninit).containsExactly(1, 3, 4, 5, 6);

        FsState img = FsStateLoader.fromImage(dir.resolve("image-before.img.zst"));
        FsState dump = FsStateLoader.fromDumpe2fs(dir.resolve("dumpe2fs-before.txt"));
        for (int g : uninit) {
            assertThat(img.groupDesc(g).blockUninit()).isTrue();
            assertThat(img.freeRanges(g)).as("group %d", g).isEqualTo(dump.freeRanges(g));
            // on disk the bitmap block is all zeros: the ranges can only come from the computation
            assertThat(isZeroBlock(dir.resolve("image-before.img.zst"), img.groupDesc(g).blockBitmap(), 1024))
                    .as("on-disk bitmap of group %d", g).isTrue();
        }
        // Group 1 "Backup superblock at 8193, Group descriptors at 8194-8194, Reserved GDT blocks at
        // 8195-8450", "Free blocks: 8451-16384": 258 base metadata blocks, the rest free.
        assertThat(img.baseMetaBlocks(1)).isEqualTo(258);
        assertThat(img.freeRanges(1)).containsExactly(new FsState.ClusterRange(258, 8192 - 258));
        // Group 4 has no backup (4 is not a power of 3, 5 or 7): "Free blocks: 32769-40960", all free.
        assertThat(img.hasSuperBackup(4)).isFalse();
        assertThat(img.freeClusters(4)).isEqualTo(8192);
    }

    private static boolean isZeroBlock(Path zst, long block, int blockSize) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(zst))) {
            in.skipNBytes(block * blockSize);
            byte[] b = in.readNBytes(blockSize);
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            return b.length == blockSize;
        }
    }

    /**
     * Property over random geometries: the bitmap built for a BLOCK_UNINIT group marks exactly the
     * clusters of (a) the superblock/GDT/reserved-GDT run at the group's start when the group holds
     * a backup and (b) the group's own bitmaps and inode table that lie inside it; plus padding.
     * The oracle below is written independently: backup groups are enumerated as powers, blocks are
     * collected in a set and mapped to clusters one by one.
     */
    @Test
    void randomGeometriesMatchAnIndependentOracle() {
        Random rnd = new Random(20261125L);
        for (int iter = 0; iter < 3000; iter++) {
            int blockSize = List.of(1024, 2048, 4096).get(rnd.nextInt(3));
            int ratio = rnd.nextInt(3) == 0 ? 1 << (1 + rnd.nextInt(4)) : 1;
            long firstData = blockSize == 1024 && ratio == 1 ? 1 : 0;
            long cpg = 8L * blockSize - (rnd.nextBoolean() ? 0 : 8L * rnd.nextInt(blockSize / 2));
            long bpg = cpg * ratio;
            int groups = 2 + rnd.nextInt(400);
            long lastBlocks = 1 + (long) (rnd.nextDouble() * (bpg - 1));
            long blocksCount = firstData + (groups - 1) * bpg + lastBlocks;
            boolean sparse = rnd.nextInt(4) != 0;
            boolean sparse2 = !sparse && rnd.nextInt(3) == 0;
            boolean metaBg = rnd.nextInt(4) == 0;
            boolean flex = rnd.nextBoolean();
            int descSize = rnd.nextBoolean() ? 32 : 64;
            long ro = FsGeometry.RO_COMPAT_METADATA_CSUM | (sparse ? FsGeometry.RO_COMPAT_SPARSE_SUPER : 0)
                    | (ratio > 1 ? FsGeometry.RO_COMPAT_BIGALLOC : 0);
            long incompat = (metaBg ? FsGeometry.INCOMPAT_META_BG : 0) | (flex ? FsGeometry.INCOMPAT_FLEX_BG : 0)
                    | (descSize == 64 ? FsGeometry.INCOMPAT_64BIT : 0);
            long compat = sparse2 ? FsGeometry.COMPAT_SPARSE_SUPER2 : 0;
            long inodesPerGroup = 8L * (1 + rnd.nextInt(256));
            int inodeSize = 256;
            long reservedGdt = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(300);
            FsGeometry geo = new FsGeometry(blockSize, ratio, blocksCount, firstData, bpg, cpg, groups, inodesPerGroup,
                    inodeSize, descSize, flex ? 4 : 0, 0, 0, reservedGdt, compat, incompat, ro, "x", "");
            long gdt = geo.gdtBlocks();
            long firstMetaBg = metaBg ? rnd.nextInt((int) gdt + 1) : 0;
            long b0 = 1 + rnd.nextInt(groups - 1), b1 = rnd.nextInt(groups);
            Ext4Layout layout = new Ext4Layout(geo, firstMetaBg, sparse2 ? b0 : 0, sparse2 ? b1 : 0);

            int g = 1 + rnd.nextInt(groups - 1);
            long start = geo.groupFirstBlock(g);
            long blocksInGroup = geo.blocksInGroup(g);
            long itBlocks = geo.inodeTableBlocks();
            // own metadata: in this group (no flex_bg) or in group 0 / anywhere (flex_bg)
            long bb, ib, it;
            if (!flex && blocksInGroup > itBlocks + 600) {
                long base = start + 300;
                bb = base;
                ib = base + 1;
                it = base + 2;
            } else {
                bb = firstData + 1 + rnd.nextInt(100);
                ib = bb + 1 + rnd.nextInt(10);
                it = rnd.nextBoolean() ? ib + 1 : start + rnd.nextInt((int) Math.min(blocksInGroup, 1000));
            }
            GroupDesc desc = new GroupDesc(bb, ib, it, 0, 0, 0, FsGeometry.BG_BLOCK_UNINIT, 0);
            long[] got = layout.initBlockBitmap(g, desc);

            // ---- oracle ----
            Set<Long> backups = new HashSet<>();
            backups.add(0L);
            if (sparse2) {
                backups.add(b0);
                backups.add(b1);
            } else if (!sparse) {
                for (long x = 0; x < groups; x++) {
                    backups.add(x);
                }
            } else {
                backups.add(1L);
                for (long base : new long[] {3, 5, 7}) {
                    for (long p = base; p < groups; p *= base) {
                        backups.add(p);
                    }
                }
            }
            long perBlock = blockSize / descSize;
            long metaStartGroup = firstMetaBg * perBlock;
            Set<Long> usedBlocks = new HashSet<>();
            boolean hasSb = backups.contains((long) g);
            long run;
            if (!metaBg || g < metaStartGroup) {
                run = hasSb ? 1 + (metaBg ? firstMetaBg : gdt) + reservedGdt : 0;
            } else {
                long inMeta = g % perBlock;
                run = (hasSb ? 1 : 0) + (inMeta == 0 || inMeta == 1 || inMeta == perBlock - 1 ? 1 : 0);
            }
            for (long b = 0; b < run; b++) {
                usedBlocks.add(start + b);
            }
            usedBlocks.add(bb);
            usedBlocks.add(ib);
            for (long b = it; b < it + itBlocks; b++) {
                usedBlocks.add(b);
            }
            long clusters = (blocksInGroup + ratio - 1) / ratio;
            BitSet expect = new BitSet();
            for (long b : usedBlocks) {
                if (b >= start && b < start + bpg) {
                    long c = (b - start) / ratio;
                    if (c < clusters) {
                        expect.set((int) c);
                    }
                }
            }
            for (long c = clusters; c < (long) got.length * 64; c++) {
                expect.set((int) c);
            }
            BitSet actual = BitSet.valueOf(got);
            assertThat(actual).as("iteration %d: %s group %d", iter, geo, g).isEqualTo(expect);
            assertThat(got).hasSize((int) ((clusters + 63) / 64));
            assertThat(layout.hasSuper(g)).isEqualTo(hasSb);
        }
    }
}
