package io.mbscope.tracecompass.table;

import io.mbscope.tracecompass.trace.MbEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.tracecompass.analysis.timing.core.segmentstore.AbstractSegmentStoreAnalysisEventBasedModule;
import org.eclipse.tracecompass.common.core.log.TraceCompassLog;
import org.eclipse.tracecompass.segmentstore.core.ISegment;
import org.eclipse.tracecompass.segmentstore.core.ISegmentStore;
import org.eclipse.tracecompass.segmentstore.core.SegmentStoreFactory.SegmentStoreType;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.segment.ISegmentAspect;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * A segment-store analysis whose segments are {@link TableRow}s: Trace Compass's segment store
 * table view shows it like the built-in latency tables (sorting, filter, TSV export, selection
 * sync). Rows stay in memory: there are as many as allocations or atomic writes, not events.
 */
public abstract class RowsAnalysisModule extends AbstractSegmentStoreAnalysisEventBasedModule {
    private static final Logger LOG = TraceCompassLog.getLogger(RowsAnalysisModule.class);
    private volatile String problem = "";
    private final List<Column> columns;

    /** @param columns the columns after start, end and duration */
    protected RowsAnalysisModule(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** A fresh row source for the trace (called once per run of the analysis). */
    protected abstract RowSource rowSource(ITmfTrace trace);

    @Override
    public Iterable<ISegmentAspect> getSegmentAspects() {
        return List.copyOf(columns);
    }

    /** Stable: rows with the same start keep their order (a verdict's fields stay in model order). */
    @Override
    protected SegmentStoreType getSegmentStoreType() {
        return SegmentStoreType.Stable;
    }

    /** Why the last run gave no rows for a reason other than the trace ("" if none). */
    public String problem() {
        return problem;
    }

    /** Records why the rows are missing or partial; shown in the analysis' properties and logged. */
    protected void setProblem(String why) {
        problem = why;
        LOG.warning(getId() + ": " + why);
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new LinkedHashMap<>(super.getProperties());
        if (!problem.isEmpty()) {
            p.put("Problem", problem);
        }
        return p;
    }

    @Override
    protected AbstractSegmentStoreAnalysisRequest createAnalysisRequest(ISegmentStore<ISegment> store,
            IProgressMonitor monitor) {
        problem = "";
        RowSource source = rowSource(Objects.requireNonNull(getTrace()));
        return new AbstractSegmentStoreAnalysisRequest(store) {
            private boolean failed;

            @Override
            public void handleData(ITmfEvent event) {
                super.handleData(event);
                if (failed || !(event instanceof MbEvent e)) {
                    return;
                }
                // an exception here would kill TC's request thread and hang every waiting view
                try {
                    source.accept(e, store::add);
                } catch (RuntimeException x) {
                    failed = true;
                    setProblem("stopped at " + e.traceEvent() + ": " + x);
                }
            }

            @Override
            public void handleSuccess() {
                if (!failed) {
                    try {
                        source.finish(store::add);
                    } catch (RuntimeException x) {
                        setProblem("finish: " + x);
                    }
                }
                super.handleSuccess();
            }
        };
    }
}
