package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When freed clusters come back (fs/ext4/mballoc.c ext4_mb_clear_bb, 6.1-7.3): with a valid journal
 * handle and (EXT4_FREE_BLOCKS_METADATA or data that is not data=writeback) the range waits in
 * ext4_mb_free_metadata for its transaction's commit; otherwise mb_free_blocks returns it to the buddy
 * at once.
 *
 * <p>One 4 KiB group, blocks 0-99 in use; the trace frees 96-99, then asks for 4 metadata blocks with
 * goal 90: ac_2order 2, CR_POWER2_ALIGNED, ext4_mb_simple_scan_group takes the first free order-2 buddy
 * chunk: 96 if the free is in the buddy, else 100.
 */
class JournalModeTest {

    private final List<AllocationVerdict> verdicts = new ArrayList<>();
    private long ts = 1_000_000;

    private long predictAfterFree(boolean journal, boolean writeback, int mode, int freeFlags) {
        Geometry g = new Geometry(12, 0, 32768, 0, 32768, 32768, 1, 0, 0);
        long[] bm = new long[512];
        bm[0] = -1L;
        bm[1] = (1L << 36) - 1;
        ReplayEngine e = new ReplayEngine(g, MbTunables.defaults(g, false, 2), KernelGeneration.forRelease("7.3.4"),
                grp -> bm, ReplayOptions.defaults());
        e.journalMode(journal, writeback);
        e.addListener(new ReplayListener() {
            @Override
            public void onAllocation(AllocationVerdict v) {
                verdicts.add(v);
            }
        });
        e.accept(new TraceEvent.FreeBlocks(h(), 0, 30, mode, 96, 4, freeFlags, null));
        e.accept(new TraceEvent.MballocFree(h(), 0, 30, 0, 96, 4, null));
        e.accept(new TraceEvent.RequestBlocks(h(), 0, 31, 0, 4, 0, 90, 0, 0, 0, 0, null));
        e.accept(new TraceEvent.AllocateBlocks(h(), 0, 31, 0, 4, 96, 0, 90, 0, 0, 0, 0, null));
        return verdicts.get(verdicts.size() - 1).prediction().block();
    }

    private EventHeader h() {
        ts += 1000;
        return new EventHeader(ts, 0, 5, "wl");
    }

    @Test
    void journalledFreesWaitForTheCommit() {
        assertThat(predictAfterFree(true, false, 0100644, 0)).isEqualTo(100);
    }

    @Test
    void withoutAJournalFreesAreReusableAtOnce() {
        assertThat(predictAfterFree(false, false, 0100644, 0)).isEqualTo(96);
    }

    @Test
    void dataWritebackFreesRegularFileDataAtOnceButNotMetadata() {
        assertThat(predictAfterFree(true, true, 0100644, 0)).isEqualTo(96);
        // EXT4_FREE_BLOCKS_METADATA (extent tree blocks) still wait for the commit
        assertThat(predictAfterFree(true, true, 0100644, 1)).isEqualTo(100);
        // directories are always journalled (ext4_inode_journal_mode)
        assertThat(predictAfterFree(true, true, 040755, 0)).isEqualTo(100);
    }
}
