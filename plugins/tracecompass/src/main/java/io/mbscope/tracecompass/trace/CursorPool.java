package io.mbscope.tracecompass.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Cursors of one trace. A context takes the idle cursor closest below the rank it wants (or a new
 * one) and gives it back when Trace Compass disposes the context. At most {@code max} readers stay
 * open: past that the least recently used cursor is closed, and reopens on its own if its context
 * is used again, so a context that is never disposed cannot leak a file handle for long.
 */
final class CursorPool {
    private final ReaderCursor.ReaderSource source;
    private final int max;
    private final List<ReaderCursor> idle = new ArrayList<>();
    private final List<ReaderCursor> all = new ArrayList<>();
    private long clock;

    CursorPool(ReaderCursor.ReaderSource source, int max) {
        this.source = source;
        this.max = max;
    }

    synchronized ReaderCursor acquire(long rank) {
        ReaderCursor best = null;
        for (ReaderCursor c : idle) {
            if (c.isOpen() && c.nextRank() <= rank && (best == null || c.nextRank() > best.nextRank())) {
                best = c;
            }
        }
        if (best == null && !idle.isEmpty()) {
            best = idle.get(0);
        }
        if (best != null) {
            idle.remove(best);
        } else {
            best = new ReaderCursor(source);
            all.add(best);
        }
        touch(best);
        return best;
    }

    synchronized void release(ReaderCursor c) {
        if (all.contains(c) && !idle.contains(c)) {
            idle.add(c);
        }
    }

    /** Marks a cursor used and closes the least recently used readers beyond the limit. */
    synchronized void touch(ReaderCursor c) {
        c.lastUse = ++clock;
        long open = all.stream().filter(ReaderCursor::isOpen).count();
        while (open > max) {
            ReaderCursor lru = null;
            for (ReaderCursor x : all) {
                if (x != c && x.isOpen() && (lru == null || x.lastUse < lru.lastUse)) {
                    lru = x;
                }
            }
            if (lru == null) {
                break;
            }
            lru.close();
            if (idle.remove(lru)) {
                all.remove(lru);
            }
            open--;
        }
    }

    synchronized int openReaders() {
        return (int) all.stream().filter(ReaderCursor::isOpen).count();
    }

    synchronized void closeAll() {
        for (ReaderCursor c : all) {
            c.close();
        }
        idle.clear();
        all.clear();
    }
}
