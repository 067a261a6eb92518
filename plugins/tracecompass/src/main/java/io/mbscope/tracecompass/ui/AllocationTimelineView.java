package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.dataprovider.AllocationTimelineDataProvider;
import org.eclipse.tracecompass.internal.provisional.tmf.ui.widgets.timegraph.BaseDataProviderTimeGraphPresentationProvider;
import org.eclipse.tracecompass.tmf.ui.views.timegraph.BaseDataProviderTimeGraphView;

/**
 * Time graph of the allocation data provider: TC's generic data-provider view, so zoom, search,
 * legend and tooltips behave like the built-in views; the presentation provider takes colours
 * and names from the provider's styles.
 */
@SuppressWarnings("restriction")
public class AllocationTimelineView extends BaseDataProviderTimeGraphView {
    public static final String ID = "io.mbscope.tracecompass.views.allocation";

    public AllocationTimelineView() {
        super(ID, new BaseDataProviderTimeGraphPresentationProvider(), AllocationTimelineDataProvider.ID);
    }
}
