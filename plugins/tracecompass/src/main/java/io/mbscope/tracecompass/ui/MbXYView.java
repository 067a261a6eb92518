package io.mbscope.tracecompass.ui;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.tracecompass.tmf.ui.viewers.TmfViewer;
import org.eclipse.tracecompass.tmf.ui.viewers.tree.AbstractSelectTreeViewer2;
import org.eclipse.tracecompass.tmf.ui.viewers.tree.ITmfTreeColumnDataProvider;
import org.eclipse.tracecompass.tmf.ui.viewers.tree.ITmfTreeViewerEntry;
import org.eclipse.tracecompass.tmf.ui.viewers.tree.TmfTreeColumnData;
import org.eclipse.tracecompass.tmf.ui.viewers.xychart.TmfXYChartViewer;
import org.eclipse.tracecompass.tmf.ui.viewers.xychart.linechart.TmfFilteredXYChartViewer;
import org.eclipse.tracecompass.tmf.ui.viewers.xychart.linechart.TmfXYChartSettings;
import org.eclipse.tracecompass.tmf.ui.views.xychart.TmfChartView;

/** TC's standard XY layout for one of our data providers: series tree left, line chart right. */
public abstract class MbXYView extends TmfChartView {
    private final String title;
    private final String yTitle;
    private final String providerId;

    protected MbXYView(String title, String yTitle, String providerId) {
        super(title);
        this.title = title;
        this.yTitle = yTitle;
        this.providerId = providerId;
    }

    @Override
    protected TmfXYChartViewer createChartViewer(Composite parent) {
        return new TmfFilteredXYChartViewer(parent, new TmfXYChartSettings(title, "time", yTitle, 1), providerId);
    }

    @Override
    protected TmfViewer createLeftChildViewer(Composite parent) {
        return new AbstractSelectTreeViewer2(parent, 1, providerId) {
            @Override
            protected void contentChanged(ITmfTreeViewerEntry root) {
                super.contentChanged(root);
                // tick every series the first time: an empty chart would look like missing data
                if (root != null && getTriStateFilteredCheckboxTree().getCheckedElements().length == 0) {
                    List<ITmfTreeViewerEntry> all = new ArrayList<>();
                    collect(root, all);
                    setCheckedElements(all.toArray());
                }
            }

            private void collect(ITmfTreeViewerEntry e, List<ITmfTreeViewerEntry> out) {
                for (ITmfTreeViewerEntry c : e.getChildren()) {
                    out.add(c);
                    collect(c, out);
                }
            }

            @Override
            protected ITmfTreeColumnDataProvider getColumnDataProvider() {
                return () -> List.of(new TmfTreeColumnData("Series"), new TmfTreeColumnData("Legend"));
            }
        };
    }
}
