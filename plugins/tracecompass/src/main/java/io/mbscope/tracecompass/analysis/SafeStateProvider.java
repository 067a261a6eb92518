package io.mbscope.tracecompass.analysis;

import io.mbscope.tracecompass.trace.MbEvent;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.tracecompass.common.core.log.TraceCompassLog;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.statesystem.AbstractTmfStateProvider;
import org.eclipse.tracecompass.tmf.core.statesystem.ITmfStateProvider;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Base of our state providers. In TC 6.2 an exception in eventHandle is rethrown into the
 * request's event thread, which dies without completing the request, so the analysis (and every
 * view waiting for it) hangs. An event we cannot apply is instead counted under
 * {@code Info/unapplied events} and logged once, and the analysis goes on.
 * The version and the way to make a fresh instance (TC asks for one per re-run) are given once,
 * at construction.
 */
abstract class SafeStateProvider extends AbstractTmfStateProvider {
    private static final Logger LOG = TraceCompassLog.getLogger(SafeStateProvider.class);
    public static final String INFO = "Info";
    public static final String UNAPPLIED = "unapplied events";
    private long unapplied;
    private final int version;
    private final Function<ITmfTrace, ? extends SafeStateProvider> fresh;

    /**
     * @param version written into TC's on-disk history: raise it when the provider's output changes,
     *                so histories built by an older plugin are rebuilt
     * @param fresh   a new provider of the same kind for a trace
     */
    SafeStateProvider(ITmfTrace trace, String id, int version, Function<ITmfTrace, ? extends SafeStateProvider> fresh) {
        super(trace, id);
        this.version = version;
        this.fresh = fresh;
    }

    @Override
    public final int getVersion() {
        return version;
    }

    @Override
    public final ITmfStateProvider getNewInstance() {
        return fresh.apply(getTrace());
    }

    @Override
    protected final void eventHandle(ITmfEvent event) {
        ITmfStateSystemBuilder ss = getStateSystemBuilder();
        if (ss == null || !(event instanceof MbEvent e)) {
            return;
        }
        try {
            handle(ss, e, event.getTimestamp().toNanos());
        } catch (RuntimeException x) {
            if (unapplied++ == 0) {
                LOG.warning(getClass().getSimpleName() + ": cannot apply " + e.traceEvent() + ": " + x);
            }
            ss.modifyAttribute(event.getTimestamp().toNanos(), unapplied, ss.getQuarkAbsoluteAndAdd(INFO, UNAPPLIED));
        }
    }

    protected abstract void handle(ITmfStateSystemBuilder ss, MbEvent e, long t);
}
