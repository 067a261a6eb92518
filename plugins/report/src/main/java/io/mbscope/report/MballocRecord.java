package io.mbscope.report;

import io.mbscope.parsers.event.TraceEvent.MbExtent;

/**
 * One ext4_mballoc_alloc ({@code prealloc} false) or ext4_mballoc_prealloc event. Extents are in
 * clusters within their group. For a preallocation there is no goal, criterion or scan count
 * ({@code goal} null, the ints -1).
 */
public record MballocRecord(long seq, long timeNs, int cpu, int pid, boolean prealloc, long ino, MbExtent orig,
                            MbExtent goal, MbExtent result, int found, int groups, int buddy, int flags, int tail,
                            int cr) {
}
