package io.mbscope.replay.model;

import io.mbscope.parsers.event.TraceEvent.MbExtent;

/**
 * What the model says one ext4_mb_new_blocks() call does.
 *
 * @param preallocated  satisfied by ext4_mb_use_preallocated (the kernel then fires ext4_mballoc_prealloc)
 * @param paType        which kind of PA satisfied it (null if none)
 * @param paPstart      that PA's physical start before the call
 * @param flags         ac_flags after ext4_mb_group_or_file / normalisation / scan (u16 as traced)
 * @param orig          ac_o_ex
 * @param goal          ac_g_ex as traced at the end of the call
 * @param result        ac_f_ex (the found extent, before it is split for a PA), or the PA slice
 * @param criterion     ac_criteria (internal numbering, see {@link KernelGeneration})
 * @param found         ac_found
 * @param groups        ac_groups_scanned
 * @param newPa         the PA ext4_mb_new_preallocation would create (null if none)
 * @param block         ext4_allocate_blocks' block (0 on failure)
 * @param len           ext4_allocate_blocks' len (clusters; 0 on failure)
 */
public record Prediction(boolean preallocated, Prealloc.Type paType, long paPstart, int flags, MbExtent orig,
                         MbExtent goal, MbExtent result, int criterion, int found, int groups, NewPa newPa,
                         long block, long len) {

    /** A PA the model would create. */
    public record NewPa(Prealloc.Type type, long pstart, long lstart, int len) {
    }
}
