package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import org.junit.jupiter.api.Test;

/**
 * 6.1 buddies left cold by the mount prefetch (see MballocModel#mountState) become warm when the kernel
 * evidently loaded them. Layout of 6.18.44-1k (1 KiB blocks, 8 groups, flex_bg 16, BLOCK_UNINIT on 1, 3,
 * 4, 5, 6): after mount groups 0-5 are cold, 6-7 warm.
 */
class ColdGroupsTest {

    private long ts = 1_000_000;

    private ReplayEngine engine() {
        Geometry g = new Geometry(10, 0, 8L * 8192 + 1, 1, 8192, 8192, 8, 4, 0);
        ReplayEngine e = new ReplayEngine(g, MbTunables.defaults(g, true, 2), KernelGeneration.forRelease("6.1.192"),
                grp -> new long[128], ReplayOptions.defaults());
        e.model().mountState(grp -> switch (grp) {
            case 1, 3, 4, 5, 6 -> 2;
            default -> 0;
        }, true);
        return e;
    }

    private EventHeader h() {
        ts += 1000;
        return new EventHeader(ts, 0, 9, "wl");
    }

    @Test
    void aCr2PassLoadsEveryGroupItTestedBeforeTheOneItUsed() {
        // ext4_mb_regular_allocator at cr 2 is linear from the goal group; ext4_mb_good_group_nolock generates
        // the buddy of each group with bb_free >= g_len before ext4_mb_good_group looks at it. A cr-2 result in
        // group 4 for a goal in group 2 means groups 2 and 3 (8192 free each >= 8) were loaded on the way.
        ReplayEngine e = engine();
        assertThat(e.model().needsInit(2)).isTrue();
        assertThat(e.model().needsInit(3)).isTrue();
        long goal = 2L * 8192 + 1;
        e.accept(new TraceEvent.RequestBlocks(h(), 0, 40, 0, 8, 0, goal, 0, 0, 0, 0, null));
        MbExtent o = new MbExtent(2, 0, 8, 0);
        e.accept(new TraceEvent.MballocAlloc(h(), 0, 40, o, o, new MbExtent(4, 0, 8, 0), 3, 3, 0, 0, 0, 2, null));
        e.accept(new TraceEvent.AllocateBlocks(h(), 0, 40, 0, 8, 4L * 8192 + 1, 0, goal, 0, 0, 0, 0, null));
        assertThat(e.model().needsInit(2)).isFalse();
        assertThat(e.model().needsInit(3)).isFalse();
        assertThat(e.model().needsInit(4)).isFalse(); // allocated in: loaded
        assertThat(e.model().needsInit(5)).isTrue(); // beyond the result: untouched
    }

    @Test
    void aFreeLoadsTheBuddyOfItsGroup() {
        // ext4_mb_clear_bb → ext4_mb_load_buddy_gfp(group) → ext4_mb_init_group when cold
        ReplayEngine e = engine();
        e.accept(new TraceEvent.FreeBlocks(h(), 0, 41, 0100644, 2L * 8192 + 101, 4, 0, null));
        e.accept(new TraceEvent.MballocFree(h(), 0, 41, 2, 100, 4, null));
        assertThat(e.model().needsInit(2)).isFalse();
        assertThat(e.model().needsInit(3)).isTrue();
    }
}
