package io.mbscope.tracecompass.analysis;

import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.ReplayListener;
import io.mbscope.tracecompass.trace.MbEvent;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * allocator-replay's model fed with the trace's events, as {@code mbscope replay} feeds it (engine
 * from the capture folder, workload syscall hints when syscalls.csv is there). Every allocation
 * verdict counts once, as exact or under the class of its first divergence:
 * <pre>
 * Verdicts/&lt;exact|GOAL|PA_CHOICE|...&gt;   allocations with that verdict so far
 * Info/replay                            "" when the model ran, else why not (no capture folder...)
 * </pre>
 */
public class ReplayStateProvider extends SafeStateProvider {
    public static final String ID = "io.mbscope.tracecompass.replay.provider";
    public static final String VERDICTS = "Verdicts";
    public static final String EXACT = "exact";
    public static final String REPLAY = "replay";

    private ReplayFeed feed;
    private final Map<String, Long> counts = new HashMap<>();
    private ITmfStateSystemBuilder ss;
    private long now;

    public ReplayStateProvider(ITmfTrace trace) {
        super(trace, ID, 1, ReplayStateProvider::new);
    }

    @Override
    protected void handle(ITmfStateSystemBuilder b, MbEvent e, long t) {
        ss = b;
        now = t;
        if (feed == null) {
            feed = ReplayFeed.open(getTrace().getPath(), new ReplayListener() {
                @Override
                public void onAllocation(AllocationVerdict v) {
                    String k = v.exact() ? EXACT : v.divergences().get(0).cause().name();
                    long n = counts.merge(k, 1L, Long::sum);
                    // learnt while the event at "now" is applied; verdicts come in time order
                    ss.modifyAttribute(Math.max(now, v.timestampNs()), n, ss.getQuarkAbsoluteAndAdd(VERDICTS, k));
                }
            });
            b.modifyAttribute(t, feed.problem(), b.getQuarkAbsoluteAndAdd(INFO, REPLAY));
        }
        feed.accept(e.traceEvent());
    }
}
