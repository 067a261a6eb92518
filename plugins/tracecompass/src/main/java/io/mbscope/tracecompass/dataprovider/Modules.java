package io.mbscope.tracecompass.dataprovider;

import org.eclipse.tracecompass.tmf.core.analysis.IAnalysisModule;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/** Finding a trace's analysis for a data provider. */
final class Modules {
    private Modules() {
    }

    /** The trace's analysis of that class and id, scheduled (a no-op when it ran); null if the trace has none. */
    static <M extends IAnalysisModule> M scheduled(ITmfTrace trace, Class<M> type, String id) {
        M m = TmfTraceUtils.getAnalysisModuleOfClass(trace, type, id);
        if (m != null) {
            m.schedule();
        }
        return m;
    }
}
