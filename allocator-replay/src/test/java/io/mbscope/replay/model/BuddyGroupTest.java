package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Equivalents of fs/ext4/mballoc-test.c (test_mb_generate_buddy, test_mb_mark_used,
 * test_mb_free_blocks, test_mark_diskspace_used), checking the derived buddy against a reference
 * builder written here from the definition: a free buddy chunk of order k is naturally aligned,
 * fully free, and its order k+1 parent is not fully free (or k is the top order).
 */
class BuddyGroupTest {

    static final int BITS = 12;             // 4 KiB blocks: MB_NUM_ORDERS = 14
    static final int N = 8 << BITS;         // one full bitmap block: 32768 clusters

    /** Reference: counters per order from the definition. */
    static int[] refCounters(boolean[] used, int n, int maxOrder) {
        int[] c = new int[maxOrder + 1];
        for (int k = 0; k <= maxOrder; k++) {
            int size = 1 << k;
            for (int s = 0; s + size <= n; s += size) {
                if (!allFree(used, s, size)) {
                    continue;
                }
                if (k == maxOrder) {
                    c[k]++;
                    continue;
                }
                int ps = (s >> (k + 1)) << (k + 1);
                if (ps + 2 * size > n || !allFree(used, ps, 2 * size)) {
                    c[k]++;
                }
            }
        }
        return c;
    }

    static boolean allFree(boolean[] used, int s, int len) {
        for (int i = s; i < s + len; i++) {
            if (used[i]) {
                return false;
            }
        }
        return true;
    }

    static long[] pack(boolean[] used) {
        long[] b = new long[(used.length + 63) / 64];
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                b[i >>> 6] |= 1L << (i & 63);
            }
        }
        return b;
    }

    static void assertMatchesReference(BuddyGroup g, boolean[] used) {
        int n = used.length;
        int free = 0;
        int frags = 0;
        int first = n;
        for (int i = 0; i < n; i++) {
            if (!used[i]) {
                free++;
                if (first == n) {
                    first = i;
                }
                if (i == 0 || used[i - 1]) {
                    frags++;
                }
            }
        }
        assertThat(g.free()).isEqualTo(free);
        assertThat(g.fragments()).isEqualTo(frags);
        assertThat(g.firstFree()).isEqualTo(first);
        int[] ref = refCounters(used, n, g.maxOrder());
        int lfo = -1;
        for (int k = 0; k <= g.maxOrder(); k++) {
            assertThat(g.counter(k)).as("bb_counters[%d]", k).isEqualTo(ref[k]);
            if (ref[k] > 0) {
                lfo = k;
            }
        }
        assertThat(g.largestFreeOrder()).isEqualTo(lfo);
    }

    static boolean[] randomBitmap(Random r, int n) {
        boolean[] used = new boolean[n];
        // runs of random length, like a real group: long free stretches and used islands
        int i = 0;
        boolean u = r.nextBoolean();
        while (i < n) {
            int len = 1 + r.nextInt(r.nextBoolean() ? 8 : 700);
            for (int j = i; j < Math.min(n, i + len); j++) {
                used[j] = u;
            }
            i += len;
            u = !u;
        }
        return used;
    }

    @Test
    void generateBuddyMatchesReference() {
        Random r = new Random(1);
        for (int round = 0; round < 6; round++) {
            boolean[] used = randomBitmap(r, N);
            BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
            assertMatchesReference(g, used);
        }
    }

    @Test
    void emptyGroupIsFourTopChunks() {
        // 32768 free clusters, top order 13 (8192): exactly 4 chunks, as ext4_mb_mark_free_simple's border gives
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, new long[N / 64]);
        assertThat(g.counter(13)).isEqualTo(4);
        assertThat(g.largestFreeOrder()).isEqualTo(13);
        assertThat(g.avgFragmentSizeOrder()).isEqualTo(13); // fls(32768)-2 = 14 = MB_NUM_ORDERS → 13
    }

    @Test
    void shortLastGroupPaddingIsInUse() {
        BuddyGroup g = new BuddyGroup(3, N, 1000, BITS, new long[N / 64]);
        assertThat(g.free()).isEqualTo(1000);
        assertThat(g.isUsed(1000)).isTrue();
        assertThat(g.findExtentLength(999, 8)).isEqualTo(1);
    }

    @Test
    void markUsedThenRegenerateAndFreeMatchReference() {
        Random r = new Random(7);
        boolean[] used = randomBitmap(r, N);
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
        for (int op = 0; op < 60; op++) {
            int s = r.nextInt(N);
            if (r.nextBoolean()) {
                // mb_mark_used on a free extent found at s
                int len = g.findExtentLength(s, 1 + r.nextInt(64));
                if (len == 0) {
                    continue;
                }
                len = Math.min(len, 1 + r.nextInt(len));
                g.markUsed(s, len);
                for (int i = s; i < s + len; i++) {
                    used[i] = true;
                }
            } else {
                int len = Math.min(N - s, 1 + r.nextInt(300));
                g.free(s, len);
                for (int i = s; i < s + len; i++) {
                    used[i] = false;
                }
            }
            assertMatchesReference(g, used);
        }
    }

    @Test
    void markDiskspaceUsedSetsExactlyTheRange() {
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, new long[N / 64]);
        g.markUsed(100, 37);
        for (int i = 0; i < N; i++) {
            assertThat(g.isUsed(i)).isEqualTo(i >= 100 && i < 137);
        }
        assertThat(g.free()).isEqualTo(N - 37);
    }

    @Test
    void freeRestoresExactlyTheRange() {
        boolean[] used = new boolean[N];
        java.util.Arrays.fill(used, true);
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
        assertThat(g.free(5000, 123)).isEqualTo(123);
        for (int i = 0; i < N; i++) {
            assertThat(g.isUsed(i)).isEqualTo(i < 5000 || i >= 5123);
        }
        assertThat(g.free()).isEqualTo(123);
    }

    @Test
    void findExtentFollowsBuddyChunks() {
        // free run [3, 20): chunk containing 3 is order 0 (2 used), then [4,8) order 2 is appended
        boolean[] used = new boolean[N];
        java.util.Arrays.fill(used, true);
        for (int i = 3; i < 20; i++) {
            used[i] = false;
        }
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
        assertThat(g.orderForBlock(3)).isZero();
        assertThat(g.orderForBlock(5)).isEqualTo(2);
        assertThat(g.orderForBlock(9)).isEqualTo(3);
        assertThat(g.findExtentLength(3, 1)).isEqualTo(1);
        assertThat(g.findExtentLength(3, 2)).isEqualTo(5);   // 3 + [4,8)
        assertThat(g.findExtentLength(3, 6)).isEqualTo(13);  // + [8,16)
        assertThat(g.findExtentLength(3, 100)).isEqualTo(17); // + [16,20) in chunks, stops at 20
        assertThat(g.findExtentLength(2, 1)).isZero();
    }

    @Test
    void markUsedReportsTheSplitChunkLikeTheTrace() {
        // 7.3.4-4k trace: "result 0/4140/1@0 ... tail 1 broken 4" with 4139 in use and [4140,4144) free:
        // mb_mark_used split an order-2 chunk for one cluster (tail = 1, broken = 1 << 2)
        boolean[] used = new boolean[N];
        for (int i = 0; i < 4140; i++) {
            used[i] = true;
        }
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
        int ret = g.markUsed(4140, 1);
        assertThat(ret & 0xffff).isEqualTo(1);
        assertThat(1 << (ret >> 16)).isEqualTo(4);
        // a whole aligned chunk needs no split: history 0
        assertThat(g.markUsed(4144, 16)).isZero();
    }

    @Test
    void firstChunkOfOrderIsTheBuddyBitmapsFirstZero() {
        boolean[] used = new boolean[N];
        java.util.Arrays.fill(used, true);
        for (int i = 40; i < 64; i++) {
            used[i] = false;     // [40,48) order 3, [48,64) order 4
        }
        for (int i = 128; i < 136; i++) {
            used[i] = false;     // [128,136) order 3
        }
        BuddyGroup g = new BuddyGroup(0, N, N, BITS, pack(used));
        assertThat(g.firstChunkOfOrder(3)).isEqualTo(40);
        assertThat(g.firstChunkOfOrder(4)).isEqualTo(48);
        assertThat(g.firstChunkOfOrder(5)).isEqualTo(-1);
        assertThat(g.counter(3)).isEqualTo(2);
    }
}
