package io.mbscope.parsers.perf;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * Records waiting for their round, ordered by (timestamp, arrival). perf writes each CPU's ring
 * buffer out in one piece, so arrivals come as long runs that are already in time order; the queue
 * keeps those runs as FIFOs and merges their heads with a small heap. Output order is exactly the
 * (timestamp, arrival) order a single heap over all records would give, at O(log runs) instead of
 * O(log records) per record.
 */
final class OrderQueue {
    private static final class Run {
        final ArrayDeque<Pending> items = new ArrayDeque<>();
        long lastTs = Long.MIN_VALUE;
        boolean inHeap;
    }

    private final PriorityQueue<Run> heads = new PriorityQueue<>((a, b) -> Pending.compare(a.items.peekFirst(),
            b.items.peekFirst()));
    private final ArrayDeque<Run> spare = new ArrayDeque<>();
    private Run tail;
    private int size;

    void add(Pending e) {
        if (tail == null || e.ts < tail.lastTs) {
            tail = spare.isEmpty() ? new Run() : spare.pop();
        }
        tail.items.addLast(e);
        tail.lastTs = e.ts;
        if (!tail.inHeap) {
            tail.inHeap = true;
            heads.add(tail);
        }
        size++;
    }

    Pending peek() {
        Run r = heads.peek();
        return r == null ? null : r.items.peekFirst();
    }

    Pending poll() {
        Run r = heads.poll();
        if (r == null) {
            return null;
        }
        Pending e = r.items.pollFirst();
        size--;
        if (!r.items.isEmpty()) {
            heads.add(r);
        } else {
            r.inHeap = false;
            if (r != tail) {
                r.lastTs = Long.MIN_VALUE;
                if (spare.size() < 64) {
                    spare.push(r);
                }
            }
        }
        return e;
    }

    int size() {
        return size;
    }

    void clear() {
        heads.clear();
        tail = null;
        size = 0;
    }
}
