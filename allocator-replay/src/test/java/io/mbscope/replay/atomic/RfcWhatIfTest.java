package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import org.junit.jupiter.api.Test;

/** The what-if's overlay, PA reuse, existing-extent checks and collision handling on a hand-made fs. */
class RfcWhatIfTest {
    static final FsLayout FS = FsLayout.simple(4096, 4096, 65536, 32768);
    static final DeviceAtomicLimits DEV = new DeviceAtomicLimits(4096, 65536, 65536, 0);
    static final EventHeader H = new EventHeader(1, 0, 1, "t");

    static AtomicWrite w(long off, long len) {
        return new AtomicWrite(off, len, 1, AtomicWrite.RWF_ATOMIC, true, true);
    }

    @Test
    void overlayPreallocationAndExistingExtents() {
        FreeSpace space = new FreeSpace(FS);
        space.markUsed(0, 32768 + 100); // group 0 full, group 1 used up to 32868
        RfcWhatIf wi = new RfcWhatIf(space, new RfcWhatIf.Options(false, false));
        long ino = 12; // group 0 -> flex group 0 -> goal group 1 (32768)
        // 16 KiB at 0 into an empty file: normalised to 16 KiB (4 blocks), start of group 1's first
        // order>=2 buddy chunk: [32868, 32872) is order 2 (32868 = 4 * 8217).
        RfcOutcome a = wi.evaluate(ino, w(0, 16384), DEV, true);
        assertThat(a.verdict()).isEqualTo(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_ALLOCATED));
        assertThat(a.goalBlock()).isEqualTo(32768);
        assertThat(a.physBlock()).isEqualTo(32868);
        // overwrite of the overlay extent: aligned, reused
        RfcOutcome again = wi.evaluate(ino, w(0, 16384), DEV, true);
        assertThat(again.verdict().reason()).isEqualTo(Reason.RFC_OK_EXISTING);
        assertThat(again.physBlock()).isEqualTo(32868);
        // 8 KiB at 8 KiB overlaps the 16 KiB extent's second half: one run at 32870, aligned to 2
        assertThat(wi.evaluate(ino, w(8192, 8192), DEV, false).verdict().reason()).isEqualTo(Reason.RFC_OK_EXISTING);
        // a real unaligned extent elsewhere in the file: 3 blocks at lblk 16 from pblk 40001
        wi.apply(new TraceEvent.MapBlocksExit(H, false, 0, ino, 1, 16, 40001, 3, 0x30, 3, null));
        assertThat(wi.evaluate(ino, w(65536, 8192), DEV, false).verdict())
                .isEqualTo(Verdict.of(Errno.EIO, Reason.RFC_EXISTING_MISALIGNED));
        // 16 KiB at 64 KiB covers 3 mapped blocks and a hole: mixed
        assertThat(wi.evaluate(ino, w(65536, 16384), DEV, false).verdict())
                .isEqualTo(Verdict.of(Errno.EIO, Reason.RFC_MIXED_MAPPING));
    }

    @Test
    void normalisedChunkLeavesAnAlignedPreallocation() {
        FreeSpace space = new FreeSpace(FS);
        space.markUsed(0, 32768);
        RfcWhatIf wi = new RfcWhatIf(space, new RfcWhatIf.Options(false, false));
        // the file is 48 KiB (i_size from iomap_dio_complete): 4 KiB at 0 normalises to 64 KiB = 16 blocks
        wi.apply(new TraceEvent.DioComplete(H, 0, 12, 48 << 10, 0, 0, false, 0, 0, null));
        RfcOutcome a = wi.evaluate(12, w(0, 4096), DEV, true);
        assertThat(a.normalizedBlocks()).isEqualTo(16);
        assertThat(a.chunkBlocks()).isEqualTo(16);
        assertThat(a.physBlock()).isEqualTo(32768);
        RfcOutcome pa = wi.evaluate(12, w(8192, 8192), DEV, true);
        assertThat(pa.verdict().reason()).isEqualTo(Reason.RFC_OK_PREALLOC);
        assertThat(pa.physBlock()).isEqualTo(32770);
        // another inode (same goal group) cannot get the claimed 16-block chunk: the next order-2 chunk is at 32784
        RfcOutcome other = wi.evaluate(13, w(0, 16384), DEV, true);
        assertThat(other.physBlock()).isEqualTo(32784);
        assertThat(other.firstAlignedAfterGoal()).isEqualTo(32784);
    }

    @Test
    void realAllocationOverAnOverlayIsACollision() {
        FreeSpace space = new FreeSpace(FS);
        space.markUsed(0, 32768);
        RfcWhatIf wi = new RfcWhatIf(space, new RfcWhatIf.Options(false, false));
        RfcOutcome a = wi.evaluate(12, w(0, 16384), DEV, true);
        assertThat(a.physBlock()).isEqualTo(32768);
        // the real kernel then gives clusters 32768.. to someone else (group 1, start 0, 8 clusters)
        wi.apply(new TraceEvent.MballocAlloc(H, 0, 99, new TraceEvent.MbExtent(1, 0, 8, 0),
                new TraceEvent.MbExtent(1, 0, 8, 0), new TraceEvent.MbExtent(1, 0, 8, 0), 1, 1, 3, 0, 0, 0, null));
        assertThat(wi.collisions()).isEqualTo(1);
        RfcOutcome b = wi.evaluate(12, w(0, 16384), DEV, false);
        assertThat(b.verdict().reason()).isEqualTo(Reason.RFC_OK_ALLOCATED);
        assertThat(b.physBlock()).isEqualTo(32776);
        // freeing them makes them available again
        wi.apply(new TraceEvent.MballocFree(H, 0, 99, 1, 0, 8, null));
        assertThat(wi.realSpace().isFree(32768, 8)).isTrue();
    }
}
