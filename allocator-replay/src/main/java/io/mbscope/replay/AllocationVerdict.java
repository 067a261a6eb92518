package io.mbscope.replay;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.model.Prediction;
import java.util.List;

/**
 * One ext4_mb_new_blocks() call: the kernel's events, the model's prediction and the differences.
 *
 * @param request     ext4_request_blocks
 * @param kernelAlloc ext4_mballoc_alloc of the call (null on a PA hit or without mballoc events)
 * @param kernelPa    ext4_mballoc_prealloc of the call (null unless a PA hit)
 * @param allocated   ext4_allocate_blocks
 * @param prediction  the model's prediction
 * @param compared    the fields that were compared
 * @param divergences the fields that differ, classified
 */
public record AllocationVerdict(TraceEvent.RequestBlocks request, TraceEvent.MballocAlloc kernelAlloc,
                                TraceEvent.MballocPrealloc kernelPa, TraceEvent.AllocateBlocks allocated,
                                Prediction prediction, List<Field> compared, List<Divergence> divergences) {

    public boolean exact() {
        return divergences.isEmpty();
    }

    public long ino() {
        return request.ino();
    }

    public long timestampNs() {
        return allocated.timestampNs();
    }
}
