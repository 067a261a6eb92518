package io.mbscope.tracecompass.dataprovider;

import java.util.List;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * XY series of running counts kept under one state-system path ({@code <path>/<name>} = count so
 * far): one series per name, 0 before its first count.
 */
public abstract class CountSeriesDataProvider<A extends TmfStateSystemAnalysisModule>
        extends StateSeriesDataProvider<A> {
    private final String id;
    private final String path;
    private final String what;

    protected CountSeriesDataProvider(ITmfTrace trace, A module, String id, String path, String what) {
        super(trace, module);
        this.id = id;
        this.path = path;
        this.what = what;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    protected String getTitle() {
        return what;
    }

    @Override
    protected List<Integer> seriesQuarks(ITmfStateSystem ss) {
        return ss.getQuarks(path, "*");
    }

    @Override
    protected String rootLabel(ITmfStateSystem ss) {
        return getTrace().getName() + " (" + what + " so far)";
    }
}
