package io.mbscope.replay.atomic;

import io.mbscope.replay.model.BuddyGroup;
import io.mbscope.replay.model.MballocModel;
import java.util.Objects;

/**
 * The allocator model's buddy groups seen as a {@link ClusterSpace}, so the RFC aligned policy
 * ({@link AlignedAllocator}) can answer on the state a {@link io.mbscope.replay.ReplayEngine}
 * maintains (which, unlike {@link FreeSpace}, holds frees back until their jbd2 commit).
 * {@link #markUsed} goes through {@link MballocModel#applyUsed}, so a what-if must run on a model it
 * owns, never on the engine's live one.
 */
public final class ModelClusterSpace implements ClusterSpace {

    private final MballocModel model;
    private final FsLayout layout;

    public ModelClusterSpace(MballocModel model, FsLayout layout) {
        this.model = Objects.requireNonNull(model, "model");
        this.layout = Objects.requireNonNull(layout, "layout");
        if (model.groupCount() != layout.groupCount()
                || model.geometry().clustersPerGroup() != layout.clustersPerGroup()) {
            throw new IllegalArgumentException("model geometry (" + model.groupCount() + " groups of "
                    + model.geometry().clustersPerGroup() + ") differs from the layout (" + layout.groupCount()
                    + " of " + layout.clustersPerGroup() + ")");
        }
    }

    @Override
    public FsLayout layout() {
        return layout;
    }

    private long clusters() {
        long last = layout.groupCount() - 1;
        return last * layout.clustersPerGroup() + layout.clustersInGroup(last);
    }

    @Override
    public long nextFree(long from) {
        long cpg = layout.clustersPerGroup();
        for (long g = Math.max(0, from) / cpg; g < layout.groupCount(); g++) {
            BuddyGroup bg = model.group((int) g);
            int start = g == from / cpg ? (int) (from % cpg) : 0;
            int end = end(g, bg);
            int n = bg.nextFree(start, end);
            if (n < end) {
                return g * cpg + n;
            }
        }
        return clusters();
    }

    @Override
    public long nextUsed(long from) {
        long cpg = layout.clustersPerGroup();
        for (long g = Math.max(0, from) / cpg; g < layout.groupCount(); g++) {
            BuddyGroup bg = model.group((int) g);
            int start = g == from / cpg ? (int) (from % cpg) : 0;
            int end = end(g, bg);
            int n = bg.nextUsed(start, end);
            if (n < end) {
                return g * cpg + n;
            }
        }
        return -1;
    }

    /** The buddy of a short last group has padding bits set beyond the fs end: stop at the real end. */
    private int end(long g, BuddyGroup bg) {
        return (int) Math.min(bg.size(), layout.clustersInGroup(g));
    }

    @Override
    public void markUsed(long cluster, long len) {
        long cpg = layout.clustersPerGroup();
        long c = cluster;
        long left = len;
        while (left > 0) {
            long g = c / cpg;
            int off = (int) (c % cpg);
            int n = (int) Math.min(left, cpg - off);
            model.applyUsed((int) g, off, n);
            c += n;
            left -= n;
        }
    }
}
