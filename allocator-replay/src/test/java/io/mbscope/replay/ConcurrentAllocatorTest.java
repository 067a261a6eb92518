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
import org.junit.jupiter.api.Test;

/**
 * CONCURRENT_ALLOCATOR fires only when another allocation, on another CPU, overlapped the request in
 * time (its ext4_request_blocks..ext4_allocate_blocks window) and took clusters from the buddy.
 *
 * <p>Layout: one 4 KiB-block group of 32768 blocks, blocks 0-99 in use, 7.3.4 (linear scan: fewer
 * than 16 groups, so mb_optimize_scan is off). A metadata request (flags 0: no normalisation, no
 * PA) for 8 blocks with goal 100: ext4_mb_regular_allocator sets ac_2order = 3 and scans at
 * CR_POWER2_ALIGNED; ext4_mb_simple_scan_group takes the first free order-3 buddy chunk: blocks
 * 100-103 form an order-2 chunk, 104-111 the first order-3 one → 0/104/8. Two such requests
 * racing: the first takes 104, the second then gets 112.
 */
class ConcurrentAllocatorTest {

    private final List<AllocationVerdict> verdicts = new ArrayList<>();
    private long ts = 1_000_000;

    private ReplayEngine engine() {
        Geometry g = new Geometry(12, 0, 32768, 0, 32768, 32768, 1, 0, 0);
        long[] bm = new long[512];
        bm[0] = -1L;
        bm[1] = (1L << 36) - 1; // blocks 0-99 in use
        ReplayEngine e = new ReplayEngine(g, MbTunables.defaults(g, false, 2), KernelGeneration.forRelease("7.3.4"),
                grp -> bm, ReplayOptions.defaults());
        e.addListener(new ReplayListener() {
            @Override
            public void onAllocation(AllocationVerdict v) {
                verdicts.add(v);
            }
        });
        return e;
    }

    private EventHeader h(int cpu, int pid) {
        ts += 1000;
        return new EventHeader(ts, cpu, pid, "wl");
    }

    private static void request(ReplayEngine e, EventHeader h, long ino) {
        e.accept(new TraceEvent.RequestBlocks(h, 0, ino, 0, 8, 0, 100, 0, 0, 0, 0, null));
    }

    private static void kernelResult(ReplayEngine e, EventHeader h, long ino, long start) {
        MbExtent orig = new MbExtent(0, 100, 8, 0);
        e.accept(new TraceEvent.MballocAlloc(h, 0, ino, orig, orig, new MbExtent(0, start, 8, 0), 1, 1, 3, 0, 0, 0,
                null));
        e.accept(new TraceEvent.AllocateBlocks(h, 0, ino, 0, 8, start, 0, 100, 0, 0, 0, 0, null));
    }

    @Test
    void overlappingAllocationOnAnotherCpuIsConcurrent() {
        ReplayEngine e = engine();
        request(e, h(0, 1), 20);
        request(e, h(1, 2), 21); // starts while ino 20's call is in flight on cpu 0
        kernelResult(e, h(0, 1), 20, 104);
        kernelResult(e, h(1, 2), 21, 112);
        assertThat(verdicts.get(0).exact()).isTrue();
        assertThat(verdicts.get(1).prediction().block()).isEqualTo(104);
        assertThat(verdicts.get(1).divergences()).isNotEmpty()
                .allMatch(d -> d.cause() == DivergenceClass.CONCURRENT_ALLOCATOR);
    }

    @Test
    void sameCpuInterleavingIsNotCalledConcurrent() {
        ReplayEngine e = engine();
        request(e, h(0, 1), 20);
        request(e, h(0, 2), 21);
        kernelResult(e, h(0, 1), 20, 104);
        kernelResult(e, h(0, 2), 21, 112);
        assertThat(verdicts.get(1).divergences()).isNotEmpty()
                .noneMatch(d -> d.cause() == DivergenceClass.CONCURRENT_ALLOCATOR);
    }

    @Test
    void allocationThatEndedBeforeTheRequestIsNotConcurrent() {
        ReplayEngine e = engine();
        request(e, h(0, 1), 20);
        kernelResult(e, h(0, 1), 20, 104);
        // applied before ino 21 asks: the model now predicts 112 itself
        request(e, h(1, 2), 21);
        kernelResult(e, h(1, 2), 21, 112);
        assertThat(verdicts.get(1).exact()).isTrue();
    }

    @Test
    void overlappingPaHitTakesNothingFromTheBuddy() {
        ReplayEngine e = engine();
        request(e, h(0, 1), 20);
        // a data request on cpu 1 satisfied from a PA: no buddy change
        e.accept(new TraceEvent.RequestBlocks(h(1, 2), 0, 22, 0x20, 1, 0, 5000, 0, 0, 0, 0, null));
        MbExtent o = new MbExtent(0, 5000, 1, 0);
        e.accept(new TraceEvent.MballocPrealloc(h(1, 2), 0, 22, o, o, null));
        e.accept(new TraceEvent.AllocateBlocks(h(1, 2), 0, 22, 0x20, 1, 5000, 0, 5000, 0, 0, 0, 0, null));
        kernelResult(e, h(0, 1), 20, 112); // the kernel chose otherwise, for no concurrent reason
        AllocationVerdict v = verdicts.get(1);
        assertThat(v.request().ino()).isEqualTo(20);
        assertThat(v.divergences()).isNotEmpty().noneMatch(d -> d.cause() == DivergenceClass.CONCURRENT_ALLOCATOR);
    }
}
