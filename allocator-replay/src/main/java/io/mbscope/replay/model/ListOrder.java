package io.mbscope.replay.model;

/**
 * The ≤6.16 mb_optimize_scan lists (s_mb_largest_free_orders[], s_mb_avg_fragment_size[]): a
 * group is moved to the tail of its new list whenever its order changes, so list order is the
 * history of those changes. Kept as a per-group "moved at" clock; the list scanner walks each list
 * from its head (oldest move first).
 */
final class ListOrder {
    private final int[] lfo;
    private final int[] avg;
    private final long[] lfoSeq;
    private final long[] avgSeq;
    private final int numOrders;
    private long clock;

    ListOrder(int ngroups, int numOrders) {
        this.lfo = new int[ngroups];
        this.avg = new int[ngroups];
        this.lfoSeq = new long[ngroups];
        this.avgSeq = new long[ngroups];
        this.numOrders = numOrders;
        java.util.Arrays.fill(lfo, Integer.MIN_VALUE);
        java.util.Arrays.fill(avg, Integer.MIN_VALUE);
    }

    /** Called after every change of a group (mb_set_largest_free_order / mb_update_avg_fragment_size). */
    void touch(BuddyGroup bg) {
        int g = bg.group();
        int nl = bg.free() > 0 ? bg.largestFreeOrder() : -1;
        if (nl != lfo[g]) {
            lfo[g] = nl;
            lfoSeq[g] = ++clock;
        }
        int na = bg.avgFragmentSizeOrder();
        if (na != avg[g]) {
            avg[g] = na;
            avgSeq[g] = ++clock;
        }
    }

    /**
     * ext4_mb_choose_next_group: the first group in list order that is good for the current
     * criterion; moves the context to the next criterion when no list has one (then returns the
     * linear successor, which the caller ignores).
     */
    int chooseNext(MballocModel m, Object acObj, int current, int ngroups) {
        return m.chooseNextFromLists(acObj, current, ngroups, this);
    }

    int numOrders() {
        return numOrders;
    }

    /** First group (by list position) with the given largest-free order accepted by the predicate. */
    int firstByLfo(int order, java.util.function.IntPredicate good) {
        return first(lfo, lfoSeq, order, good);
    }

    int firstByAvg(int order, java.util.function.IntPredicate good) {
        return first(avg, avgSeq, order, good);
    }

    private static int first(int[] ord, long[] seq, int order, java.util.function.IntPredicate good) {
        int best = -1;
        long bestSeq = Long.MAX_VALUE;
        for (int g = 0; g < ord.length; g++) {
            if (ord[g] == order && seq[g] < bestSeq && good.test(g)) {
                best = g;
                bestSeq = seq[g];
            }
        }
        return best;
    }
}
