package io.mbscope.replay.fs;

/**
 * Where the kernel expects static metadata, and the block bitmap it builds for a BLOCK_UNINIT group.
 * Mirrors fs/ext4/balloc.c and super.c; line numbers are for 6.12.117 (7.3.4 has the same logic).
 *
 * @param geometry    the fs geometry
 * @param firstMetaBg s_first_meta_bg (0 without meta_bg)
 * @param backupBg0   s_backup_bgs[0] (sparse_super2 only)
 * @param backupBg1   s_backup_bgs[1] (sparse_super2 only)
 */
record Ext4Layout(FsGeometry geometry, long firstMetaBg, long backupBg0, long backupBg1) {

    /** ext4_bg_has_super (balloc.c:858): 1 if the group holds the superblock or a backup. */
    boolean hasSuper(int group) {
        if (group == 0) {
            return true;
        }
        if (geometry.sparseSuper2()) {
            return group == backupBg0 || group == backupBg1;
        }
        if (group <= 1 || !geometry.sparseSuper()) {
            return true;
        }
        if ((group & 1) == 0) {
            return false;
        }
        return isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
    }

    private static boolean isPowerOf(long a, long b) {
        // test_root(): is a a power of b (a >= 1)
        while (true) {
            if (a < b) {
                return a == 1;
            }
            if (a == b) {
                return true;
            }
            if (a % b != 0) {
                return false;
            }
            a /= b;
        }
    }

    /** ext4_bg_num_gdb_meta (balloc.c:880): one GDT block in the first, second and last group of a meta group. */
    private long numGdbMeta(int group) {
        long perBlock = geometry.descPerBlock();
        long first = (group / perBlock) * perBlock;
        long last = first + perBlock - 1;
        return group == first || group == first + 1 || group == last ? 1 : 0;
    }

    /** ext4_bg_num_gdb_nometa (balloc.c:892). */
    private long numGdbNometa(int group) {
        if (!hasSuper(group)) {
            return 0;
        }
        return geometry.metaBg() ? firstMetaBg : geometry.gdtBlocks();
    }

    /**
     * ext4_num_base_meta_blocks (balloc.c:931): superblock (backup), GDT (backup) and reserved GDT
     * blocks at the very start of the group.
     */
    long numBaseMetaBlocks(int group) {
        long num = hasSuper(group) ? 1 : 0;
        if (!geometry.metaBg() || group < firstMetaBg * geometry.descPerBlock()) {
            if (num != 0) {
                num += numGdbNometa(group);
                num += geometry.reservedGdtBlocks();
            }
        } else {
            num += numGdbMeta(group);
        }
        return num;
    }

    /** Block number of group descriptor block {@code nr}: descriptor_loc() in super.c. */
    long descriptorBlock(long nr) {
        long logicalSbBlock = geometry.blockSize() == 1024 ? 1 : 0;
        if (!geometry.metaBg() || nr < firstMetaBg) {
            return logicalSbBlock + nr + 1;
        }
        long bg = geometry.descPerBlock() * nr;
        long hasSuper = bg < geometry.groupCount() && hasSuper((int) bg) ? 1 : 0;
        // 1k blocks with s_first_data_block == 0 (bigalloc): group 0's GDT is at block 2, not 1.
        if (geometry.blockSize() == 1024 && nr == 0 && geometry.firstDataBlock() == 0) {
            hasSuper++;
        }
        return hasSuper + geometry.firstDataBlock() + bg * geometry.blocksPerGroup();
    }

    /**
     * The bitmap ext4_init_block_bitmap (balloc.c:182) builds for a BLOCK_UNINIT group: the base
     * metadata clusters, then the group's own block bitmap, inode bitmap and inode table clusters
     * when they lie inside this group (with flex_bg they usually do not), then padding past the
     * group's last cluster. Metadata of other groups that lives here is NOT marked: the kernel does
     * not look for it (mke2fs never leaves BLOCK_UNINIT on a group that holds such metadata).
     *
     * @return words of ceil(clustersInGroup/64), bits past the group's end set
     */
    long[] initBlockBitmap(int group, GroupDesc desc) {
        long clusters = geometry.clustersInGroup(group);
        long[] bits = new long[(int) ((clusters + 63) >>> 6)];
        int shift = geometry.clusterBits();
        long baseClusters = (numBaseMetaBlocks(group) + geometry.clusterRatio() - 1) >> shift;
        for (long c = 0; c < baseClusters && c < clusters; c++) {
            set(bits, c);
        }
        long start = geometry.groupFirstBlock(group);
        markIfInGroup(bits, group, start, desc.blockBitmap(), shift);
        markIfInGroup(bits, group, start, desc.inodeBitmap(), shift);
        long itEnd = desc.inodeTable() + geometry.inodeTableBlocks();
        for (long b = desc.inodeTable(); b < itEnd; b++) {
            markIfInGroup(bits, group, start, b, shift);
        }
        setPadding(bits, clusters);
        return bits;
    }

    private void markIfInGroup(long[] bits, int group, long start, long block, int shift) {
        if (block >= geometry.firstDataBlock() && block < geometry.blocksCount()
                && geometry.groupOfBlock(block) == group) {
            long c = (block - start) >> shift;
            if (c < (long) bits.length << 6) {
                set(bits, c);
            }
        }
    }

    static void set(long[] bits, long i) {
        bits[(int) (i >>> 6)] |= 1L << (i & 63);
    }

    /** ext4_mark_bitmap_end: every bit from {@code clusters} on is in use. */
    static void setPadding(long[] bits, long clusters) {
        if ((clusters & 63) != 0) {
            bits[bits.length - 1] |= -1L << (clusters & 63);
        }
    }
}
