package io.mbscope.replay.fs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Free-space state of an ext4 file system: one cluster bitmap per group (bit set = cluster in use),
 * as the kernel's block bitmaps hold it once loaded, i.e. with BLOCK_UNINIT groups already
 * initialised the way ext4_init_block_bitmap() does. Immutable; {@link #clusterBitmap} hands out copies.
 *
 * <p>Bit i of the returned words is cluster i of the group (word i/64, bit i%64), the same bit order
 * as the on-disk little-endian bitmap. Bits past the group's last cluster are set (in use), as
 * ext4_mark_bitmap_end() leaves them.
 */
public final class FsState {
    private final FsGeometry geometry;
    private final Ext4Layout layout;
    private final long[][] bitmaps;
    private final long[] freeCounts;
    private final GroupDesc[] descs;
    private final long reservedBlocks;
    private final String source;
    private final long totalFree;
    private final boolean[] bitmapCorrupt;

    FsState(FsGeometry geometry, Ext4Layout layout, long[][] bitmaps, GroupDesc[] descs, long reservedBlocks,
            String source, boolean[] bitmapCorrupt) {
        this.bitmapCorrupt = bitmapCorrupt;
        this.geometry = Objects.requireNonNull(geometry);
        this.layout = layout;
        this.bitmaps = bitmaps;
        this.descs = descs;
        this.reservedBlocks = reservedBlocks;
        this.source = source;
        this.freeCounts = new long[bitmaps.length];
        long total = 0;
        for (int g = 0; g < bitmaps.length; g++) {
            long used = 0;
            for (long w : bitmaps[g]) {
                used += Long.bitCount(w);
            }
            long padding = ((long) bitmaps[g].length << 6) - geometry.clustersInGroup(g);
            freeCounts[g] = geometry.clustersInGroup(g) - (used - padding);
            total += freeCounts[g];
        }
        this.totalFree = total;
    }

    /**
     * A state from given bitmaps, for models and tests that need a made-up fs. Each bitmap must
     * cover its group (at least ceil(clustersInGroup/64) words; extra words are ignored); bits past
     * the group's end are set. Descriptors carry the bitmap's free count, no flags, and -1 for the
     * metadata locations.
     */
    public static FsState of(FsGeometry geometry, long[][] bitmaps, String source) {
        if (bitmaps.length != geometry.groupCount()) {
            throw new IllegalArgumentException(bitmaps.length + " bitmaps for " + geometry.groupCount() + " groups");
        }
        long[][] copy = new long[bitmaps.length][];
        GroupDesc[] descs = new GroupDesc[bitmaps.length];
        for (int g = 0; g < bitmaps.length; g++) {
            long clusters = geometry.clustersInGroup(g);
            int words = (int) ((clusters + 63) >>> 6);
            if (bitmaps[g] == null || bitmaps[g].length < words) {
                throw new IllegalArgumentException("group " + g + " needs " + words + " words");
            }
            copy[g] = java.util.Arrays.copyOf(bitmaps[g], words);
            Ext4Layout.setPadding(copy[g], clusters);
            long used = 0;
            for (long w : copy[g]) {
                used += Long.bitCount(w);
            }
            long free = clusters - (used - ((long) words * 64 - clusters));
            descs[g] = new GroupDesc(-1, -1, -1, free, 0, 0, 0, 0);
        }
        return new FsState(geometry, new Ext4Layout(geometry, 0, 0, 0), copy, descs, 0, source, null);
    }

    public FsGeometry geometry() {
        return geometry;
    }

    /** A copy of the group's cluster bitmap; length ceil(clustersInGroup(group)/64). */
    public long[] clusterBitmap(int group) {
        return bitmaps[checkGroup(group)].clone();
    }

    /** Clusters in the group: clustersPerGroup except possibly for the last group. */
    public long clustersInGroup(int group) {
        return geometry.clustersInGroup(checkGroup(group));
    }

    /** Free clusters of the group, counted from the bitmap. */
    public long freeClusters(int group) {
        return freeCounts[checkGroup(group)];
    }

    /** bg_flags of the group (INODE_UNINIT 1, BLOCK_UNINIT 2, ITABLE_ZEROED 4). */
    public int groupFlags(int group) {
        return descs[checkGroup(group)].flags();
    }

    /** The group's descriptor as stored (its free count is the descriptor's, not the bitmap's). */
    public GroupDesc groupDesc(int group) {
        return descs[checkGroup(group)];
    }

    public long totalFreeClusters() {
        return totalFree;
    }

    /** Where this state came from: the file name it was read from. */
    public String source() {
        return source;
    }

    /**
     * The group's bb_free right after mount, before its bitmap is read: ext4_mb_add_groupinfo takes
     * ext4_free_clusters_after_init() for a BLOCK_UNINIT group (with group checksums) and the
     * descriptor's bg_free_blocks_count otherwise (6.12.117 mballoc.c:3465-3471, same in 7.3.4).
     * Group scanning (ext4_mb_good_group*) judges not-yet-loaded groups by this number; it becomes
     * the bitmap's count ({@link #freeClusters}) once ext4_mb_init_group loads the group.
     */
    public long initialBbFree(int group) {
        GroupDesc d = descs[checkGroup(group)];
        if (geometry.hasGroupDescCsum() && d.blockUninit()) {
            return freeCounts[group];
        }
        return d.freeClusters();
    }

    /**
     * needs_recovery is set: the journal holds committed metadata not yet written home, so these
     * on-disk bitmaps may be stale until the kernel replays it at mount.
     */
    public boolean needsRecovery() {
        return (geometry.featureIncompat() & FsGeometry.INCOMPAT_RECOVER) != 0;
    }

    /** s_r_blocks_count: blocks reserved for root (ext4_has_free_clusters keeps them back). */
    public long reservedBlocks() {
        return reservedBlocks;
    }

    /**
     * Whether the group's on-disk block bitmap fails its metadata_csum checksum: the kernel then
     * marks the group BBITMAP_CORRUPT and never allocates from it. Always false for a state read
     * from dumpe2fs (which prints no bitmap checksum verdict).
     */
    public boolean bitmapCorrupt(int group) {
        return bitmapCorrupt != null && bitmapCorrupt[checkGroup(group)];
    }

    /** Groups whose bitmap checksum fails, ascending. */
    public List<Integer> corruptGroups() {
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < bitmaps.length; g++) {
            if (bitmapCorrupt(g)) {
                out.add(g);
            }
        }
        return out;
    }

    /** Whether cluster {@code cluster} of {@code group} is in use. */
    public boolean inUse(int group, long cluster) {
        long[] b = bitmaps[checkGroup(group)];
        if (cluster < 0 || cluster >= geometry.clustersInGroup(group)) {
            throw new IndexOutOfBoundsException("cluster " + cluster + " outside group " + group);
        }
        return (b[(int) (cluster >>> 6)] & (1L << (cluster & 63))) != 0;
    }

    /** Whether the group holds a superblock copy (ext4_bg_has_super). */
    public boolean hasSuperBackup(int group) {
        return layout.hasSuper(checkGroup(group));
    }

    /** Superblock + GDT + reserved GDT blocks at the start of the group (ext4_num_base_meta_blocks). */
    public long baseMetaBlocks(int group) {
        return layout.numBaseMetaBlocks(checkGroup(group));
    }

    /** A free run of clusters inside one group. */
    public record ClusterRange(long start, long length) {
        public long end() {
            return start + length;
        }
    }

    /** The group's free cluster runs, ascending. */
    public List<ClusterRange> freeRanges(int group) {
        long[] b = bitmaps[checkGroup(group)];
        long n = geometry.clustersInGroup(group);
        List<ClusterRange> out = new ArrayList<>();
        long i = 0;
        while (i < n) {
            long free = nextClear(b, i, n);
            if (free >= n) {
                break;
            }
            long used = nextSet(b, free, n);
            out.add(new ClusterRange(free, used - free));
            i = used;
        }
        return Collections.unmodifiableList(out);
    }

    private static long nextClear(long[] b, long from, long n) {
        int w = (int) (from >>> 6);
        long word = ~b[w] & (-1L << (from & 63));
        while (word == 0) {
            if (++w >= b.length) {
                return n;
            }
            word = ~b[w];
        }
        return Math.min(n, ((long) w << 6) + Long.numberOfTrailingZeros(word));
    }

    private static long nextSet(long[] b, long from, long n) {
        int w = (int) (from >>> 6);
        long word = b[w] & (-1L << (from & 63));
        while (word == 0) {
            if (++w >= b.length) {
                return n;
            }
            word = b[w];
        }
        return Math.min(n, ((long) w << 6) + Long.numberOfTrailingZeros(word));
    }

    private int checkGroup(int group) {
        if (group < 0 || group >= bitmaps.length) {
            throw new IndexOutOfBoundsException("group " + group + " of " + bitmaps.length);
        }
        return group;
    }

    /**
     * The first difference from another state (geometry, then per group flags, descriptor locations
     * and free ranges), or null if both describe the same free space. Used to cross-check an image
     * against its dumpe2fs output.
     */
    public String firstDifference(FsState other) {
        if (!geometry.equals(other.geometry)) {
            return "geometry differs: " + geometry + " vs " + other.geometry;
        }
        for (int g = 0; g < bitmaps.length; g++) {
            GroupDesc a = descs[g], b = other.descs[g];
            if (!a.equals(b)) {
                return "group " + g + " descriptor differs: " + a + " vs " + b;
            }
            if (!java.util.Arrays.equals(bitmaps[g], other.bitmaps[g])) {
                return "group " + g + " free ranges differ: " + freeRanges(g) + " vs " + other.freeRanges(g);
            }
        }
        if (reservedBlocks != other.reservedBlocks) {
            return "reserved blocks differ: " + reservedBlocks + " vs " + other.reservedBlocks;
        }
        return null;
    }

    @Override
    public String toString() {
        return "FsState[" + source + ", " + geometry.groupCount() + " groups, " + totalFree + " free clusters of "
                + geometry.clusterSize() + " bytes]";
    }
}
