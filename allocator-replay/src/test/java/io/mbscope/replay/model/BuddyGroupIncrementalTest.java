package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statistics BuddyGroup keeps current per change (bb_free, bb_fragments, bb_first_free,
 * bb_counters, largest free order, average fragment order) equal those of a full rescan of the
 * same bitmap after every operation, and orderForBlock equals the definition (largest aligned
 * fully free chunk), on seeded random operation sequences over several group shapes.
 */
class BuddyGroupIncrementalTest {

    /**
     * A fresh group over a copy of the bitmap (padding included as it now is): its first query does
     * the full scan.
     */
    static void assertSameAsRescan(BuddyGroup g, int blockBits, String ctx) {
        BuddyGroup fresh = new BuddyGroup(g.group(), g.size(), g.size(), blockBits, g.bitmap());
        assertThat(g.free()).as(ctx + " free").isEqualTo(fresh.free());
        assertThat(g.fragments()).as(ctx + " fragments").isEqualTo(fresh.fragments());
        assertThat(g.firstFree()).as(ctx + " firstFree").isEqualTo(fresh.firstFree());
        for (int k = 0; k <= g.maxOrder(); k++) {
            assertThat(g.counter(k)).as(ctx + " counter " + k).isEqualTo(fresh.counter(k));
        }
        assertThat(g.largestFreeOrder()).as(ctx + " lfo").isEqualTo(fresh.largestFreeOrder());
        assertThat(g.avgFragmentSizeOrder()).as(ctx + " avg").isEqualTo(fresh.avgFragmentSizeOrder());
    }

    /** orderForBlock by its definition: the largest k whose aligned 2^k chunk is inside and free. */
    static int refOrder(BuddyGroup g, int block) {
        int order = 0;
        for (int k = 1; k <= g.maxOrder(); k++) {
            int s = (block >>> k) << k;
            if (s + (1 << k) > g.size()) {
                break;
            }
            for (int i = s; i < s + (1 << k); i++) {
                if (g.isUsed(i)) {
                    return order;
                }
            }
            order = k;
        }
        return order;
    }

    @Test
    void randomOperationSequencesMatchAFullRescan() {
        int[][] shapes = {
            // nbits, available, blockBits
            {8192, 8192, 10},   // 1 KiB blocks, full group
            {8192, 3000, 10},   // short last group
            {32768, 32768, 12}, // 4 KiB blocks
            {2048, 2000, 8},    // small odd group
        };
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            int[] sh = shapes[(int) (seed % shapes.length)];
            int n = sh[0];
            long[] init = new long[n / 64];
            for (int i = 0; i < init.length; i++) {
                init[i] = r.nextInt(4) == 0 ? r.nextLong() : (r.nextBoolean() ? 0 : -1L);
            }
            BuddyGroup g = new BuddyGroup(3, n, sh[1], sh[2], init);
            if (r.nextBoolean()) {
                g.free(); // statistics built before the changes (incremental) or by the first query after them
            }
            for (int step = 0; step < 300; step++) {
                int start = r.nextInt(n);
                int len = 1 + r.nextInt(r.nextInt(5) == 0 ? Math.min(n - start, 5000) : Math.min(n - start, 70));
                String ctx = "seed " + seed + " step " + step + " [" + start + "+" + len + ")";
                switch (r.nextInt(4)) {
                    case 0 -> g.setUsed(start, len);
                    case 1 -> g.free(start, len);
                    case 2 -> {
                        if (g.isRangeFree(start, len)) {
                            g.markUsed(start, len);
                        } else {
                            g.free(start, len);
                        }
                    }
                    default -> {
                        int b = r.nextInt(n);
                        assertThat(g.orderForBlock(b)).as(ctx + " order of " + b).isEqualTo(refOrder(g, b));
                    }
                }
                if (step % 3 == 0 || step > 290) {
                    assertSameAsRescan(g, sh[2], ctx);
                }
            }
        }
    }

    @Test
    void changesAtTheGroupEdgesAndAroundFreeRuns() {
        BuddyGroup g = new BuddyGroup(0, 1024, 1000, 10, new long[16]);
        assertThat(g.free()).isEqualTo(1000);
        assertThat(g.fragments()).isEqualTo(1);
        g.setUsed(0, 1);            // left edge
        g.setUsed(999, 1);          // right edge of the available clusters
        assertSameAsRescan(g, 10, "edges");
        assertThat(g.free()).isEqualTo(998);
        assertThat(g.firstFree()).isEqualTo(1);
        g.setUsed(500, 10);         // splits the run in two
        assertThat(g.fragments()).isEqualTo(2);
        g.free(500, 10);            // joins them again
        assertThat(g.fragments()).isEqualTo(1);
        g.free(0, 1);
        assertThat(g.firstFree()).isEqualTo(0);
        g.setUsed(0, 999);
        assertThat(g.free()).isZero();
        assertThat(g.fragments()).isZero();
        assertThat(g.firstFree()).isEqualTo(1024);
        assertThat(g.largestFreeOrder()).isEqualTo(-1);
        assertSameAsRescan(g, 10, "full");
    }
}
