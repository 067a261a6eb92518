package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.dataprovider.ReplayVerdictsDataProvider;

/** Replayed allocations so far: exact, and per class of divergence from the kernel. */
public class ReplayVerdictsView extends MbXYView {
    public static final String ID = "io.mbscope.tracecompass.views.replay";

    public ReplayVerdictsView() {
        super("ext4 replay verdicts", "allocations", ReplayVerdictsDataProvider.ID);
    }
}
