package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.ReplayAnalysisModule;
import io.mbscope.tracecompass.analysis.ReplayStateProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/** XY series "allocations replayed so far: exact, or by class of the first divergence". */
public class ReplayVerdictsDataProvider extends CountSeriesDataProvider<ReplayAnalysisModule> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.replay";

    public ReplayVerdictsDataProvider(ITmfTrace trace, ReplayAnalysisModule module) {
        super(trace, module, ReplayStateProvider.VERDICTS, "replayed allocations");
    }

    public static ReplayVerdictsDataProvider create(ITmfTrace trace) {
        ReplayAnalysisModule m = TmfTraceUtils.getAnalysisModuleOfClass(trace, ReplayAnalysisModule.class,
                ReplayAnalysisModule.ID);
        if (m == null) {
            return null;
        }
        m.schedule();
        return new ReplayVerdictsDataProvider(trace, m);
    }

    @Override
    public String getId() {
        return ID;
    }
}
