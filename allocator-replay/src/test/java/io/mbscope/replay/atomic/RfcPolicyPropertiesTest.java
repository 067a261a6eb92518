package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.replay.model.AllocRequest;
import io.mbscope.replay.model.AllocationPolicy;
import io.mbscope.replay.model.BuddyGroup;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MballocModel;
import io.mbscope.replay.model.MbFlags;
import io.mbscope.replay.model.MbTunables;
import io.mbscope.replay.model.Prealloc;
import io.mbscope.replay.model.Prediction;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random file systems and requests (a plain loop: the seed of a failing case is printed and
 * the run is reproducible). Under {@link AllocationPolicy#RFC_ALIGNED} the model never returns a
 * misaligned extent or a used block, fails only when no aligned free chunk of the goal length exists
 * anywhere (brute force), and finds one whenever the independent buddy-decomposition allocator
 * ({@link AlignedAllocator}, the former stand-alone what-if) finds one.
 */
class RfcPolicyPropertiesTest {

    /** 4 KiB blocks from block 0, 4 groups of 4096 (the last short): alignment inside a group is absolute. */
    static final Geometry GEO = new Geometry(12, 0, 3L * 4096 + 3000, 0, 4096, 4096, 4, 0, 0);
    static final FsLayout FS = new FsLayout(4096, 4096, 3L * 4096 + 3000, 0, 4096, 4096, 1024, 0, true, false);
    static final KernelGeneration[] GENS = {KernelGeneration.V6_5_LISTS, KernelGeneration.V6_12_77,
        KernelGeneration.V6_17};

    @Test
    void rfcPolicyNeverMisalignsNorTakesAUsedBlock() {
        int found = 0;
        int failed = 0;
        int fromPa = 0;
        for (long seed = 1; seed <= 400; seed++) {
            Random r = new Random(seed);
            long[][] bm = randomBitmaps(r);
            KernelGeneration gen = GENS[r.nextInt(GENS.length)];
            MbTunables tun = MbTunables.defaults(GEO, r.nextBoolean(), 1 + r.nextInt(4))
                    .withOptimizeScan(r.nextBoolean());
            MballocModel m = new MballocModel(GEO, tun, gen, g -> bm[g]);
            long ino = 12 + r.nextInt(3);
            if (r.nextInt(3) == 0) {
                addRandomInodePa(m, r, ino);
            }
            int k = r.nextInt(7);
            long n = 1L << k;
            long logical = n * r.nextInt(64);
            long isize = r.nextBoolean() ? -1 : 4096L * r.nextInt(r.nextInt(8) == 0 ? 4096 : 128);
            int flags = MbFlags.HINT_DATA | (r.nextInt(5) == 0 ? MbFlags.HINT_NOPREALLOC : 0);
            AllocRequest ar = new AllocRequest(ino, flags, n, logical, r.nextInt((int) GEO.blocksCount()), logical,
                    logical, 0, 0, 0, isize, r.nextBoolean(), true);
            Prediction p = m.predict(ar, AllocationPolicy.RFC_ALIGNED);
            String why = "seed " + seed + " " + gen.name() + " " + ar + " -> " + p;
            if (p.len() > 0) {
                found++;
                assertThat(p.block() % n).as(why).isZero();
                assertThat(p.len()).as(why).isEqualTo(n);
                if (p.preallocated()) {
                    fromPa++;
                    assertThat(p.paType()).as(why).isEqualTo(Prealloc.Type.INODE);
                    continue;
                }
                int g = (int) p.result().group();
                int s = (int) p.result().start();
                long len = Math.min(p.result().len(), p.goal().len());
                assertThat(isPowerOfTwo(len)).as(why).isTrue();
                assertThat(s % len).as(why).isZero();
                assertThat(m.group(g).isRangeFree(s, (int) len)).as(why).isTrue();
                assertThat(GEO.block(g, s)).as(why).isEqualTo(p.block());
            } else {
                failed++;
                int goalLen = (int) p.goal().len();
                assertThat(existsAlignedFree(m, goalLen)).as(why).isFalse();
                AlignedAllocator ref = new AlignedAllocator(new ModelClusterSpace(m, FS));
                assertThat(ref.find(new AlignedAllocator.Request(0, goalLen, goalLen, false)).found()).as(why)
                        .isFalse();
            }
        }
        // the loop must exercise both outcomes and the PA path
        assertThat(found).as("found").isGreaterThan(100);
        assertThat(failed).as("failed").isGreaterThan(10);
        assertThat(fromPa).isPositive();
    }

    static long[][] randomBitmaps(Random r) {
        long[][] bm = new long[GEO.groupCount()][4096 / 64];
        int density = Math.max(0, r.nextInt(6) - 2); // 0 (half the cases): mostly free .. 3: fragmented
        for (int g = 0; g < bm.length; g++) {
            int i = 0;
            boolean used = r.nextBoolean();
            while (i < 4096) {
                int len = used ? 1 + r.nextInt(density == 3 ? 3 : 20) : 1 + r.nextInt(density == 0 ? 600 : 6);
                if (used) {
                    for (int j = i; j < Math.min(4096, i + len); j++) {
                        bm[g][j >>> 6] |= 1L << (j & 63);
                    }
                }
                i += len;
                used = !used;
            }
        }
        return bm;
    }

    /** A real-looking inode PA (its blocks in use, as a PA's are), aligned or not. */
    static void addRandomInodePa(MballocModel m, Random r, long ino) {
        int g = r.nextInt(3);
        int len = 1 << (1 + r.nextInt(5));
        int start = r.nextBoolean() ? len * r.nextInt(4096 / len) : r.nextInt(4096 - len);
        m.applyUsed(g, start, len);
        long lstart = len * (long) r.nextInt(16);
        m.applyNewPa(Prealloc.Type.INODE, ino, 0, GEO.block(g, start), lstart, len);
    }

    static boolean existsAlignedFree(MballocModel m, int len) {
        for (int g = 0; g < m.groupCount(); g++) {
            BuddyGroup bg = m.group(g);
            int size = GEO.clustersInGroup(g);
            for (int s = 0; s + len <= size; s += len) {
                if (bg.isRangeFree(s, len)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isPowerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }
}
