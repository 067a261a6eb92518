package io.mbscope.tracecompass.analysis;

import java.nio.file.Paths;
import java.util.Objects;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/** Per-inode extents and preallocations alive over time ({@link AllocationStateProvider}). */
public class AllocationAnalysisModule extends TmfStateSystemAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.allocation";

    @Override
    protected ITmfStateProvider createStateProvider() {
        ITmfTrace trace = Objects.requireNonNull(getTrace());
        return new AllocationStateProvider(trace, geometry(trace));
    }

    static CaptureStart geometry(ITmfTrace trace) {
        String path = trace.getPath();
        return path == null ? CaptureStart.UNKNOWN : CaptureStart.forCapture(Paths.get(path));
    }
}
