package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule;
import io.mbscope.tracecompass.analysis.AtomicWritesStateProvider;
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
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/** XY series "RWF_ATOMIC writes so far, per outcome (ok, EINVAL, ...)". */
@SuppressWarnings("restriction")
public class AtomicWritesDataProvider extends AbstractTreeCommonXDataProvider<AtomicWritesAnalysisModule, TmfTreeDataModel> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.atomic";

    public AtomicWritesDataProvider(ITmfTrace trace, AtomicWritesAnalysisModule module) {
        super(trace, module);
    }

    public static AtomicWritesDataProvider create(ITmfTrace trace) {
        AtomicWritesAnalysisModule m = TmfTraceUtils.getAnalysisModuleOfClass(trace, AtomicWritesAnalysisModule.class,
                AtomicWritesAnalysisModule.ID);
        if (m == null) {
            return null;
        }
        m.schedule();
        return new AtomicWritesDataProvider(trace, m);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    protected String getTitle() {
        return "RWF_ATOMIC writes";
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
        entries.add(new TmfTreeDataModel(rootId, -1, List.of(getTrace().getName() + " (RWF_ATOMIC writes so far)")));
        for (int q : ss.getQuarks(AtomicWritesStateProvider.OUTCOMES, "*")) {
            entries.add(new TmfTreeDataModel(getId(q), rootId, List.of(ss.getAttributeName(q))));
        }
        return new TmfTreeModel<>(List.of("Outcome"), entries);
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
