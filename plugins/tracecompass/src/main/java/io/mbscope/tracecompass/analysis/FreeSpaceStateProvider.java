package io.mbscope.tracecompass.analysis;

import io.mbscope.tracecompass.trace.MbEvent;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Free clusters per group ({@link FreeSpaceTracker}):
 * <pre>
 * Groups/&lt;g&gt;   free clusters (absolute when the capture's start state is known, else change since start)
 * Total          sum over groups
 * Info/absolute  1 when absolute, 0 for deltas (set at the first event)
 * </pre>
 */
public class FreeSpaceStateProvider extends SafeStateProvider {
    public static final String ID = "io.mbscope.tracecompass.freespace.provider";
    public static final String GROUPS = "Groups";
    public static final String TOTAL = "Total";
    public static final String INFO = "Info";
    public static final String ABSOLUTE = "absolute";

    private final FreeSpaceTracker tracker;
    private boolean started;

    public FreeSpaceStateProvider(ITmfTrace trace, CaptureStart fs) {
        super(trace, ID, 1, t -> new FreeSpaceStateProvider(t, fs));
        this.tracker = new FreeSpaceTracker(fs);
    }

    @Override
    protected void handle(ITmfStateSystemBuilder ss, MbEvent e, long t) {
        if (!started) {
            started = true;
            ss.modifyAttribute(t, tracker.absolute() ? 1 : 0, ss.getQuarkAbsoluteAndAdd(INFO, ABSOLUTE));
            for (var g : tracker.groups().entrySet()) {
                ss.modifyAttribute(t, g.getValue(), ss.getQuarkAbsoluteAndAdd(GROUPS, Integer.toString(g.getKey())));
            }
            ss.modifyAttribute(t, tracker.total(), ss.getQuarkAbsoluteAndAdd(TOTAL));
        }
        int g = tracker.apply(e.traceEvent());
        if (g >= 0) {
            ss.modifyAttribute(t, tracker.free(g), ss.getQuarkAbsoluteAndAdd(GROUPS, Integer.toString(g)));
            ss.modifyAttribute(t, tracker.total(), ss.getQuarkAbsoluteAndAdd(TOTAL));
        }
    }
}
