package io.mbscope.tracecompass.analysis;

import java.util.Objects;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;

/** RWF_ATOMIC write outcomes over time ({@link AtomicWritesStateProvider}). */
public class AtomicWritesAnalysisModule extends TmfStateSystemAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.atomic";

    @Override
    protected ITmfStateProvider createStateProvider() {
        return new AtomicWritesStateProvider(Objects.requireNonNull(getTrace()));
    }
}
