package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AllocationAnalysisModule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.tracecompass.internal.tmf.core.model.timegraph.TmfTimeGraphCompositeDataProvider;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor.ProviderType;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphEntryModel;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceManager;

/** Registered with id {@link AllocationTimelineDataProvider#ID}. */
@SuppressWarnings("restriction")
public class AllocationTimelineDataProviderFactory extends ProviderFactory {
    public AllocationTimelineDataProviderFactory() {
        super(AllocationTimelineDataProvider.ID, "ext4 allocation timeline", "Extents and preallocations alive per inode",
                ProviderType.TIME_GRAPH, AllocationAnalysisModule.class, AllocationAnalysisModule.ID);
    }

    @Override
    public ITmfTreeDataProvider<? extends ITmfTreeDataModel> createProvider(ITmfTrace trace) {
        Collection<ITmfTrace> traces = TmfTraceManager.getTraceSet(trace);
        if (traces.size() == 1) {
            return AllocationTimelineDataProvider.create(trace);
        }
        List<AllocationTimelineDataProvider> providers = new ArrayList<>();
        for (ITmfTrace t : traces) {
            AllocationTimelineDataProvider p = AllocationTimelineDataProvider.create(t);
            if (p != null) {
                providers.add(p);
            }
        }
        return providers.isEmpty() ? null
                : new TmfTimeGraphCompositeDataProvider<TimeGraphEntryModel, AllocationTimelineDataProvider>(providers, id());
    }
}
