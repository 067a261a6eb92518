package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule;
import io.mbscope.tracecompass.analysis.AtomicWritesStateProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/** XY series "RWF_ATOMIC writes so far, per outcome (ok, EINVAL, ...)". */
public class AtomicWritesDataProvider extends CountSeriesDataProvider<AtomicWritesAnalysisModule> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.atomic";

    public AtomicWritesDataProvider(ITmfTrace trace, AtomicWritesAnalysisModule module) {
        super(trace, module, ID, AtomicWritesStateProvider.OUTCOMES, "RWF_ATOMIC writes");
    }

    public static AtomicWritesDataProvider create(ITmfTrace trace) {
        AtomicWritesAnalysisModule m = Modules.scheduled(trace, AtomicWritesAnalysisModule.class, AtomicWritesAnalysisModule.ID);
        return m == null ? null : new AtomicWritesDataProvider(trace, m);
    }
}
