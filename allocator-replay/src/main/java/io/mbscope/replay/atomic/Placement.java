package io.mbscope.replay.atomic;

/**
 * Where a successful atomic write went, reconstructed from the iomap mappings
 * ({@code iomap_iter_dstmap}) between {@code iomap_dio_rw_begin} and {@code iomap_dio_complete}.
 *
 * @param physByte    device byte address of the write's first byte, -1 if no mapping was seen
 * @param maps        dstmaps seen for the write
 * @param contiguous  the maps cover the whole write as one physical run
 * @param aligned     physByte is a multiple of the write length
 * @param type        iomap type of the first map (MAPPED, UNWRITTEN, ...)
 * @param allocated   the first map carried IOMAP_F_NEW (blocks allocated by this write)
 * @param source      how new blocks came: "mballoc", "prealloc", "cluster" (bigalloc implied), "existing"
 * @param mapBlocksAgree the ext4_ext_map_blocks_exit pblk of the write's first block matches physByte
 *                    (null if no map_blocks exit was seen for it)
 */
public record Placement(long physByte, int maps, boolean contiguous, boolean aligned, String type,
                        boolean allocated, String source, Boolean mapBlocksAgree) {
}
