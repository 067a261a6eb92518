package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.table.RowsAnalysisModule;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.tracecompass.analysis.timing.core.segmentstore.ISegmentStoreProvider;
import org.eclipse.tracecompass.analysis.timing.ui.views.segmentstore.table.AbstractSegmentStoreTableView;
import org.eclipse.tracecompass.analysis.timing.ui.views.segmentstore.table.AbstractSegmentStoreTableViewer;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceManager;
import org.eclipse.tracecompass.tmf.core.trace.TmfTraceUtils;

/**
 * Trace Compass's segment store table for one of our row analyses: start, end, duration and the
 * analysis' columns, sortable and filterable; clicking a row sends the selection-range signal the
 * events table, time graphs and charts follow.
 */
public abstract class RowsTableView extends AbstractSegmentStoreTableView {
    private final Class<? extends RowsAnalysisModule> type;
    private final String analysisId;
    private Viewer viewer;

    protected RowsTableView(Class<? extends RowsAnalysisModule> type, String analysisId) {
        this.type = type;
        this.analysisId = analysisId;
    }

    @Override
    protected AbstractSegmentStoreTableViewer createSegmentStoreViewer(TableViewer tableViewer) {
        viewer = new Viewer(tableViewer);
        return viewer;
    }

    /** What the table shows for the module of the trace; by default the module's rows. */
    protected ISegmentStoreProvider provider(RowsAnalysisModule module) {
        return module;
    }

    /** Asks {@link #provider} again, e.g. after a view option changed. */
    protected void refreshProvider() {
        ITmfTrace trace = TmfTraceManager.getInstance().getActiveTrace();
        if (viewer != null && trace != null) {
            viewer.setSegmentProvider(viewer.getSegmentStoreProvider(trace));
        }
    }

    private final class Viewer extends AbstractSegmentStoreTableViewer {
        Viewer(TableViewer tableViewer) {
            super(tableViewer);
        }

        @Override
        protected ISegmentStoreProvider getSegmentStoreProvider(ITmfTrace trace) {
            RowsAnalysisModule m = TmfTraceUtils.getAnalysisModuleOfClass(trace, type, analysisId);
            if (m == null) {
                return null;
            }
            m.schedule();
            return provider(m);
        }
    }
}
