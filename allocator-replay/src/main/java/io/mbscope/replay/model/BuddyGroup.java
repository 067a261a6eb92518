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
 * free order, fragments) from it.
 *
 * <p>The group statistics (bb_free, bb_fragments, bb_first_free, bb_counters) are a sum over the
 * free runs of the bitmap, so they are built by one scan and then kept current the way
 * mb_mark_used/mb_free_blocks keep theirs: a change of [start, end) can only alter the free runs
 * between the used cluster before {@code start} and the used cluster after {@code end}; their
 * contribution is subtracted before the change and added back after it. The result always equals
 * a full rescan (BuddyGroupTest checks it on random operation sequences).
 */
public final class BuddyGroup {

    private final int group;
    private final int nbits;        // EXT4_CLUSTERS_PER_GROUP: bitmap size scanned by mballoc
    private final int maxOrder;     // MB_NUM_ORDERS(sb) - 1 = blocksize_bits + 1
    private final long[] bits;      // 1 = in use
    private final int bitsPerBlock; // blocksize * 8 = s_mb_maxs[0]

    // derived statistics (ext4_group_info): built by the first query, then updated per change
    private boolean scanned;
    private int windowLo;
    private int windowHi;
    private int free;
    private int fragments;
    private int firstFree;
    private final int[] counters;

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
        if (block < 0 || block >= nbits || isUsed(block)) {
            return 0;
        }
        // the chunk of order k is its order k-1 half (already known free) plus that half's buddy
        int order = 0;
        for (int k = 1; k <= maxOrder; k++) {
            int start = (block >>> k) << k;
            if (start + (1 << k) > nbits) {
                break;
            }
            int half = 1 << (k - 1);
            int buddy = (((block >>> (k - 1)) << (k - 1)) ^ half);
            if (nextUsed(buddy, buddy + half) < buddy + half) {
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
        beginChange(start, start + len);
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
        endChange(start, start + len, true);
        return ret;
    }

    /** Marks [start, start+len) in use without buddy history (initial state, applied kernel results). */
    public void setUsed(int start, int len) {
        if (len <= 0) {
            return;
        }
        checkRange(start, len);
        beginChange(start, start + len);
        setRange(start, len);
        endChange(start, start + len, true);
    }

    /** mb_free_blocks: clears [start, start+len). Returns the number of clusters that were in use. */
    public int free(int start, int len) {
        if (len <= 0) {
            return 0;
        }
        checkRange(start, len);
        beginChange(start, start + len);
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
        endChange(start, end, false);
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
        if (scanned) {
            return;
        }
        Arrays.fill(counters, 0);
        free = 0;
        fragments = 0;
        addRuns(0, nbits, 1);
        firstFree = nextFree(0, nbits);
        scanned = true;
    }

    /**
     * Before bits of [start, end) change: the window of runs the change can touch, from the used
     * cluster (or group edge) before {@code start} to the one at or after {@code end}; its runs
     * leave the statistics until {@link #endChange} adds the new ones.
     */
    private void beginChange(int start, int end) {
        if (!scanned) {
            return;
        }
        int lo = start;
        if (lo > 0 && !isUsed(lo - 1)) {
            lo = prevUsed(lo - 1) + 1;
        }
        int hi = end;
        if (hi < nbits && !isUsed(hi)) {
            hi = nextUsed(hi, nbits);
        }
        windowLo = lo;
        windowHi = hi;
        addRuns(lo, hi, -1);
    }

    /** After the change: the window's runs back in, and bb_first_free moved past or back. */
    private void endChange(int start, int end, boolean nowUsed) {
        if (!scanned) {
            return;
        }
        addRuns(windowLo, windowHi, 1);
        if (nowUsed) {
            if (firstFree >= start && firstFree < end) {
                firstFree = nextFree(end, nbits);
            }
        } else if (start < end && start < firstFree) {
            firstFree = start;
        }
    }

    /** Adds ({@code sign} 1) or removes (-1) the contribution of every free run inside [lo, hi). */
    private void addRuns(int lo, int hi, int sign) {
        int i = nextFree(lo, hi);
        while (i < hi) {
            int j = nextUsed(i, hi);
            addRun(i, j - i, sign);
            i = j < hi ? nextFree(j, hi) : hi;
        }
    }

    /** One free run: bb_free, bb_fragments and its buddy chunks as ext4_mb_mark_free_simple splits it. */
    private void addRun(int first, int len, int sign) {
        free += sign * len;
        fragments += sign;
        int border = maxOrder; // ffs(first | (2 << blocksize_bits)) - 1 <= blocksize_bits + 1
        while (len > 0) {
            int alignOrder = first == 0 ? border : Math.min(Integer.numberOfTrailingZeros(first), border);
            int lenOrder = 31 - Integer.numberOfLeadingZeros(len);
            int ord = Math.min(alignOrder, lenOrder);
            counters[ord] += sign;
            len -= 1 << ord;
            first += 1 << ord;
        }
    }

    /** Last used cluster at or before {@code from}, -1 if none. */
    private int prevUsed(int from) {
        int w = from >>> 6;
        long word = bits[w] & (-1L >>> (63 - (from & 63)));
        while (true) {
            if (word != 0) {
                return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
            }
            if (--w < 0) {
                return -1;
            }
            word = bits[w];
        }
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
        for (int k = maxOrder; k >= 0; k--) {
            if (counters[k] > 0) {
                return k;
            }
        }
        return -1;
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
