package io.mbscope.tracecompass.dataprovider;

import io.mbscope.tracecompass.analysis.ReplayAnalysisModule;

/** Registered with id {@link ReplayVerdictsDataProvider#ID}. */
public class ReplayVerdictsDataProviderFactory extends XYProviderFactory {
    public ReplayVerdictsDataProviderFactory() {
        super(ReplayVerdictsDataProvider.ID, "ext4 replay verdicts",
                "Allocations replayed through the mballoc model: exact or by divergence class",
                ReplayAnalysisModule.class, ReplayAnalysisModule.ID, ReplayVerdictsDataProvider::create);
    }
}
