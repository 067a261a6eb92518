package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.FreeSpaceAnalysisModule;

/** Registered with id {@link FreeSpaceDataProvider#ID}. */
public class FreeSpaceDataProviderFactory extends XYProviderFactory {
    public FreeSpaceDataProviderFactory() {
        super(FreeSpaceDataProvider.ID, "ext4 free space", "Free clusters of every block group over time",
                FreeSpaceAnalysisModule.class, FreeSpaceAnalysisModule.ID, FreeSpaceDataProvider::create);
    }
}
