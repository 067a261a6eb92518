package io.mbscope.report;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Free space over time: the initial buddy state plus the trace's allocations and frees, sampled at
 * evenly spaced instants. Frees are applied when ext4_mballoc_free fires; the kernel gives data
 * blocks back to the buddy only when the journal commits (ext4_free_data_in_buddy), so the curve
 * can run slightly ahead of the kernel's.
 */
public final class FreeSpaceTimeline {
    /** Buddy orders 0..17: a 64 KiB block gives max order 17 (ext4_mb_mark_free_simple's border is 2 << 16). */
    public static final int ORDERS = 18;

    /**
     * One group (or the whole fs, group -1) at one sample.
     *
     * @param freeExtents free chunks per buddy order, as the buddy would count them (bb_counters)
     */
    public record Sample(int sample, long timeNs, int group, long freeClusters, long freeRuns, long largestRun,
                         long[] freeExtents) {
    }

    private FreeSpaceTimeline() {
    }

    /**
     * Samples of the whole fs (group -1) and, when {@code perGroup}, of each group, in sample order
     * then group order.
     */
    public static List<Sample> compute(FsSpace fs, List<SpaceChange> changes, long firstNs, long lastNs,
                                       int samples, boolean perGroup) {
        int groups = fs.groups();
        BitSet[] used = new BitSet[groups];
        for (int g = 0; g < groups; g++) {
            used[g] = (BitSet) fs.used().get(g).clone();
        }
        Sample[] cache = new Sample[groups];
        boolean[] dirty = new boolean[groups];
        java.util.Arrays.fill(dirty, true);
        List<Sample> out = new ArrayList<>();
        int n = Math.max(1, samples);
        int next = 0;
        for (int s = 0; s < n; s++) {
            // sample s shows the state after every change up to its instant; the last sample is at lastNs
            long at = n == 1 ? lastNs : firstNs + (long) ((double) (lastNs - firstNs) * s / (n - 1));
            while (next < changes.size() && changes.get(next).timeNs() <= at) {
                SpaceChange c = changes.get(next++);
                if (c.group() < 0 || c.group() >= groups) {
                    continue;
                }
                int g = (int) c.group();
                int from = (int) Math.max(0, Math.min(c.start(), fs.groupClusters()[g]));
                int to = (int) Math.max(from, Math.min(c.start() + c.len(), fs.groupClusters()[g]));
                used[g].set(from, to, c.used());
                dirty[g] = true;
            }
            long[] total = new long[ORDERS];
            long free = 0;
            long runs = 0;
            long largest = 0;
            for (int g = 0; g < groups; g++) {
                if (dirty[g]) {
                    cache[g] = measure(used[g], fs.groupClusters()[g], fs.maxOrder(), g);
                    dirty[g] = false;
                }
                Sample gs = cache[g];
                free += gs.freeClusters();
                runs += gs.freeRuns();
                largest = Math.max(largest, gs.largestRun());
                for (int o = 0; o < ORDERS; o++) {
                    total[o] += gs.freeExtents()[o];
                }
            }
            out.add(new Sample(s, at, -1, free, runs, largest, total));
            if (perGroup) {
                for (int g = 0; g < groups; g++) {
                    Sample gs = cache[g];
                    out.add(new Sample(s, at, g, gs.freeClusters(), gs.freeRuns(), gs.largestRun(),
                            gs.freeExtents()));
                }
            }
        }
        return out;
    }

    /**
     * Changes that fall outside the image's groups or past a group's end: a trace from another file
     * system than the image, or a resized one. The summary shows the count.
     */
    public static long outside(FsSpace fs, List<SpaceChange> changes) {
        long n = 0;
        for (SpaceChange c : changes) {
            if (c.group() < 0 || c.group() >= fs.groups() || c.start() < 0
                    || c.start() + c.len() > fs.groupClusters()[(int) c.group()]) {
                n++;
            }
        }
        return n;
    }

    /** Free clusters, free runs and buddy counters of one group's bitmap. */
    static Sample measure(BitSet used, int clusters, int maxOrder, int group) {
        long[] orders = new long[ORDERS];
        long free = 0;
        long runs = 0;
        long largest = 0;
        int first = used.nextClearBit(0);
        while (first < clusters) {
            int end = Math.min(clusters, used.nextSetBit(first) < 0 ? clusters : used.nextSetBit(first));
            int len = end - first;
            free += len;
            runs++;
            largest = Math.max(largest, len);
            splitIntoBuddies(first, len, maxOrder, orders);
            first = used.nextClearBit(end);
        }
        return new Sample(0, 0, group, free, runs, largest, orders);
    }

    /**
     * Counts the aligned power-of-two chunks a free run makes in the buddy, the way
     * ext4_mb_mark_free_simple() does when it builds a group's buddy: each chunk is as large as the
     * run's remaining length and the start's alignment allow, capped at {@code maxOrder}.
     */
    static void splitIntoBuddies(int first, int len, int maxOrder, long[] orders) {
        while (len > 0) {
            int align = first == 0 ? maxOrder : Math.min(maxOrder, Integer.numberOfTrailingZeros(first));
            int fit = 31 - Integer.numberOfLeadingZeros(len);
            int order = Math.min(Math.min(align, fit), ORDERS - 1);
            orders[order]++;
            first += 1 << order;
            len -= 1 << order;
        }
    }
}
