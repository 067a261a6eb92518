package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AllocationAnalysisModule;
import io.mbscope.tracecompass.analysis.AllocationStateProvider;
import io.mbscope.tracecompass.analysis.AllocationStateProvider.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.tracecompass.internal.tmf.core.model.filters.FetchParametersUtils;
import org.eclipse.tracecompass.internal.tmf.core.model.timegraph.AbstractTimeGraphDataProvider;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.statesystem.core.exceptions.StateSystemDisposedException;
import org.eclipse.tracecompass.statesystem.core.interval.ITmfStateInterval;
import org.eclipse.tracecompass.tmf.core.dataprovider.DataProviderParameterUtils;
import org.eclipse.tracecompass.tmf.core.model.CommonStatusMessage;
import org.eclipse.tracecompass.tmf.core.model.IOutputStyleProvider;
import org.eclipse.tracecompass.tmf.core.model.OutputElementStyle;
import org.eclipse.tracecompass.tmf.core.model.OutputStyleModel;
import org.eclipse.tracecompass.tmf.core.model.StyleProperties;
import org.eclipse.tracecompass.tmf.core.model.filters.SelectionTimeQueryFilter;
import org.eclipse.tracecompass.tmf.core.model.timegraph.ITimeGraphArrow;
import org.eclipse.tracecompass.tmf.core.model.timegraph.ITimeGraphRowModel;
import org.eclipse.tracecompass.tmf.core.model.timegraph.ITimeGraphState;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphEntryModel;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphModel;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphRowModel;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphState;
import org.eclipse.tracecompass.tmf.core.model.tree.TmfTreeModel;
import org.eclipse.tracecompass.tmf.core.response.ITmfResponse;
import org.eclipse.tracecompass.tmf.core.response.TmfModelResponse;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Time graph: one row per inode (and one for the locality-group PAs); a state is a stretch of
 * time during which the inode's blocks and PAs did not change, labelled with its extent count,
 * data blocks and free PA clusters, coloured by whether a PA was alive.
 */
@SuppressWarnings("restriction")
public class AllocationTimelineDataProvider
        extends AbstractTimeGraphDataProvider<AllocationAnalysisModule, TimeGraphEntryModel>
        implements IOutputStyleProvider {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.allocation";

    /** Style per {@link Kind}: name and colour shown in the legend. */
    static final Map<String, OutputElementStyle> STYLES = new LinkedHashMap<>();

    static {
        style(Kind.DATA, "data extents", "#4a7ab5");
        style(Kind.DATA_AND_PA, "data extents + inode PA", "#e08a2c");
        style(Kind.PA_ONLY, "inode PA only", "#f2c14e");
        style(Kind.META, "metadata blocks only", "#8c8c8c");
        style(Kind.GROUP_PA, "locality-group PAs", "#5aa65a");
    }

    private static void style(Kind k, String name, String color) {
        Map<String, Object> v = new HashMap<>();
        v.put(StyleProperties.STYLE_NAME, name);
        v.put(StyleProperties.BACKGROUND_COLOR, color);
        v.put(StyleProperties.HEIGHT, 1.0f);
        v.put(StyleProperties.OPACITY, 1.0f);
        STYLES.put(k.name(), new OutputElementStyle(null, v));
    }

    public AllocationTimelineDataProvider(ITmfTrace trace, AllocationAnalysisModule module) {
        super(trace, module);
    }

    public static AllocationTimelineDataProvider create(ITmfTrace trace) {
        AllocationAnalysisModule m = Modules.scheduled(trace, AllocationAnalysisModule.class, AllocationAnalysisModule.ID);
        return m == null ? null : new AllocationTimelineDataProvider(trace, m);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    protected boolean isCacheable() {
        return true;
    }

    @Override
    protected TmfTreeModel<TimeGraphEntryModel> getTree(ITmfStateSystem ss, Map<String, Object> params,
            IProgressMonitor monitor) throws StateSystemDisposedException {
        long start = ss.getStartTime();
        long end = ss.getCurrentEndTime();
        List<TimeGraphEntryModel> entries = new ArrayList<>();
        long rootId = getId(ITmfStateSystem.ROOT_ATTRIBUTE);
        entries.add(new TimeGraphEntryModel(rootId, -1, getTrace().getName(), start, end, false));
        int group = ss.optQuarkAbsolute(AllocationStateProvider.GROUP_PAS);
        if (group != ITmfStateSystem.INVALID_ATTRIBUTE) {
            entries.add(new TimeGraphEntryModel(getId(group), rootId, "locality-group PAs", start, end, true));
        }
        List<Integer> inodes = new ArrayList<>(ss.getQuarks(AllocationStateProvider.INODES, "*"));
        inodes.sort(Comparator.comparingLong(q -> Long.parseLong(ss.getAttributeName(q))));
        for (int q : inodes) {
            entries.add(new TimeGraphEntryModel(getId(q), rootId, "inode " + ss.getAttributeName(q), start, end, true));
        }
        return new TmfTreeModel<>(List.of("Inode"), entries);
    }

    @Override
    protected TimeGraphModel getRowModel(ITmfStateSystem ss, Map<String, Object> params, IProgressMonitor monitor)
            throws StateSystemDisposedException {
        SelectionTimeQueryFilter filter = FetchParametersUtils.createSelectionTimeQuery(params);
        if (filter == null) {
            return null;
        }
        Map<Long, Integer> selected = getSelectedEntries(filter);
        Map<Integer, Long> idOf = new HashMap<>();
        Map<Integer, List<ITimeGraphState>> states = new HashMap<>();
        for (Map.Entry<Long, Integer> e : selected.entrySet()) {
            if (e.getValue() != ITmfStateSystem.ROOT_ATTRIBUTE) {
                idOf.put(e.getValue(), e.getKey());
                states.put(e.getValue(), new ArrayList<>());
            }
        }
        long start = Math.max(filter.getStart(), ss.getStartTime());
        long end = Math.min(filter.getEnd(), ss.getCurrentEndTime());
        if (states.isEmpty() || start > end) {
            return new TimeGraphModel(List.of());
        }
        for (ITmfStateInterval iv : ss.query2D(states.keySet(), start, end)) {
            if (monitor != null && monitor.isCanceled()) {
                return null;
            }
            if (!(iv.getValue() instanceof String label)) {
                continue; // the inode held nothing then: leave the row empty
            }
            long s = iv.getStartTime();
            long d = iv.getEndTime() - s + 1;
            states.get(iv.getAttribute()).add(new TimeGraphState(s, d, label,
                    new OutputElementStyle(Kind.of(label).name())));
        }
        List<ITimeGraphRowModel> rows = new ArrayList<>();
        for (Map.Entry<Integer, List<ITimeGraphState>> e : states.entrySet()) {
            List<ITimeGraphState> l = e.getValue();
            l.sort(Comparator.comparingLong(ITimeGraphState::getStartTime));
            rows.add(new TimeGraphRowModel(idOf.get(e.getKey()), l));
        }
        return new TimeGraphModel(rows);
    }

    @Override
    public TmfModelResponse<List<ITimeGraphArrow>> fetchArrows(Map<String, Object> params, IProgressMonitor monitor) {
        return new TmfModelResponse<>(List.of(), ITmfResponse.Status.COMPLETED, CommonStatusMessage.COMPLETED);
    }

    @Override
    public TmfModelResponse<Map<String, String>> fetchTooltip(Map<String, Object> params, IProgressMonitor monitor) {
        ITmfStateSystem ss = getAnalysisModule().getStateSystem();
        List<Long> times = DataProviderParameterUtils.extractTimeRequested(params);
        List<Long> items = DataProviderParameterUtils.extractSelectedItems(params);
        if (ss == null || times == null || times.isEmpty() || items == null || items.isEmpty()) {
            return new TmfModelResponse<>(Map.of(), ITmfResponse.Status.COMPLETED, CommonStatusMessage.COMPLETED);
        }
        long t = times.get(0);
        Map<String, String> tip = new LinkedHashMap<>();
        try {
            for (int q : getSelectedEntries(items).values()) {
                if (q == ITmfStateSystem.ROOT_ATTRIBUTE || t < ss.getStartTime() || t > ss.getCurrentEndTime()) {
                    continue;
                }
                put(tip, ss, t, q, AllocationStateProvider.EXTENTS, "extents");
                put(tip, ss, t, q, AllocationStateProvider.BLOCKS, "data blocks");
                put(tip, ss, t, q, AllocationStateProvider.META, "metadata blocks");
                put(tip, ss, t, q, AllocationStateProvider.PA_COUNT, "PAs");
                put(tip, ss, t, q, AllocationStateProvider.PA_FREE, "free PA clusters");
            }
        } catch (StateSystemDisposedException e) {
            return new TmfModelResponse<>(null, ITmfResponse.Status.FAILED, CommonStatusMessage.STATE_SYSTEM_FAILED);
        }
        return new TmfModelResponse<>(tip, ITmfResponse.Status.COMPLETED, CommonStatusMessage.COMPLETED);
    }

    private static void put(Map<String, String> tip, ITmfStateSystem ss, long t, int q, String attr, String label)
            throws StateSystemDisposedException {
        int sub = ss.optQuarkRelative(q, attr);
        if (sub != ITmfStateSystem.INVALID_ATTRIBUTE) {
            Object v = ss.querySingleState(t, sub).getValue();
            if (v != null) {
                tip.put(label, v.toString());
            }
        }
    }

    @Override
    public TmfModelResponse<OutputStyleModel> fetchStyle(Map<String, Object> params, IProgressMonitor monitor) {
        return new TmfModelResponse<>(new OutputStyleModel(STYLES), ITmfResponse.Status.COMPLETED,
                CommonStatusMessage.COMPLETED);
    }
}
