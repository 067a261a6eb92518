package io.mbscope.tracecompass.trace;

import io.mbscope.parsers.event.TraceEvent;
import org.eclipse.tracecompass.tmf.core.event.ITmfEventField;
import org.eclipse.tracecompass.tmf.core.event.ITmfEventType;
import org.eclipse.tracecompass.tmf.core.event.TmfEvent;
import org.eclipse.tracecompass.tmf.core.timestamp.ITmfTimestamp;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * A Trace Compass event that also carries the parsers' typed record, so state providers
 * pattern-match on {@link TraceEvent} subtypes instead of looking fields up by name.
 */
public class MbEvent extends TmfEvent {
    private final TraceEvent traceEvent;

    public MbEvent(ITmfTrace trace, long rank, ITmfTimestamp ts, ITmfEventType type, ITmfEventField content,
                   TraceEvent traceEvent) {
        super(trace, rank, ts, type, content);
        this.traceEvent = traceEvent;
    }

    public TraceEvent traceEvent() {
        return traceEvent;
    }

    public int cpu() {
        return traceEvent.cpu();
    }

    // equals/hashCode of TmfEvent (trace, rank, timestamp, type, content) identify the event already
    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
