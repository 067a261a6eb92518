/**
 * A Java reimplementation of ext4 mballoc's allocation decisions (fs/ext4/mballoc.c), read in
 * Debian linux-source 6.1.192, 6.12.117 and 7.3.4 (6.18 taken as 7.3 for mballoc).
 *
 * <ul>
 *   <li>{@link io.mbscope.replay.model.BuddyGroup}: one group's bitmap with the buddy answers derived
 *       from it (mb_find_order_for_block, mb_find_extent, mb_mark_used history, bb_counters,
 *       largest free order, average fragment order).</li>
 *   <li>{@link io.mbscope.replay.model.MballocModel}: ext4_mb_initialize_context,
 *       ext4_mb_group_or_file, ext4_mb_use_preallocated, ext4_mb_normalize_request (with
 *       ext4_mb_pa_adjust_overlap), ext4_mb_regular_allocator (goal, criteria, linear / list /
 *       xarray group scans, simple/complex/aligned group scans, measure/limits), ext4_mb_use_best_found
 *       and ext4_mb_new_inode_pa / ext4_mb_new_group_pa, plus state changes applied from the
 *       kernel's events (PAs, locality-group lists, frees deferred to the journal commit).</li>
 *   <li>{@link io.mbscope.replay.model.KernelGeneration}: the one switch point between kernel
 *       generations (6.1; 6.5-6.12.76 / 6.13-6.16 lists; 6.12.77+ xarray backport; 6.17+).</li>
 * </ul>
 *
 * <p>Modelling assumptions (not observable in a trace): every group's buddy is initialised
 * (EXT4_MB_GRP_NEED_INIT never skips a group: mount-time bitmap prefetch), the fs is never "busy"
 * (ext4_fs_is_busy), no group lock is contended (ext4_try_lock_group), quota never shortens a
 * request, non-extent files see all groups (s_blockfile_groups not modelled).
 */
package io.mbscope.replay.model;
