package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.FreeSpaceAnalysisModule;
import io.mbscope.tracecompass.analysis.FreeSpaceStateProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/**
 * XY series "free clusters of each block group, and in total, over time". TC 6.2 has no public
 * base class for state-system XY providers; AbstractTreeCommonXDataProvider is an x-friends
 * internal one that Equinox's default resolver lets us use (and the built-in views use it).
 */
@SuppressWarnings("restriction")
public class FreeSpaceDataProvider extends AbstractTreeCommonXDataProvider<FreeSpaceAnalysisModule, TmfTreeDataModel> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.freespace";
    public static final String TOTAL_NAME = "all groups";

    public FreeSpaceDataProvider(ITmfTrace trace, FreeSpaceAnalysisModule module) {
        super(trace, module);
    }

    /** The provider for a trace, scheduling its analysis; null when the trace has no such analysis. */
    public static FreeSpaceDataProvider create(ITmfTrace trace) {
        FreeSpaceAnalysisModule m = TmfTraceUtils.getAnalysisModuleOfClass(trace, FreeSpaceAnalysisModule.class,
                FreeSpaceAnalysisModule.ID);
        if (m == null) {
            return null;
        }
        m.schedule();
        return new FreeSpaceDataProvider(trace, m);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    protected String getTitle() {
        return "ext4 free clusters";
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
        String unit = isAbsolute(ss) ? "free clusters" : "change of free clusters since the capture started";
        entries.add(new TmfTreeDataModel(rootId, -1, List.of(getTrace().getName() + " (" + unit + ")")));
        int total = ss.optQuarkAbsolute(FreeSpaceStateProvider.TOTAL);
        if (total != ITmfStateSystem.INVALID_ATTRIBUTE) {
            entries.add(new TmfTreeDataModel(getId(total), rootId, List.of(TOTAL_NAME)));
        }
        List<Integer> groups = new ArrayList<>(ss.getQuarks(FreeSpaceStateProvider.GROUPS, "*"));
        groups.sort(Comparator.comparingInt(q -> Integer.parseInt(ss.getAttributeName(q))));
        for (int q : groups) {
            entries.add(new TmfTreeDataModel(getId(q), rootId, List.of("group " + ss.getAttributeName(q))));
        }
        return new TmfTreeModel<>(List.of("Series"), entries);
    }

    private static boolean isAbsolute(ITmfStateSystem ss) throws StateSystemDisposedException {
        int q = ss.optQuarkAbsolute(FreeSpaceStateProvider.INFO, FreeSpaceStateProvider.ABSOLUTE);
        if (q == ITmfStateSystem.INVALID_ATTRIBUTE) {
            return false;
        }
        // set once at the first event; queryOngoing would fail on a finished in-memory history
        Object v = ss.querySingleState(ss.getStartTime(), q).getValue();
        return v instanceof Integer i && i == 1;
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
        // in delta mode a group the trace has not touched yet has changed by 0
        double untouched = isAbsolute(ss) ? Double.NaN : 0;
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
                y[i] = iv.getValue() instanceof Number n ? n.doubleValue() : untouched;
            }
            String name = q == ss.optQuarkAbsolute(FreeSpaceStateProvider.TOTAL) ? TOTAL_NAME
                    : "group " + ss.getAttributeName(q);
            out.add(new YModel(e.getKey(), name, y));
        }
        return out;
    }
}
