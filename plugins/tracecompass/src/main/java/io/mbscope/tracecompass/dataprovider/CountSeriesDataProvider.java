package io.mbscope.tracecompass.dataprovider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.tracecompass.internal.tmf.core.model.filters.FetchParametersUtils;
import org.eclipse.tracecompass.internal.tmf.core.model.xy.AbstractTreeCommonXDataProvider;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.statesystem.core.exceptions.StateSystemDisposedException;
import org.eclipse.tracecompass.statesystem.core.interval.ITmfStateInterval;
import org.eclipse.tracecompass.tmf.core.model.YModel;
import org.eclipse.tracecompass.tmf.core.model.filters.SelectionTimeQueryFilter;
import org.eclipse.tracecompass.tmf.core.model.tree.TmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.tree.TmfTreeModel;
import org.eclipse.tracecompass.tmf.core.model.xy.IYModel;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;

/**
 * XY series of running counts kept under one state-system path ({@code <path>/<name>} = count so
 * far): one series per name, 0 before its first count.
 */
@SuppressWarnings("restriction")
public abstract class CountSeriesDataProvider<A extends TmfStateSystemAnalysisModule>
        extends AbstractTreeCommonXDataProvider<A, TmfTreeDataModel> {
    private final String path;
    private final String what;

    protected CountSeriesDataProvider(ITmfTrace trace, A module, String path, String what) {
        super(trace, module);
        this.path = path;
        this.what = what;
    }

    @Override
    protected String getTitle() {
        return what;
    }

    @Override
    protected boolean isCacheable() {
        return true;
    }

    @Override
    protected TmfTreeModel<TmfTreeDataModel> getTree(ITmfStateSystem ss, Map<String, Object> params,
            IProgressMonitor monitor) {
        List<TmfTreeDataModel> entries = new ArrayList<>();
        long rootId = getId(ITmfStateSystem.ROOT_ATTRIBUTE);
        entries.add(new TmfTreeDataModel(rootId, -1, List.of(getTrace().getName() + " (" + what + " so far)")));
        for (int q : ss.getQuarks(path, "*")) {
            entries.add(new TmfTreeDataModel(getId(q), rootId, List.of(ss.getAttributeName(q))));
        }
        return new TmfTreeModel<>(List.of("Series"), entries);
    }

    /** Abstract in TC 6.2 although deprecated; fetchXY calls {@link #getYSeriesModels}. */
    @Override
    @Deprecated
    protected Map<String, IYModel> getYModels(ITmfStateSystem ss, Map<String, Object> params, IProgressMonitor monitor)
            throws StateSystemDisposedException {
        Map<String, IYModel> out = new HashMap<>();
        for (IYModel m : getYSeriesModels(ss, params, monitor)) {
            out.put(m.getName(), m);
        }
        return out;
    }

    @Override
    protected Collection<IYModel> getYSeriesModels(ITmfStateSystem ss, Map<String, Object> params,
            IProgressMonitor monitor) throws StateSystemDisposedException {
        SelectionTimeQueryFilter filter = FetchParametersUtils.createSelectionTimeQuery(params);
        if (filter == null) {
            return List.of();
        }
        long[] x = filter.getTimesRequested();
        List<IYModel> out = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : getSelectedEntries(filter).entrySet()) {
            int q = e.getValue();
            if (q == ITmfStateSystem.ROOT_ATTRIBUTE) {
                continue;
            }
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                if (monitor != null && monitor.isCanceled()) {
                    return List.of();
                }
                long t = Math.max(ss.getStartTime(), Math.min(x[i], ss.getCurrentEndTime()));
                ITmfStateInterval iv = ss.querySingleState(t, q);
                y[i] = iv.getValue() instanceof Number n ? n.doubleValue() : 0;
            }
            out.add(new YModel(e.getKey(), ss.getAttributeName(q), y));
        }
        return out;
    }
}
