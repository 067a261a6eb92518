/**
 * RWF_ATOMIC direct writes on ext4: the mainline verdict per kernel version, the placement audit of
 * successful writes, and the 2023 RFC aligned allocator as a what-if.
 *
 * <p><b>Verdicts.</b> {@link io.mbscope.replay.atomic.MainlineRules} encodes the checks of
 * kiocb_set_rw_flags, ext4_file_write_iter and generic_atomic_write_valid in the order 7.3.4 runs
 * them (read in Debian linux-source 6.12.117 and 7.3.4): &lt; 6.11 no RWF_ATOMIC, 6.11-6.12 ext4 never
 * sets FMODE_CAN_ATOMIC_WRITE (EOPNOTSUPP), 6.13+ s_awu_min = max(block, device min), s_awu_max =
 * min(block, device max) and from 6.16 min(cluster, device max). statx follows the same units
 * (6.12 does not answer STATX_WRITE_ATOMIC). {@link io.mbscope.replay.atomic.RfcRules} encodes the
 * RFC's patch 6 checks (EIO) and patch 7 statx rule.
 *
 * <p><b>Analyzer.</b> {@link io.mbscope.replay.atomic.AtomicAnalyzer} ties each sys_enter_pwritev2
 * with RWF_ATOMIC to the iomap/ext4 events of the same task up to its sys_exit, matches the workload's
 * syscalls.csv row by time (length, file, O_DIRECT of the open), predicts, compares with the real
 * return value, and reconstructs the physical placement from iomap_iter_dstmap (cross-checked with
 * ext4_ext_map_blocks_exit and, where the range is never remapped later, fiemap.csv).
 *
 * <p><b>What-if.</b> The RFC policy ({@link io.mbscope.replay.atomic.AlignedAllocator}) works on any
 * {@link io.mbscope.replay.atomic.ClusterSpace}; {@link io.mbscope.replay.atomic.ModelClusterSpace}
 * adapts the allocator model's buddy groups (same answers as the own bitmap on the same start,
 * tested), but the analyzer's what-if still runs on its own minimal state (the model reached main at
 * 07:46 UTC; driving a ReplayEngine with its commit points from the analyzer is left to do):
 * {@link io.mbscope.replay.atomic.FreeSpace} (cluster bitmap from the image
 * or dumpe2fs, then every ext4_mballoc_alloc / _free / _discard of the trace), per-inode mappings
 * ({@link io.mbscope.replay.atomic.InodeMap}) and the real inode PAs. On the 9 sample captures the
 * replayed bitmap plus the PA space never released before tracing stopped equals dumpe2fs-after's
 * free count exactly. Each atomic write then asks the RFC policy
 * ({@link io.mbscope.replay.atomic.AlignedAllocator}: no goal-extent try, CR_POWER2_ALIGNED only,
 * buddy-chunk choice, no unaligned fallback, the TODO fallback as a switch) what it would have done;
 * RFC-only successes stay as an overlay. Known approximations: freed clusters are reusable at once
 * (no jbd2 events in the traces), groups are scanned linearly from the goal group (no
 * mb_optimize_scan lists, no stream goal), and the RFC normalisation is the 7.3 size prediction with
 * the RFC's start/power-of-two rules.
 */
package io.mbscope.replay.atomic;
