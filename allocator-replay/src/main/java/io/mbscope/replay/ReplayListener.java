package io.mbscope.replay;

/** Receives results while a replay streams; every method has an empty default. */
public interface ReplayListener {

    /** One allocation request compared with the kernel. */
    default void onAllocation(AllocationVerdict verdict) {
    }

    /** Clusters freed by the kernel (ext4_mballoc_free; group/start/len in clusters). */
    default void onFree(long timestampNs, long ino, long group, long start, long len) {
    }
}
