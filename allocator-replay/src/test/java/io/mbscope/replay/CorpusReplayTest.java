package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replays every corpus folder; floors are the rates reached (the goal is ≥ 99 % exact). */
class CorpusReplayTest {

    @ParameterizedTest
    @CsvSource({
        "7.3.4-4k, 0.0, 1000",
        "7.3.4-bigalloc64k, 0.0, 1000",
        "6.18.44-4k, 0.0, 1000",
        "6.18.44-1k, 0.0, 1000",
        "6.18.44-bigalloc16k, 0.0, 1000",
        "6.18.44-bigalloc64k, 0.0, 1000",
        "6.12.117-4k, 0.0, 1000",
        "6.12.117-bigalloc16k, 0.0, 1000",
        "6.12.117-bigalloc64k, 0.0, 1000",
    })
    void replay(String folder, double minExact, int maxUnexplained) throws Exception {
        Corpus c = Corpus.load(folder);
        List<TraceEvent> events = c.events();
        ReplayResult r = c.replay(ReplayOptions.defaults().withCommitDelayNs(Long.getLong("replay.commitNs",
                5_000_000_000L)), !Boolean.getBoolean("replay.nosync"));
        long requests = events.stream().filter(x -> x instanceof TraceEvent.RequestBlocks).count();
        System.out.printf("%-22s %s  %.0f req/s fields %s/%s%n", folder, r, r.requestsPerSecond(), r.fieldMatched(),
                r.fieldCompared());
        if (Boolean.getBoolean("replay.verbose")) {
            for (AllocationVerdict v : r.verdicts()) {
                if (!v.exact()) {
                    System.out.println("  " + v.request().timestampNs() + " ino " + v.ino() + " " + v.divergences());
                }
            }
        }
        assertThat(r.allocations()).isEqualTo((int) requests);
        assertThat(r.exactRate()).isGreaterThanOrEqualTo(minExact);
        assertThat(r.unexplained()).isLessThanOrEqualTo(maxUnexplained);
    }
}
