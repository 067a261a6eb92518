package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.dataprovider.FreeSpaceDataProvider;
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

/** XY chart of free clusters per block group: series tree on the left, lines on the right. */
public class FreeSpaceView extends TmfChartView {
    public static final String ID = "io.mbscope.tracecompass.views.freespace";

    public FreeSpaceView() {
        super("ext4 free space");
    }

    @Override
    protected TmfXYChartViewer createChartViewer(Composite parent) {
        return new TmfFilteredXYChartViewer(parent,
                new TmfXYChartSettings("ext4 free space", "time", "free clusters", 1), FreeSpaceDataProvider.ID);
    }

    @Override
    protected TmfViewer createLeftChildViewer(Composite parent) {
        return new AbstractSelectTreeViewer2(parent, 1, FreeSpaceDataProvider.ID) {
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
