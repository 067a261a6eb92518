package io.mbscope.report;

/**
 * A change of the buddy allocator's free space, in clusters within one group: {@code used} true
 * for the extent ext4_mballoc_alloc reports as found (which includes any preallocation carved out
 * of it), false for ext4_mballoc_free and ext4_mballoc_discard.
 */
public record SpaceChange(long timeNs, long group, long start, long len, boolean used) {
}
