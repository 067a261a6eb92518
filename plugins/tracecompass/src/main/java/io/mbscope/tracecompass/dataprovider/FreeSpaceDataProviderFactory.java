package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.FreeSpaceAnalysisModule;
import java.util.Collection;
import java.util.List;
import org.eclipse.tracecompass.internal.tmf.core.model.DataProviderDescriptor;
import org.eclipse.tracecompass.internal.tmf.core.model.xy.TmfTreeXYCompositeDataProvider;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor.ProviderType;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderFactory;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceManager;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/** Registered under org.eclipse.tracecompass.tmf.core.dataprovider with id {@link FreeSpaceDataProvider#ID}. */
@SuppressWarnings("restriction")
public class FreeSpaceDataProviderFactory implements IDataProviderFactory {
    private static final IDataProviderDescriptor DESCRIPTOR = new DataProviderDescriptor.Builder()
            .setId(FreeSpaceDataProvider.ID).setName("ext4 free space")
            .setDescription("Free clusters of every block group over time (mbscope)")
            .setProviderType(ProviderType.TREE_TIME_XY).build();

    @Override
    public ITmfTreeDataProvider<? extends ITmfTreeDataModel> createProvider(ITmfTrace trace) {
        Collection<ITmfTrace> traces = TmfTraceManager.getTraceSet(trace);
        if (traces.size() == 1) {
            return FreeSpaceDataProvider.create(trace);
        }
        return TmfTreeXYCompositeDataProvider.create(traces, "ext4 free space", FreeSpaceDataProvider.ID);
    }

    @Override
    public Collection<IDataProviderDescriptor> getDescriptors(ITmfTrace trace) {
        return TmfTraceUtils.getAnalysisModuleOfClass(trace, FreeSpaceAnalysisModule.class,
                FreeSpaceAnalysisModule.ID) != null ? List.of(DESCRIPTOR) : List.of();
    }
}
