package io.mbscope.replay.model;

import java.util.Arrays;

/**
 * One block group's in-core free-space state as mballoc sees it: the order-0 bitmap (one bit per
 * cluster, set = in use; in-core "in use" includes preallocations and frees not yet committed) and
 * the buddy information derived from it.
 *
 * <p>The kernel keeps buddy bitmaps for orders 1..{@code blocksize_bits+1} next to the bitmap and
 * updates them incrementally ({@code mb_mark_used}, {@code mb_free_blocks}); KUnit
 * ({@code test_mb_mark_used}, {@code test_mb_free_blocks}) checks that the incremental state always
 * equals the state {@code ext4_mb_generate_buddy} would build from the bitmap. The buddy is
 * therefore a pure function of the bitmap: a chunk of order k is a "free buddy chunk" iff it is
 * naturally aligned, fully free, and its parent chunk of order k+1 is not fully free. This class
 * keeps only the bitmap and derives the buddy answers ({@link #orderForBlock}, counters, largest
 * free order, fragments) from it, recomputing group statistics lazily after a change.
 */
public final class BuddyGroup {

    private final int group;
    private final int nbits;        // EXT4_CLUSTERS_PER_GROUP: bitmap size scanned by mballoc
    private final int maxOrder;     // MB_NUM_ORDERS(sb) - 1 = blocksize_bits + 1
    private final long[] bits;      // 1 = in use
    private final int bitsPerBlock; // blocksize * 8 = s_mb_maxs[0]

    // derived statistics (ext4_group_info), valid when !dirty
    private boolean dirty = true;
    private int free;
    private int fragments;
    private int firstFree;
    private final int[] counters;
    private int largestFreeOrder;

    /**
     * @param group       group number
     * @param nbits       clusters per group (bitmap length)
     * @param available   clusters that exist in this group (the last group may be shorter); bits
     *                    from here to nbits are treated as in use, like the kernel's padding
     * @param blockBits   log2(block size): MB_NUM_ORDERS = blockBits + 2
     * @param used        initial bitmap (bit set = in use), may be shorter than nbits
     */
    public BuddyGroup(int group, int nbits, int available, int blockBits, long[] used) {
        if (nbits <= 0 || available < 0 || available > nbits) {
            throw new IllegalArgumentException("bad group size " + nbits + "/" + available);
        }
        this.group = group;
        this.nbits = nbits;
        this.maxOrder = blockBits + 1;
        this.bitsPerBlock = 8 << blockBits;
        this.bits = new long[(nbits + 63) >>> 6];
        if (used != null) {
            System.arraycopy(used, 0, bits, 0, Math.min(used.length, bits.length));
        }
        for (int i = available; i < nbits; i++) {
            setBit(i);
        }
        // bits past nbits inside the last word: keep them set so scans never report them free
        for (int i = nbits; i < bits.length * 64; i++) {
            bits[i >>> 6] |= 1L << (i & 63);
        }
        this.counters = new int[maxOrder + 1];
    }

    public int group() {
        return group;
    }

    public int size() {
        return nbits;
    }

    public int maxOrder() {
        return maxOrder;
    }

    public boolean isUsed(int i) {
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void setBit(int i) {
        bits[i >>> 6] |= 1L << (i & 63);
    }

    /** True if every cluster of [start, start+len) is free. */
    public boolean isRangeFree(int start, int len) {
        if (start < 0 || len < 0 || start + len > nbits) {
            return false;
        }
        return nextUsed(start, start + len) >= start + len;
    }

    /** True if any cluster of [start, start+len) is in use. */
    public boolean anyUsed(int start, int len) {
        return !isRangeFree(start, len);
    }

    /** mb_find_next_zero_bit: first free cluster in [from, end), or end. */
    public int nextFree(int from, int end) {
        if (from >= end) {
            return end;
        }
        int w = from >>> 6;
        long word = ~bits[w] & (-1L << (from & 63));
        while (true) {
            if (word != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(word);
                return Math.min(r, end);
            }
            w++;
            if ((w << 6) >= end) {
                return end;
            }
            word = ~bits[w];
        }
    }

    /** mb_find_next_bit: first used cluster in [from, end), or end. */
    public int nextUsed(int from, int end) {
        if (from >= end) {
            return end;
        }
        int w = from >>> 6;
        long word = bits[w] & (-1L << (from & 63));
        while (true) {
            if (word != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(word);
                return Math.min(r, end);
            }
            w++;
            if ((w << 6) >= end) {
                return end;
            }
            word = bits[w];
        }
    }

    /**
     * mb_find_order_for_block: order of the free buddy chunk containing {@code block}, i.e. the
     * largest k in 1..maxOrder whose aligned 2^k chunk is fully free; 0 if none (the cluster may
     * be free at order 0 only, or used).
     */
    public int orderForBlock(int block) {
        int order = 0;
        for (int k = 1; k <= maxOrder; k++) {
            int start = (block >>> k) << k;
            int len = 1 << k;
            if (start + len > nbits || !isRangeFree(start, len)) {
                break;
            }
            order = k;
        }
        return order;
    }

    /**
     * mb_find_extent: the free extent starting at {@code block}, following buddy chunks only until
     * at least {@code needed} clusters are covered (so it can be shorter than the free run and
     * longer than needed). Returns {start, len}; len 0 if {@code block} is in use.
     */
    public int findExtentLength(int block, int needed) {
        if (block < 0 || block >= nbits || isUsed(block)) {
            return 0;
        }
        int order = orderForBlock(block);
        int len = (1 << order) - (block & ((1 << order) - 1));
        int b = block >>> order;
        while (needed > len && order <= maxOrder) {
            int maxAtOrder = bitsPerBlock >>> order; // s_mb_maxs[order]
            if (b + 1 >= maxAtOrder) {
                break;
            }
            int next = (b + 1) << order;
            if (next >= nbits || isUsed(next)) {
                break;
            }
            order = orderForBlock(next);
            b = next >>> order;
            len += 1 << order;
        }
        if (block + len > nbits) {
            return 0; // the kernel warns and returns an empty extent
        }
        return len;
    }

    /**
     * mb_mark_used: marks [start, start+len) in use and returns the "history" value the kernel
     * stores in ac_tail/ac_buddy: {@code len | order << 16} of the first buddy chunk that had to be
     * split, 0 if only whole chunks were taken.
     */
    public int markUsed(int start, int len) {
        if (start < 0 || len <= 0 || start + len > nbits) {
            throw new IllegalArgumentException("markUsed " + group + "/" + start + "/" + len);
        }
        int ret = 0;
        int s = start;
        int l = len;
        while (l > 0) {
            int ord = isUsed(s) ? 0 : orderForBlock(s);
            int chunk = 1 << ord;
            if (((s >>> ord) << ord) == s && l >= chunk) {
                setRange(s, chunk);
                s += chunk;
                l -= chunk;
                continue;
            }
            if (ret == 0) {
                ret = l | (ord << 16);
            }
            int ordEnd = ((s >>> ord) << ord) + chunk;
            int take = Math.min(l, ordEnd - s);
            setRange(s, take);
            if (s + l < ordEnd) {
                break;
            }
            l -= ordEnd - s;
            s = ordEnd;
        }
        dirty = true;
        return ret;
    }

    /** Marks [start, start+len) in use without buddy history (initial state, applied kernel results). */
    public void setUsed(int start, int len) {
        if (len <= 0) {
            return;
        }
        checkRange(start, len);
        setRange(start, len);
        dirty = true;
    }

    /** mb_free_blocks: clears [start, start+len). Returns the number of clusters that were in use. */
    public int free(int start, int len) {
        if (len <= 0) {
            return 0;
        }
        checkRange(start, len);
        int wasUsed = 0;
        int i = start;
        int end = start + len;
        while (i < end) {
            int w = i >>> 6;
            int lo = i & 63;
            int n = Math.min(64 - lo, end - i);
            long mask = (n == 64 ? -1L : ((1L << n) - 1)) << lo;
            wasUsed += Long.bitCount(bits[w] & mask);
            bits[w] &= ~mask;
            i += n;
        }
        dirty = true;
        return wasUsed;
    }

    private void checkRange(int start, int len) {
        if (start < 0 || start + len > nbits) {
            throw new IllegalArgumentException("range " + group + "/" + start + "/" + len + " outside group of "
                    + nbits);
        }
    }

    private void setRange(int start, int len) {
        int end = start + len;
        int i = start;
        while (i < end && (i & 63) != 0) {
            setBit(i++);
        }
        while (i + 64 <= end) {
            bits[i >>> 6] = -1L;
            i += 64;
        }
        while (i < end) {
            setBit(i++);
        }
    }

    // ------------------------------------------------------------------ derived group info

    private void refresh() {
        if (!dirty) {
            return;
        }
        Arrays.fill(counters, 0);
        int f = 0;
        int frags = 0;
        int i = nextFree(0, nbits);
        firstFree = i;
        int border = maxOrder; // ffs(first | (2 << blocksize_bits)) - 1 <= blocksize_bits + 1
        while (i < nbits) {
            frags++;
            int first = i;
            i = nextUsed(i, nbits);
            int len = i - first;
            f += len;
            // ext4_mb_mark_free_simple
            while (len > 0) {
                int alignOrder = first == 0 ? border : Math.min(Integer.numberOfTrailingZeros(first), border);
                int lenOrder = 31 - Integer.numberOfLeadingZeros(len);
                int ord = Math.min(alignOrder, lenOrder);
                counters[ord]++;
                len -= 1 << ord;
                first += 1 << ord;
            }
            if (i < nbits) {
                i = nextFree(i, nbits);
            }
        }
        free = f;
        fragments = frags;
        int lfo = -1;
        for (int k = maxOrder; k >= 0; k--) {
            if (counters[k] > 0) {
                lfo = k;
                break;
            }
        }
        largestFreeOrder = lfo;
        dirty = false;
    }

    /** bb_free. */
    public int free() {
        refresh();
        return free;
    }

    /** bb_fragments: number of free runs. */
    public int fragments() {
        refresh();
        return fragments;
    }

    /** bb_first_free as regenerated (the kernel's incremental value never points past it). */
    public int firstFree() {
        refresh();
        return firstFree;
    }

    /** bb_counters[order]. */
    public int counter(int order) {
        refresh();
        return counters[order];
    }

    /** bb_largest_free_order, -1 if the group is full. */
    public int largestFreeOrder() {
        refresh();
        return largestFreeOrder;
    }

    /** bb_avg_fragment_size_order (mb_update_avg_fragment_size), -1 if no fragment. */
    public int avgFragmentSizeOrder() {
        refresh();
        if (fragments == 0) {
            return -1;
        }
        return avgFragmentOrder(free / fragments, maxOrder + 1);
    }

    /** mb_avg_fragment_size_order: fls(len) - 2, at least 0, capped to MB_NUM_ORDERS - 1. */
    public static int avgFragmentOrder(int len, int numOrders) {
        int order = fls(len) - 2;
        if (order < 0) {
            return 0;
        }
        if (order >= numOrders) {
            order = numOrders - 1;
        }
        return order;
    }

    /**
     * The first free buddy chunk of exactly {@code order} (mb_find_next_zero_bit on the order's
     * buddy bitmap), as a cluster offset; -1 if none.
     */
    public int firstChunkOfOrder(int order) {
        if (order == 0) {
            // the order-0 buddy is the bitmap itself: first free bit
            int f = nextFree(0, nbits);
            return f < nbits ? f : -1;
        }
        int size = 1 << order;
        int i = nextFree(0, nbits);
        while (i < nbits) {
            int aligned = ((i + size - 1) >>> order) << order;
            if (aligned + size > nbits) {
                return -1;
            }
            int u = nextUsed(aligned, aligned + size);
            if (u < aligned + size) {
                i = nextFree(u, nbits);
                continue;
            }
            if (orderForBlock(aligned) == order) {
                return aligned;
            }
            i = aligned + size; // part of a larger free chunk
        }
        return -1;
    }

    /** A copy of the bitmap (bit set = in use). */
    public long[] bitmap() {
        return bits.clone();
    }

    static int fls(int x) {
        return x == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(x);
    }

    @Override
    public String toString() {
        return "group " + group + " free " + free() + " frags " + fragments() + " lfo " + largestFreeOrder();
    }
}
