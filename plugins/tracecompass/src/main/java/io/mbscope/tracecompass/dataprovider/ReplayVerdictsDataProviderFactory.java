package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.ReplayAnalysisModule;
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

/** Registered under org.eclipse.tracecompass.tmf.core.dataprovider with id {@link ReplayVerdictsDataProvider#ID}. */
@SuppressWarnings("restriction")
public class ReplayVerdictsDataProviderFactory implements IDataProviderFactory {
    private static final IDataProviderDescriptor DESCRIPTOR = new DataProviderDescriptor.Builder()
            .setId(ReplayVerdictsDataProvider.ID).setName("ext4 replay verdicts")
            .setDescription("Allocations replayed through the mballoc model: exact or by divergence class (mbscope)")
            .setProviderType(ProviderType.TREE_TIME_XY).build();

    @Override
    public ITmfTreeDataProvider<? extends ITmfTreeDataModel> createProvider(ITmfTrace trace) {
        Collection<ITmfTrace> traces = TmfTraceManager.getTraceSet(trace);
        if (traces.size() == 1) {
            return ReplayVerdictsDataProvider.create(trace);
        }
        return TmfTreeXYCompositeDataProvider.create(traces, "ext4 replay verdicts", ReplayVerdictsDataProvider.ID);
    }

    @Override
    public Collection<IDataProviderDescriptor> getDescriptors(ITmfTrace trace) {
        return TmfTraceUtils.getAnalysisModuleOfClass(trace, ReplayAnalysisModule.class,
                ReplayAnalysisModule.ID) != null ? List.of(DESCRIPTOR) : List.of();
    }
}
