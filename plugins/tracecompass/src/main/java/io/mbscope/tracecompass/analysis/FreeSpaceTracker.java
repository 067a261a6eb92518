package io.mbscope.tracecompass.analysis;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.AllocateBlocks;
import io.mbscope.parsers.event.TraceEvent.MballocAlloc;
import io.mbscope.parsers.event.TraceEvent.MballocFree;
import io.mbscope.parsers.event.TraceEvent.MballocPrealloc;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * On-disk free clusters per block group, the number dumpe2fs prints per group
 * ({@code bg_free_clusters_count}):
 * <ul>
 * <li>allocation: ext4_mb_mark_diskspace_used subtracts {@code ac_b_ex.fe_len}, which after
 *     ext4_mb_use_inode_pa/use_group_pa is the part handed to the caller, i.e. the {@code len} of
 *     {@code ext4_allocate_blocks}; the rest of a new PA stays free on disk. The group comes from the
 *     {@code ext4_mballoc_alloc}/{@code ext4_mballoc_prealloc} result of the same request (same
 *     inode), which precedes {@code ext4_allocate_blocks} in ext4_mb_new_blocks;</li>
 * <li>free: ext4_mb_clear_bb adds {@code count} to the group at once ({@code ext4_mballoc_free}
 *     per group piece); the buddy may reuse them only after the commit, the descriptor does not wait.</li>
 * </ul>
 * PA discards ({@code ext4_mballoc_discard}) only return buddy space the disk never lost.
 */
public final class FreeSpaceTracker {
    private final TreeMap<Integer, Long> free = new TreeMap<>();
    private final Map<Long, Integer> pendingGroup = new HashMap<>();
    private final boolean absolute;
    private long unattributed;

    public FreeSpaceTracker(CaptureStart fs) {
        long[] init = fs.initialFree();
        absolute = init != null;
        if (init != null) {
            for (int g = 0; g < init.length; g++) {
                free.put(g, init[g]);
            }
        }
    }

    /** True when values are absolute (start state known), false when they are deltas from 0. */
    public boolean absolute() {
        return absolute;
    }

    /** Applies one event; returns the group whose count changed, or -1. */
    public int apply(TraceEvent e) {
        if (e instanceof MballocAlloc a) {
            if (a.result().len() > 0) {
                pendingGroup.put(a.ino(), (int) a.result().group());
            }
        } else if (e instanceof MballocPrealloc p) {
            pendingGroup.put(p.ino(), (int) p.result().group());
        } else if (e instanceof AllocateBlocks a) {
            Integer g = pendingGroup.remove(a.ino());
            if (a.len() > 0) {
                if (g == null) {
                    // no mballoc event for this request (e.g. the ext4_mb_new_blocks_simple path)
                    unattributed += a.len();
                    return -1;
                }
                free.merge(g, -a.len(), Long::sum);
                return g;
            }
        } else if (e instanceof MballocFree f) {
            if (f.len() > 0) {
                free.merge((int) f.group(), f.len(), Long::sum);
                return (int) f.group();
            }
        }
        return -1;
    }

    public long free(int group) {
        return free.getOrDefault(group, 0L);
    }

    public long total() {
        long s = 0;
        for (long v : free.values()) {
            s += v;
        }
        return s;
    }

    public Map<Integer, Long> groups() {
        return java.util.Collections.unmodifiableMap(free);
    }

    /** Allocated clusters whose group the trace did not say. */
    public long unattributed() {
        return unattributed;
    }
}
