package io.mbscope.parsers.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Records waiting for their round, ordered by (timestamp, arrival). A round can hold hundreds of
 * thousands of samples (perf record -m 64M), which live until the next round mark: kept as objects
 * they would be copied by every young collection, so they are stored as bytes in 1 MiB chunks that
 * are recycled once every record in them has been emitted. perf writes each CPU's ring buffer out
 * in one piece, so arrivals come as long runs already in time order; runs are FIFOs of positions and
 * a small heap merges their heads: the output is the (timestamp, arrival) order a single heap over
 * all records would give, at O(log runs) per record.
 */
final class PendingArena {
    static final int SAMPLE = 0;
    static final int COMM = 1;
    static final int FORK = 2;

    /** 1 MiB chunks: a perf record is at most 64 KiB, so at least 16 fit. */
    static final int DEFAULT_CHUNK_BITS = 20;
    private static final int HEADER = 48;

    private static final class Chunk {
        final byte[] bytes;
        final ByteBuffer buf;
        int used;
        int live;

        Chunk(int size) {
            bytes = new byte[size];
            buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        }
    }

    private final int chunkBits;
    private final int chunkSize;

    private static final class Run {
        long[] pos = new long[64];
        int head;
        int tail;
        long lastTs = Long.MIN_VALUE;
        long headTs;
        long headSeq;
        boolean inHeap;

        boolean isEmpty() {
            return head == tail;
        }

        void push(long p) {
            if (tail == pos.length) {
                if (head > pos.length / 2) {
                    System.arraycopy(pos, head, pos, 0, tail - head);
                } else {
                    long[] n = new long[pos.length * 2];
                    System.arraycopy(pos, head, n, 0, tail - head);
                    pos = n;
                }
                tail -= head;
                head = 0;
            }
            pos[tail++] = p;
        }
    }

    private final ArrayList<Chunk> slots = new ArrayList<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final ArrayDeque<Chunk> spareChunks = new ArrayDeque<>();
    /**
     * Binary min-heap of the runs' heads by (headTs, headSeq). Hand-written rather than a
     * PriorityQueue: after a poll the same run usually stays in front (runs are long), and
     * re-sifting the top in place costs one comparison where poll + add cost two full sifts.
     */
    private Run[] heads = new Run[16];
    private int heapSize;
    private final ArrayDeque<Run> spareRuns = new ArrayDeque<>();
    private Run tailRun;
    private int writeSlot = -1;
    private int size;
    private long seq;

    // the record last returned by poll()
    private Chunk cur;
    private int curOff;

    /**
     * @param chunkBits log2 of the chunk size (small sizes let tests exercise recycling); a record
     *                  larger than a chunk gets a chunk of its own
     */
    PendingArena(int chunkBits) {
        this.chunkBits = chunkBits;
        this.chunkSize = 1 << chunkBits;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Timestamp of the oldest record; only valid when not empty. */
    long headTs() {
        return heads[0].headTs;
    }

    private static boolean before(Run a, Run b) {
        return a.headTs < b.headTs || (a.headTs == b.headTs && a.headSeq < b.headSeq);
    }

    private void heapAdd(Run r) {
        if (heapSize == heads.length) {
            heads = java.util.Arrays.copyOf(heads, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Run p = heads[parent];
            if (!before(r, p)) {
                break;
            }
            heads[i] = p;
            i = parent;
        }
        heads[i] = r;
    }

    /** Restores the heap after the top's key grew (or replaces a removed top with the last run). */
    private void siftDownTop() {
        Run x = heads[0];
        int n = heapSize;
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && before(heads[right], heads[child])) {
                child = right;
            }
            if (!before(heads[child], x)) {
                break;
            }
            heads[i] = heads[child];
            i = child;
        }
        heads[i] = x;
    }

    void addSample(long ts, int cpu, int tid, int formatId, byte[] src, int off, int len, long fileOffset) {
        Chunk c = reserve(HEADER + len);
        int at = c.used;
        header(c, at, SAMPLE, ts, fileOffset, cpu, tid, formatId, len);
        System.arraycopy(src, off, c.bytes, at + HEADER, len);
        commit(c, at, HEADER + len, ts);
    }

    void addComm(long ts, int tid, String comm, long fileOffset) {
        byte[] b = comm.getBytes(StandardCharsets.UTF_8);
        Chunk c = reserve(HEADER + b.length);
        int at = c.used;
        header(c, at, COMM, ts, fileOffset, -1, tid, 0, b.length);
        System.arraycopy(b, 0, c.bytes, at + HEADER, b.length);
        commit(c, at, HEADER + b.length, ts);
    }

    void addFork(long ts, int tid, int parent, long fileOffset) {
        Chunk c = reserve(HEADER);
        int at = c.used;
        header(c, at, FORK, ts, fileOffset, -1, tid, parent, 0);
        commit(c, at, HEADER, ts);
    }

    private void header(Chunk c, int at, int kind, long ts, long fileOffset, int cpu, int tid, int aux, int len) {
        ByteBuffer b = c.buf;
        b.putInt(at, kind);
        b.putLong(at + 8, ts);
        b.putLong(at + 16, seq++);
        b.putLong(at + 24, fileOffset);
        b.putInt(at + 32, cpu);
        b.putInt(at + 36, tid);
        b.putInt(at + 40, aux);
        b.putInt(at + 44, len);
    }

    private Chunk reserve(int n) {
        Chunk c = writeSlot < 0 ? null : slots.get(writeSlot);
        if (c == null || c.used + ((n + 7) & ~7) > chunkSize) {
            if (c != null && c.live == 0) {
                release(writeSlot);
            }
            c = spareChunks.isEmpty() || spareChunks.peek().bytes.length < n ? new Chunk(Math.max(chunkSize, n))
                    : spareChunks.pop();
            c.used = 0;
            c.live = 0;
            if (freeSlots.isEmpty()) {
                writeSlot = slots.size();
                slots.add(c);
            } else {
                writeSlot = freeSlots.pop();
                slots.set(writeSlot, c);
            }
        }
        return c;
    }

    private void commit(Chunk c, int at, int n, long ts) {
        c.used = at + ((n + 7) & ~7);
        c.live++;
        long p = ((long) writeSlot << chunkBits) | at;
        Run r = tailRun;
        if (r == null || ts < r.lastTs) {
            r = spareRuns.isEmpty() ? new Run() : spareRuns.pop();
            r.lastTs = Long.MIN_VALUE;
            tailRun = r;
        }
        r.push(p);
        r.lastTs = ts;
        if (!r.inHeap) {
            setHead(r);
            r.inHeap = true;
            heapAdd(r);
        }
        size++;
    }

    private void setHead(Run r) {
        long p = r.pos[r.head];
        Chunk c = slots.get((int) (p >>> chunkBits));
        int at = (int) (p & (chunkSize - 1));
        r.headTs = c.buf.getLong(at + 8);
        r.headSeq = c.buf.getLong(at + 16);
    }

    /** Removes the oldest record and makes it current for the accessors below. */
    void poll() {
        Run r = heads[0];
        long p = r.pos[r.head++];
        int slot = (int) (p >>> chunkBits);
        cur = slots.get(slot);
        curOff = (int) (p & (chunkSize - 1));
        size--;
        if (--cur.live == 0 && slot != writeSlot) {
            // the bytes stay readable through cur until the next poll: the chunk is only reused by
            // a later add, which the reader never does between poll and reading the record
            release(slot);
        }
        if (!r.isEmpty()) {
            setHead(r);
            siftDownTop();
        } else {
            heads[0] = heads[--heapSize];
            heads[heapSize] = null;
            if (heapSize > 0) {
                siftDownTop();
            }
            r.inHeap = false;
            r.head = 0;
            r.tail = 0;
            if (r != tailRun && spareRuns.size() < 64) {
                spareRuns.push(r);
            }
        }
    }

    private void release(int slot) {
        Chunk c = slots.get(slot);
        slots.set(slot, null);
        freeSlots.push(slot);
        if (spareChunks.size() < 4) {
            spareChunks.push(c);
        }
    }

    int kind() {
        return cur.buf.getInt(curOff);
    }

    long ts() {
        return cur.buf.getLong(curOff + 8);
    }

    long fileOffset() {
        return cur.buf.getLong(curOff + 24);
    }

    int cpu() {
        return cur.buf.getInt(curOff + 32);
    }

    int tid() {
        return cur.buf.getInt(curOff + 36);
    }

    /** Format id of a sample, parent tid of a fork. */
    int aux() {
        return cur.buf.getInt(curOff + 40);
    }

    int length() {
        return cur.buf.getInt(curOff + 44);
    }

    byte[] array() {
        return cur.bytes;
    }

    int dataOffset() {
        return curOff + HEADER;
    }

    String commString() {
        return new String(cur.bytes, curOff + HEADER, length(), StandardCharsets.UTF_8);
    }

    void clear() {
        java.util.Arrays.fill(heads, null);
        heapSize = 0;
        slots.clear();
        freeSlots.clear();
        spareChunks.clear();
        tailRun = null;
        writeSlot = -1;
        size = 0;
    }
}
