package io.mbscope.replay.model;

import io.mbscope.replay.model.MballocModel.PendingFree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The freed-but-not-yet-committed clusters of ext4_mb_free_metadata: the kernel keeps each freed
 * extent in the group's busy list (ext4_free_data, an rbtree by start) and returns it to the buddy
 * only when the transaction that freed it commits (ext4_process_freed_data).
 *
 * <p>Two indexes over the same entries: by freeing time (a commit point releases every entry freed
 * at or before it, cost proportional to what it releases) and per group by start (overlap queries
 * cost a floor lookup plus the overlapping entries). Releases and enumerations come out in
 * insertion order, the order the model has always used, so listeners and the buddy see exactly the
 * same sequence of changes as with a single queue.
 *
 * <p>The kernel merges adjacent busy extents of the same transaction and never holds one cluster
 * twice; the model can (a free it receives for clusters it still holds as pending), so a group
 * whose entries ever overlapped falls back to checking each of its entries until it empties.
 */
final class PendingFrees {

    /** One pending entry; {@code seq} is its insertion order (pieces split off get a new one). */
    private static final class Node {
        final PendingFree rec;
        final long seq;

        Node(PendingFree rec, long seq) {
            this.rec = rec;
            this.seq = seq;
        }

        int start() {
            return rec.start();
        }

        int end() {
            return rec.start() + rec.len();
        }

        boolean overlaps(int start, int len) {
            // the predicate of the original queue scan, also for degenerate lengths
            return rec.start() < start + len && start < rec.start() + rec.len();
        }
    }

    private static final Comparator<Node> BY_TIME = (a, b) -> {
        int c = Long.compare(a.rec.freedAtNs(), b.rec.freedAtNs());
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };
    private static final Comparator<Node> BY_START = (a, b) -> {
        int c = Integer.compare(a.rec.start(), b.rec.start());
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };
    private static final Comparator<Node> BY_SEQ = (a, b) -> Long.compare(a.seq, b.seq);

    /** Per-group index; {@code disjoint} while no two entries (and no empty one) share a cluster. */
    private static final class GroupIndex {
        final TreeSet<Node> byStart = new TreeSet<>(BY_START);
        boolean disjoint = true;
    }

    private final TreeSet<Node> byTime = new TreeSet<>(BY_TIME);
    private final GroupIndex[] groups;
    private long nextSeq;
    private final List<Node> scratch = new ArrayList<>();

    /** @param groupCount number of block groups; entries of other groups are not accepted */
    PendingFrees(int groupCount) {
        this.groups = new GroupIndex[groupCount];
    }

    int size() {
        return byTime.size();
    }

    boolean isEmpty() {
        return byTime.isEmpty();
    }

    /** ext4_mb_free_metadata: {@code group} must be a valid group number. */
    void add(PendingFree p) {
        Node n = new Node(p, nextSeq++);
        GroupIndex gi = groups[p.group()];
        if (gi == null) {
            gi = new GroupIndex();
            groups[p.group()] = gi;
        }
        if (gi.disjoint && (p.len() <= 0 || anyOverlap(gi, p.start(), p.len()))) {
            gi.disjoint = false;
        }
        gi.byStart.add(n);
        byTime.add(n);
    }

    /** True if any pending entry of {@code group} overlaps [start, start+len). */
    boolean overlaps(int group, int start, int len) {
        GroupIndex gi = index(group);
        return gi != null && anyOverlap(gi, start, len);
    }

    /** The latest freeing time among the entries overlapping the range; Long.MIN_VALUE if none. */
    long latestOverlapping(int group, int start, int len) {
        GroupIndex gi = index(group);
        if (gi == null) {
            return Long.MIN_VALUE;
        }
        long latest = Long.MIN_VALUE;
        for (Node n : overlapping(gi, start, len)) {
            latest = Math.max(latest, n.rec.freedAtNs());
        }
        return latest;
    }

    /**
     * Removes every entry freed at or before {@code upTo} and hands them to {@code sink} in
     * insertion order. Returns how many were released.
     */
    int releaseUpTo(long upTo, Consumer<PendingFree> sink) {
        if (byTime.isEmpty() || byTime.first().rec.freedAtNs() > upTo) {
            return 0;
        }
        List<Node> out = scratch;
        out.clear();
        while (!byTime.isEmpty() && byTime.first().rec.freedAtNs() <= upTo) {
            Node n = byTime.pollFirst();
            removeFromGroup(n);
            out.add(n);
        }
        if (out.size() > 1) {
            out.sort(BY_SEQ);
        }
        int count = out.size();
        for (int i = 0; i < count; i++) {
            sink.accept(out.get(i).rec);
        }
        out.clear();
        return count;
    }

    /**
     * Drops the parts of entries overlapping [start, start+len) of {@code group}; the parts outside
     * the range stay pending, re-queued behind every other entry.
     */
    void forget(int group, int start, int len) {
        GroupIndex gi = index(group);
        if (gi == null) {
            return;
        }
        List<Node> hit = overlapping(gi, start, len);
        if (hit.isEmpty()) {
            return;
        }
        hit.sort(BY_SEQ);
        List<PendingFree> keep = new ArrayList<>();
        for (Node n : hit) {
            byTime.remove(n);
            removeFromGroup(n);
            PendingFree p = n.rec;
            if (p.start() < start) {
                keep.add(new PendingFree(group, p.start(), start - p.start(), p.freedAtNs()));
            }
            if (p.start() + p.len() > start + len) {
                keep.add(new PendingFree(group, start + len, p.start() + p.len() - start - len, p.freedAtNs()));
            }
        }
        for (PendingFree p : keep) {
            add(p);
        }
    }

    /** Adds to {@code out}, in insertion order, the entries freed at or before {@code upTo}. */
    void snapshot(List<PendingFree> out, long upTo) {
        List<Node> sel = new ArrayList<>(byTime.headSet(new Node(new PendingFree(0, 0, 0, upTo), Long.MAX_VALUE),
                true));
        sel.sort(BY_SEQ);
        for (Node n : sel) {
            out.add(n.rec);
        }
    }

    private GroupIndex index(int group) {
        return group >= 0 && group < groups.length ? groups[group] : null;
    }

    private void removeFromGroup(Node n) {
        GroupIndex gi = groups[n.rec.group()];
        gi.byStart.remove(n);
        if (gi.byStart.isEmpty()) {
            gi.disjoint = true;
        }
    }

    private static boolean anyOverlap(GroupIndex gi, int start, int len) {
        if (gi.byStart.isEmpty()) {
            return false;
        }
        if (!gi.disjoint) {
            for (Node n : gi.byStart) {
                if (n.overlaps(start, len)) {
                    return true;
                }
            }
            return false;
        }
        if (len <= 0) {
            // [start, start+len) is empty but the queue predicate still matched an entry strictly
            // containing start..start+len: keep that exact meaning
            return slowAny(gi, start, len);
        }
        // disjoint, non-empty entries: the one starting last before `start` may reach into the
        // range; every entry starting inside it overlaps
        Node below = gi.byStart.lower(probe(start, Long.MIN_VALUE));
        if (below != null && below.end() > start) {
            return true;
        }
        Node from = gi.byStart.ceiling(probe(start, Long.MIN_VALUE));
        return from != null && from.start() < start + len;
    }

    private static boolean slowAny(GroupIndex gi, int start, int len) {
        for (Node n : gi.byStart) {
            if (n.overlaps(start, len)) {
                return true;
            }
        }
        return false;
    }

    /** Entries of the group overlapping the range (any order). */
    private static List<Node> overlapping(GroupIndex gi, int start, int len) {
        List<Node> out = new ArrayList<>(2);
        if (gi.byStart.isEmpty()) {
            return out;
        }
        if (!gi.disjoint || len <= 0) {
            for (Node n : gi.byStart) {
                if (n.overlaps(start, len)) {
                    out.add(n);
                }
            }
            return out;
        }
        Node below = gi.byStart.lower(probe(start, Long.MIN_VALUE));
        if (below != null && below.end() > start) {
            out.add(below);
        }
        NavigableSet<Node> inside = gi.byStart.subSet(probe(start, Long.MIN_VALUE), true,
                probe(start + len, Long.MIN_VALUE), false);
        for (Iterator<Node> it = inside.iterator(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    private static Node probe(int start, long seq) {
        return new Node(new PendingFree(0, start, 0, 0), seq);
    }
}
