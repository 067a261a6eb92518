package io.mbscope.tracecompass.dataprovider;

import java.util.Collection;
import java.util.function.Function;
import org.eclipse.tracecompass.internal.tmf.core.model.xy.TmfTreeXYCompositeDataProvider;
import org.eclipse.tracecompass.tmf.core.analysis.IAnalysisModule;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor.ProviderType;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.tree.ITmfTreeDataProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceManager;

/** An XY provider factory: our provider for one trace, TC's composite of them for an experiment. */
@SuppressWarnings("restriction")
abstract class XYProviderFactory extends ProviderFactory {
    private final Function<ITmfTrace, ? extends ITmfTreeDataProvider<? extends ITmfTreeDataModel>> single;

    XYProviderFactory(String id, String name, String description, Class<? extends IAnalysisModule> module,
                      String moduleId, Function<ITmfTrace, ? extends ITmfTreeDataProvider<? extends ITmfTreeDataModel>> single) {
        super(id, name, description, ProviderType.TREE_TIME_XY, module, moduleId);
        this.single = single;
    }

    @Override
    public ITmfTreeDataProvider<? extends ITmfTreeDataModel> createProvider(ITmfTrace trace) {
        Collection<ITmfTrace> traces = TmfTraceManager.getTraceSet(trace);
        if (traces.size() == 1) {
            return single.apply(trace);
        }
        return TmfTreeXYCompositeDataProvider.create(traces, name(), id());
    }
}
