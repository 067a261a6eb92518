package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.FreeSpaceAnalysisModule;
import io.mbscope.tracecompass.analysis.FreeSpaceStateProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.statesystem.core.exceptions.StateSystemDisposedException;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/** XY series "free clusters of each block group, and in total, over time". */
public class FreeSpaceDataProvider extends StateSeriesDataProvider<FreeSpaceAnalysisModule> {
    public static final String ID = "io.mbscope.tracecompass.dataprovider.freespace";
    public static final String TOTAL_NAME = "all groups";

    public FreeSpaceDataProvider(ITmfTrace trace, FreeSpaceAnalysisModule module) {
        super(trace, module);
    }

    /** The provider for a trace, scheduling its analysis; null when the trace has no such analysis. */
    public static FreeSpaceDataProvider create(ITmfTrace trace) {
        FreeSpaceAnalysisModule m = Modules.scheduled(trace, FreeSpaceAnalysisModule.class, FreeSpaceAnalysisModule.ID);
        return m == null ? null : new FreeSpaceDataProvider(trace, m);
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
    protected String rootLabel(ITmfStateSystem ss) throws StateSystemDisposedException {
        String unit = isAbsolute(ss) ? "free clusters" : "change of free clusters since the capture started";
        return getTrace().getName() + " (" + unit + ")";
    }

    @Override
    protected List<Integer> seriesQuarks(ITmfStateSystem ss) {
        List<Integer> out = new ArrayList<>();
        int total = ss.optQuarkAbsolute(FreeSpaceStateProvider.TOTAL);
        if (total != ITmfStateSystem.INVALID_ATTRIBUTE) {
            out.add(total);
        }
        List<Integer> groups = new ArrayList<>(ss.getQuarks(FreeSpaceStateProvider.GROUPS, "*"));
        groups.sort(Comparator.comparingInt(q -> Integer.parseInt(ss.getAttributeName(q))));
        out.addAll(groups);
        return out;
    }

    @Override
    protected String seriesName(ITmfStateSystem ss, int quark) {
        return quark == ss.optQuarkAbsolute(FreeSpaceStateProvider.TOTAL) ? TOTAL_NAME
                : "group " + ss.getAttributeName(quark);
    }

    /** In delta mode a group the trace has not touched yet has changed by 0; absolute: unknown. */
    @Override
    protected double missingValue(ITmfStateSystem ss) throws StateSystemDisposedException {
        return isAbsolute(ss) ? Double.NaN : 0;
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
}
