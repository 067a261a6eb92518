package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The engine on hostile input: arbitrary, inconsistent, out-of-range events never break it. */
class ReplayEngineProperties {

    static long any(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> -1 - r.nextInt(1000);
            case 1 -> Long.MAX_VALUE - r.nextInt(10);
            case 2 -> r.nextInt(4);
            default -> r.nextInt(300_000);
        };
    }

    static List<TraceEvent> randomEvents(long seed) {
        Random r = new Random(seed);
        List<TraceEvent> out = new ArrayList<>();
        long ts = 1000;
        for (int i = 0; i < 300; i++) {
            ts += r.nextInt(1_000_000);
            EventHeader h = new EventHeader(ts, r.nextInt(3), 100 + r.nextInt(3), r.nextBoolean() ? "kworker/1:0" : "wl");
            long ino = r.nextInt(20);
            MbExtent e = new MbExtent(any(r), any(r), any(r), any(r));
            TraceEvent ev = switch (r.nextInt(10)) {
                case 0 -> new TraceEvent.RequestBlocks(h, 0, ino, r.nextInt(0x8000), any(r), any(r), any(r), any(r),
                        any(r), any(r), any(r), null);
                case 1 -> new TraceEvent.MballocAlloc(h, 0, ino, e, e, new MbExtent(r.nextInt(3), r.nextInt(9000),
                        r.nextInt(600), any(r)), 1, 1, 0, r.nextInt(0x10000), 0, r.nextInt(7), null);
                case 2 -> new TraceEvent.MballocPrealloc(h, 0, ino, e, e, null);
                case 3 -> new TraceEvent.AllocateBlocks(h, 0, ino, 0, any(r), any(r), any(r), any(r), 0, 0, 0, 0, null);
                case 4 -> new TraceEvent.MbNewPa(h, r.nextBoolean(), 0, ino, any(r), any(r), any(r), null);
                case 5 -> new TraceEvent.MballocFree(h, 0, ino, any(r), any(r), any(r), null);
                case 6 -> new TraceEvent.MballocDiscard(h, 0, ino, any(r), any(r), any(r), null);
                case 7 -> new TraceEvent.DiscardPreallocations(h, 0, ino, any(r), null);
                case 8 -> new TraceEvent.MapBlocksExit(h, false, 0, ino, 0, any(r), any(r), any(r), 0, r.nextInt(5),
                        null);
                default -> new TraceEvent.MbReleaseGroupPa(h, 0, any(r), any(r), null);
            };
            out.add(ev);
        }
        return out;
    }

    @Property(tries = 200)
    void arbitraryEventsNeverBreakTheEngine(@ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Geometry g = new Geometry(12, 0, 3 * 32768L - 500, 0, 32768, 32768, 3, 4, 128);
        ReplayEngine e = new ReplayEngine(g, MbTunables.defaults(g, false, 2),
                KernelGeneration.forRelease(seed % 2 == 0 ? "7.3.4" : "6.1.192"), grp -> new long[512],
                ReplayOptions.defaults());
        for (TraceEvent ev : randomEvents(seed)) {
            e.accept(ev);
        }
        ReplayResult r = e.finish();
        assertThat(r.exact()).isBetween(0, r.allocations());
        assertThat(r.byClass().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(r.allocations() - r.exact());
    }
}
