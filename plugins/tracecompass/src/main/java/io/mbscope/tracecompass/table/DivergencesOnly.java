package io.mbscope.tracecompass.table;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.tracecompass.analysis.timing.core.segmentstore.IAnalysisProgressListener;
import org.eclipse.tracecompass.analysis.timing.core.segmentstore.ISegmentStoreProvider;
import org.eclipse.tracecompass.segmentstore.core.ISegment;
import org.eclipse.tracecompass.segmentstore.core.ISegmentStore;
import org.eclipse.tracecompass.segmentstore.core.SegmentStoreFactory;
import org.eclipse.tracecompass.segmentstore.core.SegmentStoreFactory.SegmentStoreType;
import org.eclipse.tracecompass.tmf.core.segment.ISegmentAspect;

/**
 * The divergence table's default content: the rows of {@link DivergenceAnalysisModule} that are
 * not "exact". A provider of its own, so the segment store table shows it with every built-in
 * behaviour; the view's "all verdicts" toggle switches to the module itself.
 */
public final class DivergencesOnly implements ISegmentStoreProvider {
    private final DivergenceAnalysisModule module;
    private final Map<IAnalysisProgressListener, IAnalysisProgressListener> forwarded = new ConcurrentHashMap<>();
    private ISegmentStore<ISegment> source;
    private ISegmentStore<ISegment> filtered;

    public DivergencesOnly(DivergenceAnalysisModule module) {
        this.module = module;
    }

    public DivergenceAnalysisModule module() {
        return module;
    }

    @Override
    public void addListener(IAnalysisProgressListener l) {
        IAnalysisProgressListener f = (provider, store) -> l.onComplete(this, filter(store));
        forwarded.put(l, f);
        module.addListener(f);
    }

    @Override
    public void removeListener(IAnalysisProgressListener l) {
        IAnalysisProgressListener f = forwarded.remove(l);
        if (f != null) {
            module.removeListener(f);
        }
    }

    @Override
    public Iterable<ISegmentAspect> getSegmentAspects() {
        return module.getSegmentAspects();
    }

    @Override
    public ISegmentStore<ISegment> getSegmentStore() {
        return filter(module.getSegmentStore());
    }

    private synchronized ISegmentStore<ISegment> filter(ISegmentStore<ISegment> all) {
        if (all == null) {
            return null;
        }
        if (all != source) {
            ISegmentStore<ISegment> out = SegmentStoreFactory.createSegmentStore(SegmentStoreType.Stable);
            for (ISegment s : all) {
                if (s instanceof TableRow r && !DivergenceAnalysisModule.EXACT.equals(DivergenceAnalysisModule.VERDICT.resolve(r))) {
                    out.add(r);
                }
            }
            source = all;
            filtered = out;
        }
        return filtered;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DivergencesOnly d && d.module == module;
    }

    @Override
    public int hashCode() {
        return module.hashCode();
    }
}
