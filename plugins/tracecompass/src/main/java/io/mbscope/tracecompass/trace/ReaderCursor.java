package io.mbscope.tracecompass.trace;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One forward-only {@link TraceReader} and the rank of the event it will return next. The parsers
 * stream (memory does not grow with the trace), so a seek backwards reopens the file and a seek
 * forwards skips events; {@link CursorPool} keeps a few cursors at different ranks so that the event
 * table, the indexer and the analyses do not restart each other's readers.
 */
final class ReaderCursor {
    private final ReaderSource source;
    private TraceReader reader;
    private long nextRank;
    long lastUse;

    ReaderCursor(ReaderSource source) {
        this.source = source;
    }

    long nextRank() {
        return reader == null ? 0 : nextRank;
    }

    boolean isOpen() {
        return reader != null;
    }

    /** The event of the given rank, or null past the end. */
    TraceEvent read(long rank) throws IOException {
        if (reader == null || nextRank > rank) {
            close();
            reader = source.open();
            nextRank = 0;
        }
        while (nextRank < rank) {
            if (reader.next() == null) {
                return null;
            }
            nextRank++;
        }
        TraceEvent e = reader.next();
        if (e != null) {
            nextRank++;
        }
        return e;
    }

    void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                reader = null;
            }
        }
    }

    /** Opens a fresh reader positioned before the first event. */
    @FunctionalInterface
    interface ReaderSource {
        TraceReader open() throws IOException;
    }
}
