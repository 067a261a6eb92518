package io.mbscope.tracecompass;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.tracecompass.analysis.AllocationAnalysisModule;
import io.mbscope.tracecompass.analysis.FreeSpaceAnalysisModule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.tracecompass.tmf.core.analysis.TmfAbstractAnalysisModule;
import org.eclipse.tracecompass.tmf.core.dataprovider.DataProviderParameterUtils;
import org.eclipse.tracecompass.tmf.core.exceptions.TmfAnalysisException;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Headless Trace Compass helpers (no OSGi, no workspace). The analyses use an in-memory state
 * system: the default history-tree backend wants the supplementary folder of a workspace trace.
 */
public final class Tc {
    private Tc() {
    }

    public static class InMemAllocation extends AllocationAnalysisModule {
        @Override
        protected StateSystemBackendType getBackendType() {
            return StateSystemBackendType.INMEM;
        }
    }

    public static class InMemFreeSpace extends FreeSpaceAnalysisModule {
        @Override
        protected StateSystemBackendType getBackendType() {
            return StateSystemBackendType.INMEM;
        }
    }

    /** Runs a module on a trace to completion, as the framework would when a view asks for it. */
    public static <M extends TmfAbstractAnalysisModule> M run(M module, String id, ITmfTrace trace)
            throws TmfAnalysisException {
        module.setId(id);
        assertThat(module.setTrace(trace)).isTrue();
        module.schedule();
        assertThat(module.waitForCompletion()).as("analysis " + id + " completed").isTrue();
        return module;
    }

    public static class InMemAtomic extends io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule {
        @Override
        protected StateSystemBackendType getBackendType() {
            return StateSystemBackendType.INMEM;
        }
    }

    public static InMemAtomic atomic(ITmfTrace trace) throws TmfAnalysisException {
        return run(new InMemAtomic(), io.mbscope.tracecompass.analysis.AtomicWritesAnalysisModule.ID, trace);
    }

    public static InMemAllocation allocation(ITmfTrace trace) throws TmfAnalysisException {
        return run(new InMemAllocation(), AllocationAnalysisModule.ID, trace);
    }

    public static InMemFreeSpace freeSpace(ITmfTrace trace) throws TmfAnalysisException {
        return run(new InMemFreeSpace(), FreeSpaceAnalysisModule.ID, trace);
    }

    /** Data-provider query parameters: requested times and (optionally) items. */
    public static Map<String, Object> params(List<Long> times, List<Long> items) {
        Map<String, Object> p = new HashMap<>();
        p.put(DataProviderParameterUtils.REQUESTED_TIME_KEY, times);
        if (items != null) {
            p.put(DataProviderParameterUtils.REQUESTED_ITEMS_KEY, items);
        }
        return p;
    }
}
