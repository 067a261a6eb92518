package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warm replay throughput on a corpus trace (events decoded once, engine rebuilt per round). */
@org.junit.jupiter.api.Tag("perf")
class ReplaySpeedTest {

    @Test
    void warmRequestsPerSecond() throws Exception {
        Corpus c = Corpus.load("6.18.44-1k");
        List<TraceEvent> events = c.events();
        double best = 0;
        int allocations = 0;
        for (int round = 0; round < 8; round++) {
            ReplayEngine e = c.engine(ReplayOptions.defaults().withKeepVerdicts(false));
            long t0 = System.nanoTime();
            for (TraceEvent ev : events) {
                e.accept(ev);
            }
            ReplayResult r = e.finish();
            double secs = (System.nanoTime() - t0) / 1e9;
            allocations = r.allocations();
            if (round >= 3) {
                best = Math.max(best, allocations / secs);
            }
        }
        System.out.printf("replay speed (6.18.44-1k, %d events, %d requests, warm): %.0f requests/s, %.0f events/s%n",
                events.size(), allocations, best, best * events.size() / allocations);
        assertThat(allocations).isEqualTo(836);
        assertThat(best).isGreaterThan(1000);
    }
}
