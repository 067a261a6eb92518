package io.mbscope.replay;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Summary of a replay.
 *
 * @param allocations    requests compared
 * @param exact          requests whose every compared field matched
 * @param fieldCompared  per field: how often it was compared
 * @param fieldMatched   per field: how often it matched
 * @param byClass        divergent requests by root cause (one count per request)
 * @param unexplained    requests whose root cause is UNEXPLAINED
 * @param verdicts       every verdict (empty when not kept)
 * @param layout         per inode: logical block → {physical block, length} as the replay tracked it
 * @param requestsPerSecond replay throughput: requests over the wall-clock time from the first accepted
 *                          event to {@link ReplayEngine#finish}
 */
public record ReplayResult(int allocations, int exact, Map<Field, Integer> fieldCompared,
                           Map<Field, Integer> fieldMatched, Map<DivergenceClass, Integer> byClass, int unexplained,
                           List<AllocationVerdict> verdicts, Map<Long, NavigableMap<Long, long[]>> layout,
                           double requestsPerSecond) {

    public double exactRate() {
        return allocations == 0 ? 1.0 : exact / (double) allocations;
    }

    static Map<DivergenceClass, Integer> emptyByClass() {
        return new EnumMap<>(DivergenceClass.class);
    }

    @Override
    public String toString() {
        return String.format("allocations %d exact %d (%.1f%%) unexplained %d classes %s", allocations, exact,
                100 * exactRate(), unexplained, byClass);
    }
}
