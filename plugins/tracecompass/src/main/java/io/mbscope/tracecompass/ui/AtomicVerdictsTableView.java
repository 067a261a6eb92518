package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.table.AtomicVerdictsAnalysisModule;

/** One row per RWF_ATOMIC write: result, mainline prediction, placement, RFC what-if. */
public class AtomicVerdictsTableView extends RowsTableView {
    public static final String ID = "io.mbscope.tracecompass.views.atomicverdicts";

    public AtomicVerdictsTableView() {
        super(AtomicVerdictsAnalysisModule.class, AtomicVerdictsAnalysisModule.ID);
    }
}
