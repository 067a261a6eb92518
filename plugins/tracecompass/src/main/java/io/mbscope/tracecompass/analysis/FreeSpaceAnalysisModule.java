package io.mbscope.tracecompass.analysis;

import java.util.Objects;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/** Free clusters per block group over time ({@link FreeSpaceStateProvider}). */
public class FreeSpaceAnalysisModule extends TmfStateSystemAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.freespace";

    @Override
    protected ITmfStateProvider createStateProvider() {
        ITmfTrace trace = Objects.requireNonNull(getTrace());
        return new FreeSpaceStateProvider(trace, AllocationAnalysisModule.geometry(trace));
    }
}
