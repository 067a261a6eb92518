package io.mbscope.report;

import io.mbscope.parsers.TraceInfo;
import java.util.List;
import java.util.Map;

/**
 * Everything the report needs from one trace, gathered by {@link TraceCollector}.
 *
 * @param label        the name this trace carries on charts and in the CSV {@code trace} column
 * @param info         the reader's header facts, null for traces built in memory
 * @param eventCounts  events per event name, sorted by name
 * @param events       events read
 * @param lostEvents   events the kernel reported lost
 * @param skipped      data the reader could not decode, by reason
 * @param firstNs      timestamp of the first event (0 when there were none)
 * @param lastNs       timestamp of the last event
 * @param markers      user-space markers (tracing_mark_write), e.g. workload phases
 * @param atomicWrites outcomes of pwritev2(RWF_ATOMIC) as the kernel returned them: "ok" or the
 *                     errno name, with counts
 * @param fsState      initial free space of the file system, null when no image was given
 * @param replay       the replay model's predictions and divergences, null when not replayed
 * @param atomic       the atomic-write analysis (verdicts, placement, RFC what-if), null when the
 *                     input was not a capture folder
 */
public record TraceData(String label, TraceInfo info, Map<String, Long> eventCounts, long events, long lostEvents,
                        Map<String, Long> skipped, long firstNs, long lastNs, List<Allocation> allocations,
                        List<MballocRecord> mballoc, List<SpaceChange> spaceChanges, List<Mark> markers,
                        Map<String, Long> atomicWrites, FsSpace fsState, AtomicData atomic, ReplayData replay) {

    /** A user-space marker at a point of the trace. */
    public record Mark(long timeNs, String text) {
    }

    public TraceData {
        eventCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(eventCounts));
        skipped = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(skipped));
        allocations = List.copyOf(allocations);
        mballoc = List.copyOf(mballoc);
        spaceChanges = List.copyOf(spaceChanges);
        markers = List.copyOf(markers);
        atomicWrites = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(atomicWrites));
    }

    /** Kernel release the trace says it came from, or null. */
    public String kernelRelease() {
        return info == null ? null : info.kernelRelease();
    }

    /** Seconds since the first event: the time axis of every chart, so traces of different boots overlay. */
    public double seconds(long timeNs) {
        return (timeNs - firstNs) / 1e9;
    }

    public TraceData withFsState(FsSpace state) {
        return new TraceData(label, info, eventCounts, events, lostEvents, skipped, firstNs, lastNs, allocations,
                mballoc, spaceChanges, markers, atomicWrites, state, atomic, replay);
    }

    public TraceData withAtomic(AtomicData a) {
        return new TraceData(label, info, eventCounts, events, lostEvents, skipped, firstNs, lastNs, allocations,
                mballoc, spaceChanges, markers, atomicWrites, fsState, a, replay);
    }

    public TraceData withReplay(ReplayData r) {
        return new TraceData(label, info, eventCounts, events, lostEvents, skipped, firstNs, lastNs, allocations,
                mballoc, spaceChanges, markers, atomicWrites, fsState, atomic, r);
    }
}
