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
 * <p><b>What-if.</b> {@link io.mbscope.replay.atomic.RfcReplay} replays the whole trace through a
 * {@link io.mbscope.replay.ReplayEngine} started from the capture's initial state (so the allocator
 * model holds the real state, frees held until their journal commit), and asks the model, with
 * {@link io.mbscope.replay.model.AllocationPolicy#RFC_ALIGNED}, what ext4_mb_new_blocks would have
 * done with each atomic write under the RFC (patches 3/7 and 4/7: no goal-extent try, aligned inode
 * PA only, power-of-two normalisation from the request, CR_POWER2_ALIGNED only, -ENOSPC without
 * fallback; the TODO fallback to the original length as a switch), with the traced kernel's scan
 * order, mb_optimize_scan and stream goal. Placements of writes the kernel refused stay in the
 * what-if state; conflicts with later real allocations are counted and the real world wins (see
 * RfcReplay and docs/atomic-whatif.md).
 */
package io.mbscope.replay.atomic;
