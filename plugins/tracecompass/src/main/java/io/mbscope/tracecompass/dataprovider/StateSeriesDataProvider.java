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
import org.eclipse.tracecompass.tmf.core.statesystem.TmfStateSystemAnalysisModule;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * XY series read straight from numeric state-system attributes: one series per attribute, its
 * value at each requested time. TC 6.2 has no public base class for state-system XY providers;
 * AbstractTreeCommonXDataProvider is an x-friends internal one that Equinox's default resolver
 * lets us use (and the built-in views use it).
 */
@SuppressWarnings("restriction")
public abstract class StateSeriesDataProvider<A extends TmfStateSystemAnalysisModule>
        extends AbstractTreeCommonXDataProvider<A, TmfTreeDataModel> {

    protected StateSeriesDataProvider(ITmfTrace trace, A module) {
        super(trace, module);
    }

    /** The attributes shown as series, in tree order. */
    protected abstract List<Integer> seriesQuarks(ITmfStateSystem ss) throws StateSystemDisposedException;

    /** The tree's root line. */
    protected abstract String rootLabel(ITmfStateSystem ss) throws StateSystemDisposedException;

    /** A series' name in the tree and the legend. */
    protected String seriesName(ITmfStateSystem ss, int quark) {
        return ss.getAttributeName(quark);
    }

    /** The value before the attribute's first assignment. */
    protected double missingValue(ITmfStateSystem ss) throws StateSystemDisposedException {
        return 0;
    }

    @Override
    protected boolean isCacheable() {
        return true;
    }

    @Override
    protected TmfTreeModel<TmfTreeDataModel> getTree(ITmfStateSystem ss, Map<String, Object> params,
            IProgressMonitor monitor) throws StateSystemDisposedException {
        List<TmfTreeDataModel> entries = new ArrayList<>();
        long rootId = getId(ITmfStateSystem.ROOT_ATTRIBUTE);
        entries.add(new TmfTreeDataModel(rootId, -1, List.of(rootLabel(ss))));
        for (int q : seriesQuarks(ss)) {
            entries.add(new TmfTreeDataModel(getId(q), rootId, List.of(seriesName(ss, q))));
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
        double missing = missingValue(ss);
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
                y[i] = iv.getValue() instanceof Number n ? n.doubleValue() : missing;
            }
            out.add(new YModel(e.getKey(), seriesName(ss, q), y));
        }
        return out;
    }
}
