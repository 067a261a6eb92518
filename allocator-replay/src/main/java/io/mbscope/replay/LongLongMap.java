package io.mbscope.replay;

import java.util.Arrays;

/**
 * An open-addressing long → long map (linear probing, backward-shift deletion) for the replay's
 * per-inode and per-pid facts, which are looked up for almost every event: no boxing, no entry
 * objects. Not thread safe.
 */
final class LongLongMap {
    private long[] keys;
    private long[] vals;
    private boolean[] used;
    private int size;
    private int mask;

    LongLongMap() {
        this(16);
    }

    LongLongMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
        keys = new long[cap];
        vals = new long[cap];
        used = new boolean[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int slot(long k) {
        int i = hash(k) & mask;
        while (used[i] && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    boolean containsKey(long k) {
        return used[slot(k)];
    }

    /** Whether some key maps to {@code v} (a scan of the table). */
    boolean containsValue(long v) {
        for (int i = 0; i < keys.length; i++) {
            if (used[i] && vals[i] == v) {
                return true;
            }
        }
        return false;
    }

    long get(long k, long missing) {
        int i = slot(k);
        return used[i] ? vals[i] : missing;
    }

    /** Sets the value; returns true if the key was new. */
    boolean put(long k, long v) {
        int i = slot(k);
        if (used[i]) {
            vals[i] = v;
            return false;
        }
        used[i] = true;
        keys[i] = k;
        vals[i] = v;
        if (++size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    /** Removes the key; returns true if it was present. */
    boolean remove(long k) {
        int i = slot(k);
        if (!used[i]) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes the key and returns its value, or {@code missing}. */
    long removeValue(long k, long missing) {
        int i = slot(k);
        if (!used[i]) {
            return missing;
        }
        long v = vals[i];
        removeAt(i);
        return v;
    }

    private void removeAt(int i) {
        used[i] = false;
        size--;
        // backward-shift: move later members of the probe run into the hole
        int hole = i;
        int j = (i + 1) & mask;
        while (used[j]) {
            int home = hash(keys[j]) & mask;
            // keep keys[j] where it is if its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                keys[hole] = keys[j];
                vals[hole] = vals[j];
                used[hole] = true;
                used[j] = false;
                hole = j;
            }
            j = (j + 1) & mask;
        }
    }

    /** Removes every entry for which the predicate holds. */
    void removeIf(LongLongPredicate p) {
        long[] ks = Arrays.copyOf(keys, keys.length);
        long[] vs = Arrays.copyOf(vals, vals.length);
        boolean[] us = Arrays.copyOf(used, used.length);
        for (int i = 0; i < ks.length; i++) {
            if (us[i] && p.test(ks[i], vs[i])) {
                remove(ks[i]);
            }
        }
    }

    /** The keys, as a new set (for rare read-only views). */
    java.util.Set<Long> keySet() {
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                out.add(keys[i]);
            }
        }
        return out;
    }

    interface LongLongPredicate {
        boolean test(long key, long value);
    }

    private void grow() {
        long[] ok = keys;
        long[] ov = vals;
        boolean[] ou = used;
        int cap = ok.length * 2;
        keys = new long[cap];
        vals = new long[cap];
        used = new boolean[cap];
        mask = cap - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                put(ok[i], ov[i]);
            }
        }
    }
}
