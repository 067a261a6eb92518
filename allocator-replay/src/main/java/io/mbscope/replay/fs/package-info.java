/**
 * The file system's state before a traced run, which the mballoc model starts from.
 *
 * <ul>
 * <li>{@link io.mbscope.replay.fs.FsStateLoader} reads an ext4 device image (plain, with holes,
 *     zstd or Android sparse; only superblock, descriptors and bitmaps are read, as a forward
 *     stream) or dumpe2fs output, into an {@link io.mbscope.replay.fs.FsState}: one cluster bitmap
 *     per group, BLOCK_UNINIT groups built as ext4_init_block_bitmap() builds them, checksums
 *     verified as the kernel verifies them at mount.</li>
 * <li>{@link io.mbscope.replay.fs.FsGeometry}: the superblock numbers and feature bits.</li>
 * <li>{@link io.mbscope.replay.fs.Tunables}: /sys/fs/ext4/&lt;dev&gt;/ values and the kernel's
 *     defaults per version and per fs.</li>
 * <li>{@link io.mbscope.replay.fs.CaptureFolder}: the files of one capture folder.</li>
 * </ul>
 * Bad input raises {@link io.mbscope.parsers.TraceFormatException} naming the file, offset (line
 * for text) and what was expected against what was found.
 */
package io.mbscope.replay.fs;
