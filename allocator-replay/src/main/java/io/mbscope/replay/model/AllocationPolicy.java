package io.mbscope.replay.model;

/**
 * Which allocation rules {@link MballocModel#predict(AllocRequest, AllocationPolicy)} follows. The
 * mainline kernel never sets an alignment requirement; the 2023 RFC "ext4: Allocator changes for
 * atomic write support with DIO" (never merged) adds EXT4_MB_ALIGNED_ALLOC for atomic direct writes.
 * A policy only says which requests carry that flag; the rules an aligned request then follows
 * (RFC patches 3 and 4) are the model's, gated on the flag, so a mainline replay never reaches them.
 */
@FunctionalInterface
public interface AllocationPolicy {

    /** The traced kernel's own rules: no request is aligned. */
    AllocationPolicy MAINLINE = ar -> false;

    /**
     * The RFC: the caller (ext4_map_blocks with EXT4_GET_BLOCKS_ALIGNED) asks for a power-of-two
     * number of clusters of file data, and the physical start must be a multiple of that length.
     */
    AllocationPolicy RFC_ALIGNED = ar -> (ar.flags() & MbFlags.HINT_DATA) != 0 && ar.len() > 0
            && (ar.len() & (ar.len() - 1)) == 0;

    /** Whether the request carries EXT4_MB_ALIGNED_ALLOC. */
    boolean aligned(AllocRequest ar);
}
