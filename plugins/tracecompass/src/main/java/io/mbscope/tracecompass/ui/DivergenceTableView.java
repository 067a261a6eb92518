package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.table.DivergenceAnalysisModule;
import io.mbscope.tracecompass.table.DivergencesOnly;
import io.mbscope.tracecompass.table.RowsAnalysisModule;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.tracecompass.analysis.timing.core.segmentstore.ISegmentStoreProvider;

/**
 * One row per replay divergence (time of the request, inode, class, field, kernel and model values,
 * rule); "All verdicts" in the view's tool bar adds the exactly predicted allocations.
 */
public class DivergenceTableView extends RowsTableView {
    public static final String ID = "io.mbscope.tracecompass.views.divergences";
    private volatile boolean all;

    public DivergenceTableView() {
        super(DivergenceAnalysisModule.class, DivergenceAnalysisModule.ID);
    }

    @Override
    public void createPartControl(Composite parent) {
        super.createPartControl(parent);
        setPartName("ext4 replay divergences");
        Action toggle = new Action("All verdicts", IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                all = isChecked();
                refreshProvider();
            }
        };
        toggle.setToolTipText("Show the exactly predicted allocations too");
        getViewSite().getActionBars().getToolBarManager().add(toggle);
        getViewSite().getActionBars().updateActionBars();
    }

    @Override
    protected ISegmentStoreProvider provider(RowsAnalysisModule module) {
        return all ? module : new DivergencesOnly((DivergenceAnalysisModule) module);
    }
}
