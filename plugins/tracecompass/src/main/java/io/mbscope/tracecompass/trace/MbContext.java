package io.mbscope.tracecompass.trace;

import org.eclipse.tracecompass.tmf.core.trace.TmfContext;
import org.eclipse.tracecompass.tmf.core.trace.location.TmfLongLocation;

/** A context owning a reader cursor; the location is the rank of the next event. */
final class MbContext extends TmfContext {
    private final CursorPool pool;
    final ReaderCursor cursor;

    MbContext(long rank, CursorPool pool) {
        super(new TmfLongLocation(rank), rank);
        this.pool = pool;
        this.cursor = pool.acquire(rank);
    }

    @Override
    public void dispose() {
        pool.release(cursor);
        super.dispose();
    }

    // identity of a context is its location and rank (TmfContext); the cursor is a cache
    @Override
    public boolean equals(Object obj) {
        return super.equals(obj);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
