package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.ReplayAnalysisModule;
import io.mbscope.tracecompass.analysis.ReplayStateProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/** XY series "allocations replayed so far: exact, or by class of the first divergence". */
public class ReplayVerdictsDataProvider extends CountSeriesDataProvider<ReplayAnalysisModule> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.replay";

    public ReplayVerdictsDataProvider(ITmfTrace trace, ReplayAnalysisModule module) {
        super(trace, module, ID, ReplayStateProvider.VERDICTS, "replayed allocations");
    }

    public static ReplayVerdictsDataProvider create(ITmfTrace trace) {
        ReplayAnalysisModule m = Modules.scheduled(trace, ReplayAnalysisModule.class, ReplayAnalysisModule.ID);
        return m == null ? null : new ReplayVerdictsDataProvider(trace, m);
    }
}
