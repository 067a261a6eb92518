package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.replay.model.MballocModel.PendingFree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pending-free index against the single insertion-ordered queue the model used before (kept
 * here as the reference): same answers, same release order, on hand-made cases and on seeded random
 * operation sequences including overlapping and empty entries and out-of-order free times.
 */
class PendingFreesTest {

    /** The former MballocModel queue, verbatim in behaviour. */
    static final class QueueReference {
        final ArrayDeque<PendingFree> q = new ArrayDeque<>();

        void add(PendingFree p) {
            q.add(p);
        }

        boolean overlaps(int g, int s, int l) {
            for (PendingFree p : q) {
                if (p.group() == g && p.start() < s + l && s < p.start() + p.len()) {
                    return true;
                }
            }
            return false;
        }

        long latest(int g, int s, int l) {
            long latest = Long.MIN_VALUE;
            for (PendingFree p : q) {
                if (p.group() == g && p.start() < s + l && s < p.start() + p.len()) {
                    latest = Math.max(latest, p.freedAtNs());
                }
            }
            return latest;
        }

        List<PendingFree> release(long upTo) {
            List<PendingFree> out = new ArrayList<>();
            for (Iterator<PendingFree> it = q.iterator(); it.hasNext();) {
                PendingFree p = it.next();
                if (p.freedAtNs() <= upTo) {
                    it.remove();
                    out.add(p);
                }
            }
            return out;
        }

        void forget(int g, int s, int l) {
            List<PendingFree> keep = new ArrayList<>();
            for (Iterator<PendingFree> it = q.iterator(); it.hasNext();) {
                PendingFree p = it.next();
                if (p.group() == g && p.start() < s + l && s < p.start() + p.len()) {
                    it.remove();
                    if (p.start() < s) {
                        keep.add(new PendingFree(g, p.start(), s - p.start(), p.freedAtNs()));
                    }
                    if (p.start() + p.len() > s + l) {
                        keep.add(new PendingFree(g, s + l, p.start() + p.len() - s - l, p.freedAtNs()));
                    }
                }
            }
            q.addAll(keep);
        }

        List<PendingFree> snapshot(long upTo) {
            List<PendingFree> out = new ArrayList<>();
            for (PendingFree p : q) {
                if (p.freedAtNs() <= upTo) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    static List<PendingFree> release(PendingFrees pf, long upTo) {
        List<PendingFree> out = new ArrayList<>();
        int n = pf.releaseUpTo(upTo, out::add);
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    @Test
    void overlapBoundaries() {
        PendingFrees pf = new PendingFrees(4);
        pf.add(new PendingFree(1, 100, 10, 5)); // [100, 110)
        assertThat(pf.overlaps(1, 90, 10)).isFalse();   // ends where it starts
        assertThat(pf.overlaps(1, 110, 5)).isFalse();   // starts where it ends
        assertThat(pf.overlaps(1, 109, 1)).isTrue();    // last cluster
        assertThat(pf.overlaps(1, 99, 2)).isTrue();     // first cluster
        assertThat(pf.overlaps(1, 50, 200)).isTrue();   // contains it
        assertThat(pf.overlaps(1, 103, 2)).isTrue();    // inside it
        assertThat(pf.overlaps(0, 100, 10)).isFalse();  // other group
        assertThat(pf.overlaps(7, 100, 10)).isFalse();  // no such group
        assertThat(pf.latestOverlapping(1, 0, 1000)).isEqualTo(5);
        assertThat(pf.latestOverlapping(2, 0, 1000)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void forgetSplitsAndRequeuesTheOutsideParts() {
        PendingFrees pf = new PendingFrees(2);
        pf.add(new PendingFree(0, 0, 100, 1));
        pf.add(new PendingFree(0, 200, 10, 2));
        pf.forget(0, 40, 20); // [0,100) -> [0,40) + [60,100), behind the entry freed at 2
        assertThat(pf.size()).isEqualTo(3);
        assertThat(pf.overlaps(0, 40, 20)).isFalse();
        assertThat(pf.overlaps(0, 39, 1)).isTrue();
        assertThat(pf.overlaps(0, 60, 1)).isTrue();
        List<PendingFree> all = release(pf, 10);
        assertThat(all).containsExactly(new PendingFree(0, 200, 10, 2), new PendingFree(0, 0, 40, 1),
                new PendingFree(0, 60, 40, 1));
        assertThat(pf.isEmpty()).isTrue();
    }

    @Test
    void releaseTakesEverythingFreedUpToTheCommitInInsertionOrder() {
        PendingFrees pf = new PendingFrees(3);
        pf.add(new PendingFree(2, 0, 1, 30));
        pf.add(new PendingFree(0, 5, 1, 10));
        pf.add(new PendingFree(1, 9, 3, 20));
        pf.add(new PendingFree(0, 7, 1, 40));
        assertThat(release(pf, 9)).isEmpty();
        assertThat(release(pf, 30)).containsExactly(new PendingFree(2, 0, 1, 30), new PendingFree(0, 5, 1, 10),
                new PendingFree(1, 9, 3, 20));
        assertThat(pf.size()).isEqualTo(1);
        assertThat(pf.overlaps(0, 5, 1)).isFalse();
        assertThat(pf.overlaps(0, 7, 1)).isTrue();
    }

    @Test
    void overlappingEntriesAreAllFound() {
        PendingFrees pf = new PendingFrees(1);
        pf.add(new PendingFree(0, 10, 100, 1));  // [10, 110)
        pf.add(new PendingFree(0, 50, 5, 7));    // inside the first: the group is no longer disjoint
        pf.add(new PendingFree(0, 300, 5, 3));
        assertThat(pf.latestOverlapping(0, 52, 1)).isEqualTo(7);
        assertThat(pf.latestOverlapping(0, 100, 1)).isEqualTo(1);
        assertThat(pf.latestOverlapping(0, 200, 50)).isEqualTo(Long.MIN_VALUE);
        release(pf, 7);
        assertThat(pf.overlaps(0, 0, 300)).isFalse();
        // emptied: back to the indexed path
        pf.add(new PendingFree(0, 0, 4, 9));
        assertThat(pf.overlaps(0, 3, 1)).isTrue();
    }

    @Test
    void randomOperationsMatchTheQueue() {
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            PendingFrees pf = new PendingFrees(3);
            QueueReference ref = new QueueReference();
            long now = 0;
            for (int step = 0; step < 400; step++) {
                int op = r.nextInt(10);
                int g = r.nextInt(3);
                int s = r.nextInt(300);
                int l = r.nextInt(12) == 0 ? r.nextInt(3) - 1 : 1 + r.nextInt(r.nextBoolean() ? 8 : 60);
                String ctx = "seed " + seed + " step " + step;
                switch (op) {
                    case 0, 1, 2, 3 -> {
                        now += r.nextInt(5);
                        long t = r.nextInt(8) == 0 ? now - r.nextInt(20) : now; // out-of-order now and then
                        PendingFree p = new PendingFree(g, s, l, t);
                        pf.add(p);
                        ref.add(p);
                    }
                    case 4, 5 -> assertThat(pf.overlaps(g, s, l)).as(ctx).isEqualTo(ref.overlaps(g, s, l));
                    case 6 -> assertThat(pf.latestOverlapping(g, s, l)).as(ctx).isEqualTo(ref.latest(g, s, l));
                    case 7 -> {
                        long upTo = now - r.nextInt(30);
                        assertThat(release(pf, upTo)).as(ctx).isEqualTo(ref.release(upTo));
                    }
                    case 8 -> {
                        pf.forget(g, s, l);
                        ref.forget(g, s, l);
                    }
                    default -> {
                        long upTo = now - r.nextInt(30);
                        List<PendingFree> got = new ArrayList<>();
                        pf.snapshot(got, upTo);
                        assertThat(got).as(ctx).isEqualTo(ref.snapshot(upTo));
                    }
                }
                assertThat(pf.size()).as(ctx).isEqualTo(ref.q.size());
            }
            assertThat(release(pf, Long.MAX_VALUE)).isEqualTo(ref.release(Long.MAX_VALUE));
        }
    }
}
