package io.mbscope.tracecompass.analysis;

import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayListener;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.tracecompass.trace.MbEvent;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
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

    private ReplayEngine engine;
    private SyscallHints hints = SyscallHints.none();
    private boolean started;
    private final Map<String, Long> counts = new HashMap<>();
    private ITmfStateSystemBuilder ss;
    private long now;

    public ReplayStateProvider(ITmfTrace trace) {
        super(trace, ID);
    }

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public ITmfStateProvider getNewInstance() {
        return new ReplayStateProvider(getTrace());
    }

    @Override
    protected void handle(ITmfStateSystemBuilder b, MbEvent e, long t) {
        ss = b;
        if (!started) {
            started = true;
            String why = "";
            try {
                Path dir = Paths.get(getTrace().getPath()).toAbsolutePath().getParent();
                CaptureFolder folder = CaptureFolder.open(dir);
                engine = Replays.engine(folder, ReplayOptions.defaults());
                if (folder.syscalls().isPresent()) {
                    hints = SyscallHints.load(folder.syscalls().get());
                }
                engine.addListener(new ReplayListener() {
                    @Override
                    public void onAllocation(AllocationVerdict v) {
                        String k = v.exact() ? EXACT : v.divergences().get(0).cause().name();
                        long n = counts.merge(k, 1L, Long::sum);
                        // learnt while the event at "now" is applied; verdicts come in time order
                        ss.modifyAttribute(Math.max(now, v.timestampNs()), n, ss.getQuarkAbsoluteAndAdd(VERDICTS, k));
                    }
                });
            } catch (java.io.IOException | RuntimeException x) {
                engine = null;
                why = "no replay: " + x.getMessage();
            }
            b.modifyAttribute(t, why, b.getQuarkAbsoluteAndAdd(INFO, REPLAY));
        }
        if (engine != null) {
            now = t;
            hints.applyUpTo(t, engine);
            engine.accept(e.traceEvent());
        }
    }
}
