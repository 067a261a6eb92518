package io.mbscope.parsers;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.Closeable;
import java.io.IOException;

/**
 * A pull reader over one trace: events come out merged across CPUs in timestamp order, typed
 * where mbscope knows the event and as {@link TraceEvent.Generic} otherwise. Memory does not grow
 * with the length of the trace.
 */
public interface TraceReader extends Closeable {

    /** Header facts; available as soon as the reader is open. */
    TraceInfo info();

    /** The tracepoint formats the trace carries (or that were supplied for a text trace). */
    FormatRegistry formats();

    /** The next event in timestamp order, or null at the end of the trace. */
    TraceEvent next() throws IOException;

    /** Counts of events read, lost and skipped so far. */
    ReadStats stats();
}
