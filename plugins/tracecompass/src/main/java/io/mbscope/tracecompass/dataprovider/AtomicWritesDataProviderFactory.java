package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule;

/** Registered with id {@link AtomicWritesDataProvider#ID}. */
public class AtomicWritesDataProviderFactory extends XYProviderFactory {
    public AtomicWritesDataProviderFactory() {
        super(AtomicWritesDataProvider.ID, "ext4 atomic writes", "RWF_ATOMIC writes so far, per outcome",
                AtomicWritesAnalysisModule.class, AtomicWritesAnalysisModule.ID, AtomicWritesDataProvider::create);
    }
}
