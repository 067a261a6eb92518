package io.mbscope.tracecompass.dataprovider;

import java.util.Collection;
import java.util.List;
import org.eclipse.tracecompass.internal.tmf.core.model.DataProviderDescriptor;
import org.eclipse.tracecompass.tmf.core.analysis.IAnalysisModule;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderDescriptor.ProviderType;
import org.eclipse.tracecompass.tmf.core.dataprovider.IDataProviderFactory;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/**
 * Base of our factories registered under org.eclipse.tracecompass.tmf.core.dataprovider: the
 * provider is offered for the traces that have its analysis.
 */
@SuppressWarnings("restriction")
abstract class ProviderFactory implements IDataProviderFactory {
    private final IDataProviderDescriptor descriptor;
    private final Class<? extends IAnalysisModule> module;
    private final String moduleId;

    ProviderFactory(String id, String name, String description, ProviderType type,
                    Class<? extends IAnalysisModule> module, String moduleId) {
        this.descriptor = new DataProviderDescriptor.Builder().setId(id).setName(name)
                .setDescription(description + " (mbscope)").setProviderType(type).build();
        this.module = module;
        this.moduleId = moduleId;
    }

    String name() {
        return descriptor.getName();
    }

    String id() {
        return descriptor.getId();
    }

    @Override
    public Collection<IDataProviderDescriptor> getDescriptors(ITmfTrace trace) {
        return TmfTraceUtils.getAnalysisModuleOfClass(trace, module, moduleId) != null ? List.of(descriptor) : List.of();
    }
}
