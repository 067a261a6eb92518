package io.mbscope.replay;

/**
 * An open-addressing long → object map (linear probing, backward-shift deletion; null values are
 * not stored) for per-pid and per-inode replay state looked up on most events: no boxing of the
 * key, no entry objects. Not thread safe.
 */
final class LongObjMap<V> {
    private long[] keys;
    private Object[] vals;
    private int size;
    private int mask;

    LongObjMap() {
        keys = new long[16];
        vals = new Object[16];
        mask = 15;
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
        while (vals[i] != null && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    boolean containsKey(long k) {
        return vals[slot(k)] != null;
    }

    @SuppressWarnings("unchecked")
    V get(long k) {
        return (V) vals[slot(k)];
    }

    /** Sets the value (non-null); returns the previous one or null. */
    @SuppressWarnings("unchecked")
    V put(long k, V v) {
        if (v == null) {
            throw new IllegalArgumentException("null value");
        }
        int i = slot(k);
        Object old = vals[i];
        keys[i] = k;
        vals[i] = v;
        if (old == null && ++size * 2 > keys.length) {
            grow();
        }
        return (V) old;
    }

    /** Removes the key; returns its value or null. */
    @SuppressWarnings("unchecked")
    V remove(long k) {
        int i = slot(k);
        Object old = vals[i];
        if (old == null) {
            return null;
        }
        vals[i] = null;
        size--;
        int hole = i;
        int j = (i + 1) & mask;
        while (vals[j] != null) {
            int home = hash(keys[j]) & mask;
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                keys[hole] = keys[j];
                vals[hole] = vals[j];
                vals[j] = null;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        return (V) old;
    }

    interface Visitor<V> {
        void visit(long key, V value);
    }

    /** Visits every entry (unspecified order); the visitor must not add or remove keys. */
    @SuppressWarnings("unchecked")
    void forEach(Visitor<V> v) {
        for (int i = 0; i < keys.length; i++) {
            if (vals[i] != null) {
                v.visit(keys[i], (V) vals[i]);
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        Object[] ov = vals;
        int cap = ok.length * 2;
        keys = new long[cap];
        vals = new Object[cap];
        mask = cap - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ov[i] != null) {
                int s = slot(ok[i]);
                keys[s] = ok[i];
                vals[s] = ov[i];
                size++;
            }
        }
    }
}
