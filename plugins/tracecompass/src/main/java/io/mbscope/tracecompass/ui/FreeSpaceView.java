package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.dataprovider.FreeSpaceDataProvider;

/** Free clusters per block group (and in total) over time. */
public class FreeSpaceView extends MbXYView {
    public static final String ID = "io.mbscope.tracecompass.views.freespace";

    public FreeSpaceView() {
        super("ext4 free space", "free clusters", FreeSpaceDataProvider.ID);
    }
}
