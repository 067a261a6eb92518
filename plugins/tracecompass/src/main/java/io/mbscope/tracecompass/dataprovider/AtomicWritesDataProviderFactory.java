package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule;
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

/** Registered under org.eclipse.tracecompass.tmf.core.dataprovider with id {@link AtomicWritesDataProvider#ID}. */
@SuppressWarnings("restriction")
public class AtomicWritesDataProviderFactory implements IDataProviderFactory {
    private static final IDataProviderDescriptor DESCRIPTOR = new DataProviderDescriptor.Builder()
            .setId(AtomicWritesDataProvider.ID).setName("ext4 atomic writes")
            .setDescription("RWF_ATOMIC writes per outcome over time (mbscope)")
            .setProviderType(ProviderType.TREE_TIME_XY).build();

    @Override
    public ITmfTreeDataProvider<? extends ITmfTreeDataModel> createProvider(ITmfTrace trace) {
        Collection<ITmfTrace> traces = TmfTraceManager.getTraceSet(trace);
        if (traces.size() == 1) {
            return AtomicWritesDataProvider.create(trace);
        }
        return TmfTreeXYCompositeDataProvider.create(traces, "ext4 atomic writes", AtomicWritesDataProvider.ID);
    }

    @Override
    public Collection<IDataProviderDescriptor> getDescriptors(ITmfTrace trace) {
        return TmfTraceUtils.getAnalysisModuleOfClass(trace, AtomicWritesAnalysisModule.class,
                AtomicWritesAnalysisModule.ID) != null ? List.of(DESCRIPTOR) : List.of();
    }
}
