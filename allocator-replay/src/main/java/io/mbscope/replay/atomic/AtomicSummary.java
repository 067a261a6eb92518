package io.mbscope.replay.atomic;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Totals over all atomic writes of a trace.
 *
 * @param atomicWrites      pwritev2(RWF_ATOMIC) calls seen
 * @param realOk            of them, succeeded (trace, else syscalls.csv)
 * @param verdictMatches    mainline prediction equals the real result
 * @param traceCsvAgree     the trace's return value equals syscalls.csv's (rows with both)
 * @param placementChecked  successful writes with a reconstructed mapping
 * @param bySize            length → result label → count (real results)
 * @param rfcBySize         length → RFC result label → count (empty under mainline)
 * @param rfcBufferedNotAtomic writes the RFC lets through non-atomically (buffered, data=journal)
 * @param rfcEnospcAlignment writes the RFC fails only for want of an aligned free extent (-ENOSPC)
 * @param rfcCollisions     later real allocations that took clusters a what-if placement held
 * @param dioAsAtomic       all-DIO mode: plain direct writes asked as if atomic (0 otherwise)
 * @param dioRfcOk          of them, the RFC would have written atomically
 * @param dioRfcEnospc      of them, the RFC would have failed with -ENOSPC for want of alignment
 * @param divergences       rows whose prediction differs from the real result
 */
public record AtomicSummary(int atomicWrites, int realOk, int realFailed, int verdictMatches, int traceCsvAgree,
                            int traceCsvCompared, int placementChecked, int placementContiguous,
                            int placementAligned, int fiemapChecked, int fiemapAgree, int statxChecked,
                            int statxMatches, int rfcOk, int rfcFailed, int rfcBufferedNotAtomic,
                            int rfcEnospcAlignment, long rfcCollisions, int dioAsAtomic, int dioRfcOk,
                            int dioRfcEnospc,
                            SortedMap<Long, SortedMap<String, Integer>> bySize,
                            SortedMap<Long, SortedMap<String, Integer>> rfcBySize,
                            Map<Reason, Integer> byReason, List<AtomicRow> divergences) {
}
