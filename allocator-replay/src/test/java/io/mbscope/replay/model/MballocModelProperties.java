package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of the model over random file systems and requests. */
class MballocModelProperties {

    /** 1 KiB blocks, 8192 clusters per group, 6 groups (last one short), flex 4, optional bigalloc. */
    static Geometry geo(int clusterBits) {
        int bpg = 8192 << clusterBits;
        return new Geometry(10, clusterBits, (long) bpg * 5 + (3000L << clusterBits), 0, bpg, 8192, 6, 2, 0);
    }

    static MballocModel randomModel(long seed, int clusterBits, boolean optimize, KernelGeneration gen) {
        Geometry g = geo(clusterBits);
        Random r = new Random(seed);
        long[][] bm = new long[g.groupCount()][128];
        for (long[] b : bm) {
            int i = 0;
            boolean used = r.nextBoolean();
            while (i < 8192) {
                int len = 1 + r.nextInt(r.nextInt(4) == 0 ? 1500 : 40);
                if (used) {
                    for (int j = i; j < Math.min(8192, i + len); j++) {
                        b[j >>> 6] |= 1L << (j & 63);
                    }
                }
                i += len;
                used = !used;
            }
        }
        return new MballocModel(g, MbTunables.defaults(g, false, 2).withOptimizeScan(optimize), gen, grp -> bm[grp]);
    }

    static AllocRequest randomRequest(Random r, Geometry g) {
        int flags = r.nextInt(4) == 0 ? 0 : MbFlags.HINT_DATA;
        if (r.nextInt(5) == 0) {
            flags |= MbFlags.HINT_NOPREALLOC;
        }
        long len = 1 + r.nextInt(r.nextBoolean() ? 16 : 900);
        long logical = r.nextInt(100_000);
        long goal = (long) (r.nextDouble() * g.blocksCount() * 1.1);
        long isize = r.nextBoolean() ? -1 : (long) r.nextInt(200_000) << 10;
        long lleft = logical > 0 && r.nextBoolean() ? logical - 1 : 0;
        long pleft = lleft > 0 ? 1 + r.nextInt((int) g.blocksCount() - 2) : 0;
        return new AllocRequest(1 + r.nextInt(50), flags, len, logical, goal, lleft, 0, pleft, 0, r.nextInt(2), isize,
                r.nextBoolean(), true);
    }

    static KernelGeneration gen(int i) {
        return switch (i) {
            case 0 -> KernelGeneration.V6_1;
            case 1 -> KernelGeneration.V6_5_LISTS;
            case 2 -> KernelGeneration.V6_12_77;
            default -> KernelGeneration.V6_17;
        };
    }

    /** Applies a prediction as if it were the kernel's action (what the replay does with the kernel's events). */
    static void applyAsKernel(MballocModel m, AllocRequest ar, Prediction p) {
        Geometry g = m.geometry();
        if (p.preallocated()) {
            if (p.paType() == Prealloc.Type.INODE) {
                m.applyUseInodePa(ar.ino(), p.block(), p.len());
            } else {
                m.applyUseGroupPa(m.findGroupPa(ar.cpu(), p.block()), p.len());
            }
            return;
        }
        if (p.result().len() == 0) {
            return;
        }
        m.applyUsed((int) p.result().group(), (int) p.result().start(), (int) p.result().len());
        if (p.newPa() != null) {
            Prealloc pa = m.applyNewPa(p.newPa().type(), ar.ino(), ar.cpu(), p.newPa().pstart(), p.newPa().lstart(),
                    p.newPa().len());
            if (pa.type() == Prealloc.Type.GROUP) {
                m.applyUseGroupPa(pa, p.len());
            } else {
                m.applyUseInodePa(ar.ino(), p.block(), p.len());
            }
        }
        if ((p.flags() & MbFlags.STREAM_ALLOC) != 0) {
            m.applyStreamGoal(ar.ino(), (int) p.result().group(), (int) p.result().start());
        }
        assertThat(g.groupOf(p.block())).isLessThan(g.groupCount());
    }

    @Property(tries = 60)
    void neverHandsOutAUsedClusterAndStaysInsideTheFs(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                      @ForAll @IntRange(min = 0, max = 2) int clusterBits,
                                                      @ForAll boolean optimize,
                                                      @ForAll @IntRange(min = 0, max = 3) int generation) {
        MballocModel m = randomModel(seed, clusterBits, optimize, gen(generation));
        Geometry g = m.geometry();
        Random r = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < 25; i++) {
            AllocRequest ar = randomRequest(r, g);
            Prediction p = m.predict(ar);
            if (!p.preallocated() && p.result().len() > 0) {
                int grp = (int) p.result().group();
                assertThat(grp).isBetween(0, g.groupCount() - 1);
                assertThat(p.result().start() + p.result().len()).isLessThanOrEqualTo(g.clustersInGroup(grp));
                assertThat(m.group(grp).isRangeFree((int) p.result().start(), (int) p.result().len()))
                        .as("found extent %s must be free", p.result()).isTrue();
                // the allocation lies inside the found extent
                long first = g.block(grp, p.result().start());
                assertThat(p.block()).isBetween(first, first + g.c2b(p.result().len()) - 1);
            }
            if (p.len() > 0) {
                assertThat(p.block() + g.c2b(p.len())).isLessThanOrEqualTo(g.blocksCount());
                assertThat(p.len()).isLessThanOrEqualTo(Math.min(ar.len(), g.clustersPerGroup()));
            }
            applyAsKernel(m, ar, p);
        }
    }

    @Property(tries = 40)
    void freeingRestoresTheFreeCount(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        MballocModel m = randomModel(seed, 0, false, KernelGeneration.V6_17);
        long before = m.totalFree();
        Random r = new Random(seed);
        List<int[]> taken = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int grp = r.nextInt(m.groupCount());
            BuddyGroup bg = m.group(grp);
            int start = bg.nextFree(r.nextInt(bg.size()), bg.size());
            if (start >= bg.size()) {
                continue;
            }
            int len = Math.min(bg.nextUsed(start, bg.size()) - start, 1 + r.nextInt(50));
            m.applyUsed(grp, start, len);
            taken.add(new int[] {grp, start, len});
        }
        long used = taken.stream().mapToLong(t -> t[2]).sum();
        assertThat(m.totalFree()).isEqualTo(before - used);
        for (int[] t : taken) {
            m.applyFreeDeferred(t[0], t[1], t[2], 100);
        }
        assertThat(m.totalFree()).as("deferred frees stay in use until commit").isEqualTo(before - used);
        m.commitUpTo(100);
        assertThat(m.totalFree()).isEqualTo(before);
    }

    @Property(tries = 20)
    void predictionsAreDeterministic(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                     @ForAll @IntRange(min = 0, max = 3) int generation) {
        List<Prediction> a = run(seed, generation);
        List<Prediction> b = run(seed, generation);
        assertThat(a).isEqualTo(b);
    }

    private static List<Prediction> run(long seed, int generation) {
        MballocModel m = randomModel(seed, 1, true, gen(generation));
        Random r = new Random(seed);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AllocRequest ar = randomRequest(r, m.geometry());
            Prediction p = m.predict(ar);
            out.add(p);
            applyAsKernel(m, ar, p);
        }
        return out;
    }
}
