package io.mbscope.tracecompass.analysis;

import io.mbscope.tracecompass.trace.MbEvent;
import java.util.Set;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystemBuilder;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * Writes {@link AllocationTracker}'s view of every inode into the state system:
 * <pre>
 * Inodes/&lt;ino&gt;            row label, e.g. "3 ext, 768 blk + PA 256" (null: holds nothing)
 * Inodes/&lt;ino&gt;/extents    merged data extents (FIEMAP's count)
 * Inodes/&lt;ino&gt;/blocks     data blocks
 * Inodes/&lt;ino&gt;/meta       extent-tree / directory blocks
 * Inodes/&lt;ino&gt;/pa_free    free clusters in the inode's PAs
 * Inodes/&lt;ino&gt;/pa_count   inode PAs alive
 * Group PAs               free clusters in locality-group PAs (label)
 * Group PAs/pa_free, /pa_count
 * </pre>
 */
public class AllocationStateProvider extends SafeStateProvider {
    public static final String ID = "io.mbscope.tracecompass.allocation.provider";
    public static final String INODES = "Inodes";
    public static final String GROUP_PAS = "Group PAs";
    public static final String EXTENTS = "extents";
    public static final String BLOCKS = "blocks";
    public static final String META = "meta";
    public static final String PA_FREE = "pa_free";
    public static final String PA_COUNT = "pa_count";

    private final AllocationTracker tracker;

    public AllocationStateProvider(ITmfTrace trace, CaptureStart fs) {
        super(trace, ID, 2, t -> new AllocationStateProvider(t, fs));
        this.tracker = new AllocationTracker(fs);
    }

    @Override
    protected void handle(ITmfStateSystemBuilder ss, MbEvent e, long t) {
        Set<Long> changed = tracker.apply(e.traceEvent());
        if (changed.isEmpty()) {
            return;
        }
        for (long ino : changed) {
            if (ino == AllocationTracker.GROUP_PA_OWNER) {
                int q = ss.getQuarkAbsoluteAndAdd(GROUP_PAS);
                long free = tracker.groupPaFree();
                int n = tracker.groupPaCount();
                ss.modifyAttribute(t, n == 0 ? null : n + " PA, " + free + " free", q);
                ss.modifyAttribute(t, n == 0 ? null : free, ss.getQuarkRelativeAndAdd(q, PA_FREE));
                ss.modifyAttribute(t, n == 0 ? null : n, ss.getQuarkRelativeAndAdd(q, PA_COUNT));
                continue;
            }
            int q = ss.getQuarkAbsoluteAndAdd(INODES, Long.toString(ino));
            AllocationTracker.Inode in = tracker.inode(Long.valueOf(ino));
            if (in == null) {
                ss.modifyAttribute(t, null, q);
                for (String a : new String[] {EXTENTS, BLOCKS, META, PA_FREE, PA_COUNT}) {
                    ss.modifyAttribute(t, null, ss.getQuarkRelativeAndAdd(q, a));
                }
                continue;
            }
            ss.modifyAttribute(t, label(in), q);
            ss.modifyAttribute(t, in.extents(), ss.getQuarkRelativeAndAdd(q, EXTENTS));
            ss.modifyAttribute(t, in.dataBlocks(), ss.getQuarkRelativeAndAdd(q, BLOCKS));
            ss.modifyAttribute(t, in.metaBlocks() == 0 ? null : in.metaBlocks(), ss.getQuarkRelativeAndAdd(q, META));
            ss.modifyAttribute(t, in.paCount() == 0 ? null : in.paFree(), ss.getQuarkRelativeAndAdd(q, PA_FREE));
            ss.modifyAttribute(t, in.paCount() == 0 ? null : in.paCount(), ss.getQuarkRelativeAndAdd(q, PA_COUNT));
        }
    }

    /** The row label; {@link Kind#of(String)} reads the kind back from it. */
    static String label(AllocationTracker.Inode in) {
        StringBuilder sb = new StringBuilder();
        if (in.dataBlocks() > 0) {
            sb.append(in.extents()).append(" ext, ").append(in.dataBlocks()).append(" blk");
        } else if (in.metaBlocks() > 0) {
            sb.append("meta ").append(in.metaBlocks()).append(" blk");
        }
        if (in.paCount() > 0) {
            sb.append(sb.length() == 0 ? "" : " + ").append("PA ").append(in.paFree());
        }
        return sb.toString();
    }

    /** What a row interval shows, for its colour. */
    public enum Kind {
        DATA, DATA_AND_PA, PA_ONLY, META, GROUP_PA;

        public static Kind of(String label) {
            if (label.startsWith("PA ")) {
                return PA_ONLY;
            }
            if (label.contains(" PA, ")) {
                return GROUP_PA;
            }
            if (label.contains("+ PA ")) {
                return DATA_AND_PA;
            }
            return label.startsWith("meta ") ? META : DATA;
        }
    }
}
