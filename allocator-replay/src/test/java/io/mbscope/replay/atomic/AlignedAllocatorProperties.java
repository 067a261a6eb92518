package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reference aligned allocator (the former stand-alone what-if, kept as an independent check of
 * the model's RFC policy) never hands out a misaligned chunk or a used cluster, and fails only when no
 * naturally aligned free chunk of the size exists anywhere (checked by brute force). Seeded loop: a
 * failure names its seed.
 */
class AlignedAllocatorProperties {

    /** 1 KiB blocks from block 0, 3 groups of 4096: buddy orders 0..11, alignment is absolute. */
    static final FsLayout FS = new FsLayout(1024, 1024, 3 * 4096, 0, 4096, 4096, 1024, 16, true, false);

    @Test
    void neverMisalignedNorUsed() {
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            List<Integer> starts = new ArrayList<>();
            for (int i = r.nextInt(401); i > 0; i--) {
                starts.add(r.nextInt(3 * 4096));
            }
            try {
                check(starts, r.nextInt(7), r.nextInt(5), r.nextInt(3 * 4096), r.nextBoolean());
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed, e);
            }
        }
    }

    private static void check(List<Integer> starts, int lenOrder, int extraOrder, int goal, boolean fallback) {
        FreeSpace space = new FreeSpace(FS);
        for (int s : starts) {
            int len = 1 + (s * 7919) % 97;
            space.markUsed(s, Math.min(len, space.clusterCount() - s));
        }
        FreeSpace before = space.copy();
        long firstAligned = new AlignedAllocator(before).firstAlignedFreeAfter(goal, 1L << lenOrder);
        assertThat(firstAligned >= 0).isEqualTo(existsAlignedFree(before, 1L << lenOrder));
        if (firstAligned >= 0) {
            assertThat(firstAligned % (1L << lenOrder)).isZero();
            assertThat(before.isFree(firstAligned, 1L << lenOrder)).isTrue();
        }
        long len = 1L << lenOrder;
        long norm = 1L << (lenOrder + extraOrder);
        AlignedAllocator a = new AlignedAllocator(space);
        AlignedAllocator.Outcome o = a.allocate(new AlignedAllocator.Request(goal, len, norm, fallback));
        if (o.found()) {
            assertThat(before.isFree(o.cluster(), o.chunkClusters())).isTrue();
            assertThat(o.block() % o.chunkClusters()).isZero();
            assertThat(o.block() % len).isZero();
            assertThat(o.absoluteAligned()).isTrue();
            assertThat(o.chunkClusters()).isEqualTo(o.fellBack() ? len : norm);
            assertThat(space.isFree(o.cluster(), 1)).isFalse();
        } else {
            assertThat(existsAlignedFree(before, norm)).isFalse();
            if (fallback) {
                assertThat(existsAlignedFree(before, len)).isFalse();
            }
        }
    }

    private static boolean existsAlignedFree(FreeSpace s, long size) {
        for (long g = 0; g < FS.groupCount(); g++) {
            long base = g * FS.clustersPerGroup();
            for (long p = 0; p + size <= FS.clustersInGroup(g); p += size) {
                if (s.isFree(base + p, size)) {
                    return true;
                }
            }
        }
        return false;
    }
}
