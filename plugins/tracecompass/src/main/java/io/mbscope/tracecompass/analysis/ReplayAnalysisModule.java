package io.mbscope.tracecompass.analysis;

import java.util.Objects;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;

/** Replay verdicts over time ({@link ReplayStateProvider}). */
public class ReplayAnalysisModule extends TmfStateSystemAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.replay";

    @Override
    protected ITmfStateProvider createStateProvider() {
        return new ReplayStateProvider(Objects.requireNonNull(getTrace()));
    }
}
