package io.mbscope.replay.fs;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the initial {@link FsState} from a device image or from dumpe2fs output.
 *
 * <p>From an image only the superblock, the group descriptors and the initialised block bitmaps
 * are read, in ascending offset order (a zstd image is decompressed as one forward stream, never
 * held in memory; the corpus images load in 2-40 ms warm, a few hundred ms cold). As at mount:
 * the image must be at least s_blocks_count blocks long (checked before anything per group is
 * allocated), the superblock and descriptor checksums must verify (metadata_csum crc32c, or
 * gdt_csum crc16), and a BLOCK_UNINIT group gets the bitmap ext4_init_block_bitmap() builds
 * instead of its (zeroed) on-disk block. A bitmap whose checksum fails is kept but flagged
 * ({@link FsState#bitmapCorrupt}), as the kernel then skips the group.
 */
public final class FsStateLoader {
    /** Largest bitmap memory accepted (all groups): a 16 TiB fs of 4 KiB clusters needs 512 MiB. */
    static final long MAX_BITMAP_BYTES = 1L << 30;
    /** Largest group count accepted: 2^22 groups of 128 MiB = 512 TiB. */
    static final long MAX_GROUPS = 1L << 22;

    /** Whether {@code groups} groups of {@code clustersPerGroup} fit the in-memory limits. */
    static boolean fitsInMemory(long groups, long clustersPerGroup) {
        return groups <= MAX_GROUPS && groups * ((clustersPerGroup + 63) / 64 * 8) <= MAX_BITMAP_BYTES;
    }

    private FsStateLoader() {
    }

    /**
     * Reads a raw ext4 image: plain, with holes, zstd-compressed (.zst) or Android sparse. The
     * image length is checked cheaply: exactly for plain and sparse images, for zstd against the
     * bound its block headers give (a .zst cut short, or of a truncated image, is caught; see
     * {@link #fromImage(Path, boolean)} for the exact check).
     */
    public static FsState fromImage(Path image) throws IOException {
        return fromImage(image, false);
    }

    /**
     * @param checkLength verify exactly that the image holds all s_blocks_count blocks; for a zstd
     *                    image this decompresses the whole stream (0.5-2 s per 256 MiB with
     *                    aircompressor on the shared 2-core machine, against 2-40 ms without)
     */
    public static FsState fromImage(Path image, boolean checkLength) throws IOException {
        Objects.requireNonNull(image, "image");
        try (ImageInput in = ImageInput.open(image)) {
            return new ImageLoader(in, image.getFileName().toString()).load(checkLength);
        }
    }

    /** Parses `dumpe2fs` output (with group listing, not `-h` only). */
    public static FsState fromDumpe2fs(Path dumpe2fsOutput) throws IOException {
        Objects.requireNonNull(dumpe2fsOutput, "dumpe2fsOutput");
        return Dumpe2fsParser.parse(dumpe2fsOutput);
    }

    /**
     * The initial state of a capture: from its image when there is one, else from dumpe2fs-before.txt.
     * When both exist, their UUIDs must match (a dumpe2fs of another fs is an error).
     */
    public static FsState fromCapture(CaptureFolder folder) throws IOException {
        Optional<Path> image = folder.image();
        Optional<Path> dump = folder.dumpe2fs();
        if (image.isEmpty() && dump.isEmpty()) {
            throw new TraceFormatException(folder.dir().toString(), -1, "capture folder",
                    "expected image-before.img(.zst) or dumpe2fs-before.txt, found neither");
        }
        if (image.isEmpty()) {
            return fromDumpe2fs(dump.get());
        }
        FsState state = fromImage(image.get());
        if (dump.isPresent()) {
            String uuid = Dumpe2fsParser.readUuid(dump.get());
            if (uuid != null && !uuid.equals(state.geometry().uuid())) {
                throw TraceFormatException.expected(dump.get().toString(), -1, "Filesystem UUID",
                        "the UUID of " + image.get().getFileName() + " (" + state.geometry().uuid() + ")", uuid);
            }
        }
        return state;
    }

    /**
     * Loads a capture's image and its dumpe2fs-before.txt and returns their first difference
     * (geometry, a descriptor, a group's free ranges), or null when they agree exactly.
     *
     * @throws TraceFormatException if either is missing or unreadable
     */
    public static String crossCheck(CaptureFolder folder) throws IOException {
        Path image = folder.image().orElseThrow(() -> new TraceFormatException(folder.dir().toString(), -1,
                "capture folder", "expected image-before.img(.zst), found none"));
        Path dump = folder.dumpe2fs().orElseThrow(() -> new TraceFormatException(folder.dir().toString(), -1,
                "capture folder", "expected dumpe2fs-before.txt, found none"));
        return fromImage(image).firstDifference(fromDumpe2fs(dump));
    }

    static String hex(long v, int digits) {
        return String.format(Locale.ROOT, "0x%0" + digits + "X", v);
    }

    /** One image load. */
    private static final class ImageLoader {
        private static final int SB_OFFSET = 1024;
        private final ImageInput in;
        private final String sourceName;
        private final String file;

        ImageLoader(ImageInput in, String sourceName) {
            this.in = in;
            this.sourceName = sourceName;
            this.file = in.name;
        }

        FsState load(boolean checkLength) throws IOException {
            byte[] sb = in.read(SB_OFFSET, 1024, "superblock");
            Le s = new Le(sb);
            int magic = s.u16(56);
            if (magic != 0xEF53) {
                throw new TraceFormatException(file, SB_OFFSET + 56, "superblock",
                        "expected ext4 superblock magic 0xEF53, found " + hex(magic, 4));
            }
            long revLevel = s.u32(76);
            long compat = revLevel == 0 ? 0 : s.u32(92);
            long incompat = revLevel == 0 ? 0 : s.u32(96);
            long roCompat = revLevel == 0 ? 0 : s.u32(100);
            long logBlock = s.u32(24);
            if (logBlock > 6) {
                throw bad(24, "s_log_block_size 0..6 (1 KiB..64 KiB blocks)", logBlock);
            }
            int blockSize = 1024 << logBlock;
            boolean bigalloc = (roCompat & FsGeometry.RO_COMPAT_BIGALLOC) != 0;
            long logCluster = s.u32(28);
            int clusterRatio = 1;
            if (bigalloc) {
                if (logCluster < logBlock || logCluster > 30) {
                    throw bad(28, "s_log_cluster_size >= s_log_block_size (" + logBlock + ") with bigalloc",
                            logCluster);
                }
                if (logCluster - logBlock > 20) {
                    throw bad(28, "a cluster of at most 2^20 blocks", logCluster);
                }
                clusterRatio = 1 << (logCluster - logBlock);
            } else if (logCluster != logBlock && revLevel != 0) {
                // __ext4_fill_super: "fragment/cluster size != block size" without bigalloc
                throw bad(28, "s_log_cluster_size == s_log_block_size (" + logBlock + ") without bigalloc",
                        logCluster);
            }
            boolean is64 = (incompat & FsGeometry.INCOMPAT_64BIT) != 0;
            long blocksCount = s.u32(4) | (is64 ? s.u32(336) << 32 : 0);
            long rBlocks = s.u32(8) | (is64 ? s.u32(340) << 32 : 0);
            long firstDataBlock = s.u32(20);
            long blocksPerGroup = s.u32(32);
            long clustersPerGroup = bigalloc ? s.u32(36) : blocksPerGroup;
            long inodesPerGroup = s.u32(40);
            int inodeSize = revLevel == 0 ? 128 : s.u16(88);
            int descSize = 32;
            if (is64) {
                descSize = s.u16(254);
                if (descSize < 64 || descSize > 1024 || Integer.bitCount(descSize) != 1) {
                    throw bad(254, "s_desc_size a power of 2 in 64..1024 with the 64bit feature", descSize);
                }
            }
            if (clustersPerGroup == 0 || clustersPerGroup > 8L * blockSize) {
                throw bad(bigalloc ? 36 : 32, "clusters per group in 1.." + 8L * blockSize, clustersPerGroup);
            }
            if (blocksPerGroup != clustersPerGroup * clusterRatio) {
                throw bad(32, "s_blocks_per_group = s_clusters_per_group * " + clusterRatio + " = "
                        + clustersPerGroup * clusterRatio, blocksPerGroup);
            }
            if (firstDataBlock >= blocksCount || firstDataBlock > 1) {
                throw bad(20, "s_first_data_block 0 or 1 and below s_blocks_count " + blocksCount, firstDataBlock);
            }
            if (inodeSize < 128 || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
                throw bad(88, "s_inode_size a power of 2 in 128.." + blockSize, inodeSize);
            }
            if (inodesPerGroup == 0 || inodesPerGroup > 8L * blockSize) {
                throw bad(40, "s_inodes_per_group in 1.." + 8L * blockSize, inodesPerGroup);
            }
            long groups = FsGeometry.groupCountFor(blocksCount, firstDataBlock, blocksPerGroup);
            if (!fitsInMemory(groups, clustersPerGroup)) {
                throw new UnsupportedFormatException(file, SB_OFFSET + 4, "superblock", groups
                        + " groups of " + clustersPerGroup + " clusters: the free-space bitmaps would exceed "
                        + (MAX_BITMAP_BYTES >> 20) + " MiB in memory (or " + MAX_GROUPS + " groups)");
            }
            int logFlex = (incompat & FsGeometry.INCOMPAT_FLEX_BG) != 0 ? s.u8(372) : 0;
            if (logFlex >= 32) {
                throw bad(372, "s_log_groups_per_flex below 32", logFlex);
            }
            FsGeometry geo = new FsGeometry(blockSize, clusterRatio, blocksCount, firstDataBlock, blocksPerGroup,
                    clustersPerGroup, (int) groups, inodesPerGroup, inodeSize, descSize, logFlex, s.u16(356),
                    (int) s.u32(368), s.u16(206), compat, incompat, roCompat, uuid(sb, 104), label(sb, 120));
            int seed = verifySuperblockChecksum(geo, sb, s);
            long firstMetaBg = s.u32(260);
            if (geo.metaBg() && firstMetaBg > geo.gdtBlocks()) {
                throw bad(260, "s_first_meta_bg <= " + geo.gdtBlocks() + " descriptor blocks", firstMetaBg);
            }
            Ext4Layout layout = new Ext4Layout(geo, geo.metaBg() ? firstMetaBg : 0, s.u32(588), s.u32(592));

            // Before allocating anything per group: a device smaller than the fs is refused by the
            // kernel ("bad geometry: block count exceeds size of device"), and a damaged superblock
            // usually claims far more blocks than the image has.
            long need = blocksCount * blockSize;
            if (blocksCount > Long.MAX_VALUE / blockSize) {
                throw bad(4, "a block count below 2^63 bytes", blocksCount);
            }
            checkSize(in.cheapSizeBound(), need, blocksCount, blockSize, in.cheapSizeIsExact() ? "" : "at most ");
            long[] bitmapCsums = new long[geo.groupCount()];
            GroupDesc[] descs = readDescriptors(geo, layout, sb, seed, bitmapCsums);
            boolean[] corrupt = new boolean[geo.groupCount()];
            long[][] bitmaps = readBitmaps(geo, layout, descs, seed, bitmapCsums, corrupt);
            if (checkLength) {
                checkSize(in.size(), need, blocksCount, blockSize, "");
            }
            return new FsState(geo, layout, bitmaps, descs, rBlocks, sourceName, corrupt);
        }

        private void checkSize(long size, long need, long blocksCount, int blockSize, String qualifier)
                throws TraceFormatException {
            if (size < need) {
                throw new TraceFormatException(file, size, "image", "expected at least " + need
                        + " bytes (s_blocks_count " + blocksCount + " x " + blockSize + "), the " + in.kind()
                        + " image has " + qualifier + size + " (truncated image?)");
            }
        }

        /**
         * With metadata_csum the kernel refuses a superblock whose crc32c (over bytes 0..1019, seed ~0)
         * differs from s_checksum (ext4_superblock_csum_verify). Returns s_csum_seed: s_checksum_seed
         * with metadata_csum_seed, else crc32c(~0, uuid) (__ext4_fill_super).
         */
        private int verifySuperblockChecksum(FsGeometry geo, byte[] sb, Le s) throws TraceFormatException {
            if (!geo.metadataCsum()) {
                return 0;
            }
            if (s.u8(373) != 1) {
                throw new UnsupportedFormatException(file, SB_OFFSET + 373, "superblock",
                        "s_checksum_type " + s.u8(373) + " (only 1, crc32c, is defined)");
            }
            int calc = Checksums.crc32c(~0, sb, 0, 1020);
            long stored = s.u32(1020);
            if ((calc & 0xffffffffL) != stored) {
                throw new TraceFormatException(file, SB_OFFSET + 1020, "superblock", "expected superblock checksum "
                        + hex(calc & 0xffffffffL, 8) + ", found " + hex(stored, 8) + " (the kernel refuses to mount it)");
            }
            if ((geo.featureIncompat() & FsGeometry.INCOMPAT_CSUM_SEED) != 0) {
                return (int) s.u32(624);
            }
            return Checksums.crc32c(~0, sb, 104, 16);
        }

        /** ext4_group_desc_csum (super.c): crc32c with metadata_csum, crc16 with gdt_csum. */
        private static int descChecksum(FsGeometry geo, byte[] sb, int seed, long group, byte[] b, int o) {
            byte[] le = Checksums.le32(group);
            int size = geo.descSize();
            if (geo.metadataCsum()) {
                int c = Checksums.crc32c(seed, le, 0, 4);
                c = Checksums.crc32c(c, b, o, 30);
                c = Checksums.crc32c(c, new byte[2], 0, 2);
                if (32 < size) {
                    c = Checksums.crc32c(c, b, o + 32, size - 32);
                }
                return c & 0xffff;
            }
            int c = Checksums.crc16(0xffff, sb, 104, 16);
            c = Checksums.crc16(c, le, 0, 4);
            c = Checksums.crc16(c, b, o, 30);
            if (geo.is64bit() && 32 < size) {
                c = Checksums.crc16(c, b, o + 32, size - 32);
            }
            return c & 0xffff;
        }

        private GroupDesc[] readDescriptors(FsGeometry geo, Ext4Layout layout, byte[] sb, int seed,
                long[] bitmapCsums) throws IOException {
            int n = geo.groupCount();
            int perBlock = geo.descPerBlock();
            GroupDesc[] descs = new GroupDesc[n];
            long gdtBlocks = geo.gdtBlocks();
            for (long nr = 0; nr < gdtBlocks; nr++) {
                long blk = layout.descriptorBlock(nr);
                if (blk >= geo.blocksCount()) {
                    throw new TraceFormatException(file, -1, "group descriptors", "descriptor block " + nr
                            + " would be at block " + blk + ", past the end of the fs (" + geo.blocksCount() + ")");
                }
                long off = blk * geo.blockSize();
                byte[] b = in.read(off, geo.blockSize(), "group descriptor block " + nr);
                Le d = new Le(b);
                for (int i = 0; i < perBlock; i++) {
                    long g = nr * perBlock + i;
                    if (g >= n) {
                        break;
                    }
                    int o = i * geo.descSize();
                    descs[(int) g] = parseDesc(d, o, geo.is64bit() && geo.descSize() >= 64);
                    if (geo.hasGroupDescCsum()) {
                        int calc = descChecksum(geo, sb, seed, g, b, o);
                        if (calc != d.u16(o + 30)) {
                            // ext4_check_descriptors: "Checksum for group %u failed" and no rw mount
                            throw new TraceFormatException(file, off + o, "group descriptor " + g,
                                    "expected descriptor checksum " + hex(calc, 4) + ", found " + hex(d.u16(o + 30), 4)
                                            + " (the kernel refuses to mount it read-write)");
                        }
                    }
                    // bg_block_bitmap_csum_lo, and _hi when the descriptor is long enough to hold it
                    bitmapCsums[(int) g] = d.u16(o + 24) | (geo.descSize() >= 58 ? (long) d.u16(o + 56) << 16 : 0);
                }
            }
            return descs;
        }

        private static GroupDesc parseDesc(Le d, int o, boolean wide) {
            long bb = d.u32(o), ib = d.u32(o + 4), it = d.u32(o + 8);
            long freeB = d.u16(o + 12), freeI = d.u16(o + 14), dirs = d.u16(o + 16);
            int flags = d.u16(o + 18);
            long unused = d.u16(o + 28);
            if (wide) {
                bb |= d.u32(o + 32) << 32;
                ib |= d.u32(o + 36) << 32;
                it |= d.u32(o + 40) << 32;
                freeB |= (long) d.u16(o + 44) << 16;
                freeI |= (long) d.u16(o + 46) << 16;
                dirs |= (long) d.u16(o + 48) << 16;
                unused |= (long) d.u16(o + 50) << 16;
            }
            return new GroupDesc(bb, ib, it, freeB, freeI, dirs, flags, unused);
        }

        private long[][] readBitmaps(FsGeometry geo, Ext4Layout layout, GroupDesc[] descs, int seed,
                long[] bitmapCsums, boolean[] corrupt) throws IOException {
            int n = geo.groupCount();
            long[][] bitmaps = new long[n][];
            // Read initialised bitmaps in ascending disk order so a compressed image is one forward pass.
            Integer[] order = new Integer[n];
            for (int g = 0; g < n; g++) {
                order[g] = g;
            }
            java.util.Arrays.sort(order, (a, b) -> Long.compare(descs[a].blockBitmap(), descs[b].blockBitmap()));
            for (int g : order) {
                GroupDesc d = descs[g];
                if (geo.hasGroupDescCsum() && d.blockUninit()) {
                    if (g == 0) {
                        // ext4_read_block_bitmap_nowait refuses this: "Block bitmap for bg 0 marked uninitialized"
                        throw new TraceFormatException(file, -1, "group descriptor 0",
                                "expected an initialised block bitmap for group 0, found BLOCK_UNINIT");
                    }
                    bitmaps[g] = layout.initBlockBitmap(g, d);
                    continue;
                }
                long blk = d.blockBitmap();
                // same bounds as ext4_read_block_bitmap_nowait
                if (blk <= geo.firstDataBlock() || blk >= geo.blocksCount()) {
                    throw new TraceFormatException(file, -1, "group descriptor " + g, "expected a block bitmap in "
                            + (geo.firstDataBlock() + 1) + ".." + (geo.blocksCount() - 1) + ", found block " + blk);
                }
                long clusters = geo.clustersInGroup(g);
                int bytes = (int) ((clusters + 7) >>> 3);
                // the checksum covers clusters_per_group/8 bytes, also in a short last group
                int csumBytes = (int) (geo.clustersPerGroup() >>> 3);
                byte[] raw = in.read(blk * geo.blockSize(), Math.max(bytes, csumBytes), "block bitmap of group " + g);
                if (geo.metadataCsum()) {
                    // ext4_block_bitmap_csum_verify (bitmap.c): a mismatch makes ext4_validate_block_bitmap
                    // mark the group EXT4_GROUP_INFO_BBITMAP_CORRUPT and mballoc skips it
                    long calc = Checksums.crc32c(seed, raw, 0, csumBytes) & 0xffffffffL;
                    if (geo.descSize() < 58) {
                        calc &= 0xffff;
                    }
                    corrupt[g] = calc != bitmapCsums[g];
                }
                long[] words = new long[(int) ((clusters + 63) >>> 6)];
                for (int i = 0; i < bytes; i++) {
                    words[i >>> 3] |= (raw[i] & 0xffL) << ((i & 7) << 3);
                }
                Ext4Layout.setPadding(words, clusters);
                bitmaps[g] = words;
            }
            return bitmaps;
        }

        private TraceFormatException bad(int sbOffset, String expected, Object found) {
            return TraceFormatException.expected(file, SB_OFFSET + sbOffset, "superblock", expected, found);
        }

        private static String uuid(byte[] b, int o) {
            StringBuilder sb = new StringBuilder(36);
            for (int i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10) {
                    sb.append('-');
                }
                sb.append(String.format(Locale.ROOT, "%02x", b[o + i] & 0xff));
            }
            return sb.toString();
        }

        private static String label(byte[] b, int o) {
            int len = 0;
            while (len < 16 && b[o + len] != 0) {
                len++;
            }
            return new String(b, o, len, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Little-endian field access. */
    private record Le(byte[] b) {
        int u8(int o) {
            return b[o] & 0xff;
        }

        int u16(int o) {
            return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
        }

        long u32(int o) {
            return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
        }
    }
}
