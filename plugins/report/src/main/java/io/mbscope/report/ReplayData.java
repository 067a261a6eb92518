package io.mbscope.report;

import java.util.List;
import java.util.Map;

/**
 * The replay model's verdicts for one trace, kept compact: one {@link Predicted} per allocation
 * request (in ext4_allocate_blocks order, like {@link Allocation}) and every divergence.
 *
 * @param allocations requests compared
 * @param exact       requests whose every compared field matched
 * @param byClass     divergent requests per root cause
 * @param unexplained requests no rule explains
 * @param hints       syscall-log hints (commits, closes) fed to the replay; 0 = the trace alone
 */
public record ReplayData(int allocations, int exact, Map<String, Integer> byClass, int unexplained,
                         int hints, List<Predicted> predicted, List<Div> divergences) {
    public ReplayData {
        byClass = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byClass));
        predicted = List.copyOf(predicted);
        divergences = List.copyOf(divergences);
    }

    /** The model's ext4_allocate_blocks for a request, and the classes of what differed ("" when exact). */
    public record Predicted(long timeNs, long ino, long block, long len, int cr, String classes) {
    }

    /** One differing field. */
    public record Div(long timeNs, long ino, String field, String kernel, String model, String cause, String rule) {
    }

    public double exactRate() {
        return allocations == 0 ? 1.0 : (double) exact / allocations;
    }
}
