package io.mbscope.tracecompass.ui;

import io.mbscope.tracecompass.dataprovider.AtomicWritesDataProvider;

/** RWF_ATOMIC writes so far, one series per outcome (ok, EINVAL, EOPNOTSUPP, ...). */
public class AtomicWritesView extends MbXYView {
    public static final String ID = "io.mbscope.tracecompass.views.atomic";

    public AtomicWritesView() {
        super("ext4 atomic writes", "writes", AtomicWritesDataProvider.ID);
    }
}
