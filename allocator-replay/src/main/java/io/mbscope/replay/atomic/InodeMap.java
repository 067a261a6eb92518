package io.mbscope.replay.atomic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One inode's logical-to-physical block mapping as the trace shows it: every block a file gets is
 * mapped by an {@code ext4_ext_map_blocks_exit} with a positive ret (allocation, unwritten
 * conversion, bigalloc implied cluster), and leaves through {@code ext4_remove_blocks}. Lookups that
 * the extent-status cache answers fire no event, but they change nothing.
 */
public final class InodeMap {

    /** A mapped run: logical blocks [lblk, lblk+len) at physical pblk.. . */
    public record Run(long lblk, long len, long pblk, boolean unwritten) {
        public long end() {
            return lblk + len;
        }
    }

    private final TreeMap<Long, Run> runs = new TreeMap<>();

    public void map(long lblk, long len, long pblk, boolean unwritten) {
        if (len <= 0) {
            return;
        }
        remove(lblk, len);
        runs.put(lblk, new Run(lblk, len, pblk, unwritten));
    }

    /** Forgets logical blocks [lblk, lblk+len). */
    public void remove(long lblk, long len) {
        if (len <= 0) {
            return;
        }
        long end = lblk + len;
        Map.Entry<Long, Run> before = runs.lowerEntry(lblk);
        if (before != null && before.getValue().end() > lblk) {
            Run r = before.getValue();
            runs.put(r.lblk(), new Run(r.lblk(), lblk - r.lblk(), r.pblk(), r.unwritten()));
            if (r.end() > end) {
                runs.put(end, new Run(end, r.end() - end, r.pblk() + (end - r.lblk()), r.unwritten()));
            }
        }
        while (true) {
            Map.Entry<Long, Run> e = runs.ceilingEntry(lblk);
            if (e == null || e.getKey() >= end) {
                break;
            }
            Run r = e.getValue();
            runs.remove(e.getKey());
            if (r.end() > end) {
                runs.put(end, new Run(end, r.end() - end, r.pblk() + (end - r.lblk()), r.unwritten()));
            }
        }
    }

    /** The runs overlapping [lblk, lblk+len), clipped to it, in logical order. */
    public List<Run> lookup(long lblk, long len) {
        List<Run> out = new ArrayList<>();
        long end = lblk + len;
        Map.Entry<Long, Run> first = runs.floorEntry(lblk);
        Long from = first != null && first.getValue().end() > lblk ? first.getKey() : runs.ceilingKey(lblk);
        if (from == null) {
            return out;
        }
        for (Run r : runs.tailMap(from, true).values()) {
            if (r.lblk() >= end) {
                break;
            }
            long s = Math.max(r.lblk(), lblk);
            long e = Math.min(r.end(), end);
            out.add(new Run(s, e - s, r.pblk() + (s - r.lblk()), r.unwritten()));
        }
        return out;
    }

    /** The run holding lblk or, failing that, the nearest run before it, else the first run (ext4_ext_find_goal's extent). */
    public Run goalRun(long lblk) {
        Map.Entry<Long, Run> e = runs.floorEntry(lblk);
        if (e != null) {
            return e.getValue();
        }
        return runs.isEmpty() ? null : runs.firstEntry().getValue();
    }

    /** The first mapped logical block at or after lblk, or -1. */
    public long nextMapped(long lblk) {
        Map.Entry<Long, Run> e = runs.floorEntry(lblk);
        if (e != null && e.getValue().end() > lblk) {
            return lblk;
        }
        Long k = runs.ceilingKey(lblk);
        return k == null ? -1 : k;
    }

    /** The nearest run ending at or before lblk (ext4_ext_search_left), or null. */
    public Run leftOf(long lblk) {
        Map.Entry<Long, Run> e = runs.lowerEntry(lblk);
        return e != null && e.getValue().end() <= lblk ? e.getValue() : null;
    }

    /** The nearest run starting after lblk (ext4_ext_search_right), or null. */
    public Run rightOf(long lblk) {
        Map.Entry<Long, Run> e = runs.higherEntry(lblk);
        return e == null ? null : e.getValue();
    }

    /** All runs in logical order. */
    public List<Run> runs() {
        return List.copyOf(runs.values());
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }

    public long lastBlockEnd() {
        return runs.isEmpty() ? 0 : runs.lastEntry().getValue().end();
    }
}
