/**
 * Replays a kernel trace through the mballoc model and classifies every difference.
 *
 * <p>Use {@link io.mbscope.replay.Replays#engine} (from an {@code FsState} and {@code Tunables}, or
 * from a capture folder) to build a {@link io.mbscope.replay.ReplayEngine}; feed it
 * {@code TraceEvent}s in time order with {@code accept}, optionally commit points
 * ({@code commitPoint}: an fsync/syncfs that returned) and close hints ({@code fdClosed}) from a
 * syscall log; stream {@link io.mbscope.replay.AllocationVerdict}s through a
 * {@link io.mbscope.replay.ReplayListener}; {@code finish()} gives the
 * {@link io.mbscope.replay.ReplayResult}.
 *
 * <p>What the trace does not show, and how it is approximated (each named in the divergence rule
 * when it matters):
 * <ul>
 *   <li>journal commits: freed clusters stay in use until a commit (ext4_mb_free_metadata). Commits
 *       come from jbd2 events when traced, from fsync-style writeback run by a user task (the commit
 *       is done before that task's next syscall, or its next non-writeback event when syscalls are
 *       not traced), from synchronous writes seen in the trace
 *       (RWF_DSYNC/SYNC, IOCB_DSYNC/SYNC) that changed metadata, from external commit points, from the
 *       kernel reusing a freed cluster (then every earlier free is committed too: jbd2 commits in
 *       order), else after {@link io.mbscope.replay.ReplayOptions#commitDelayNs()} (5 s, the default
 *       commit interval) → {@code FREED_NOT_COMMITTED};</li>
 *   <li>i_size and open-for-write (ext4_mb_group_or_file, ext4_mb_normalize_request): see
 *       {@code InodeFacts}; refined from the kernel's own decisions after each request →
 *       {@code NORMALIZATION_SIZE};</li>
 *   <li>concurrency: a request is predicted from the state at its ext4_request_blocks; if another
 *       task changes free space before its ext4_allocate_blocks → {@code CONCURRENT_ALLOCATOR}.</li>
 * </ul>
 */
package io.mbscope.replay;
