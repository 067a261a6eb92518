package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Freed clusters are reusable only once their transaction commits (ext4_free_blocks defers them
 * through ext4_mb_free_metadata). A capture made by `mbscope record` carries jbd2_start_commit /
 * jbd2_end_commit; with them the replay need not guess. This test takes the one allocation of the
 * 7.3.4-bigalloc64k capture (trace only, no syscall log) that the model gets wrong because it holds
 * the kernel's freed clusters as not yet committed, inserts the commit that the kernel's reuse of
 * those clusters proves happened, and checks that the prediction changes to the kernel's.
 */
class JournalCommitEventsTest {

    static TraceEvent jbd2(String name, long ts, int dev) {
        EventFormat f = new EventFormat(-1, "jbd2", name, List.of(
                new FieldFormat("dev_t", "dev", 8, 4, false, false, -1),
                new FieldFormat("tid_t", "transaction", 12, 4, true, false, -1)), null);
        return new TraceEvent.Generic(new EventHeader(ts, 0, -1, "jbd2/sda-8"),
                new RawEvent(f, new EventHeader(ts, 0, -1, "jbd2/sda-8"), new Object[] {(long) dev, 1L}));
    }

    @Test
    void commitEventsChangeAFreedNotCommittedPrediction() throws Exception {
        Corpus c = Corpus.load("7.3.4-bigalloc64k");
        List<TraceEvent> events = c.events();
        ReplayResult without = replay(c, events);
        AllocationVerdict wrong = without.verdicts().stream()
                .filter(v -> v.divergences().stream().anyMatch(d -> d.cause() == DivergenceClass.FREED_NOT_COMMITTED))
                .findFirst().orElseThrow(() -> new AssertionError("no FREED_NOT_COMMITTED divergence to fix"));
        long t = wrong.request().timestampNs();

        List<TraceEvent> with = new ArrayList<>();
        boolean inserted = false;
        for (TraceEvent e : events) {
            if (!inserted && e.timestampNs() >= t) {
                with.add(jbd2("jbd2_start_commit", t - 2, wrong.request().dev()));
                with.add(jbd2("jbd2_end_commit", t - 1, wrong.request().dev()));
                inserted = true;
            }
            with.add(e);
        }
        ReplayResult withCommit = replay(c, with);
        AllocationVerdict fixed = withCommit.verdicts().stream()
                .filter(v -> v.request().timestampNs() == t).findFirst().orElseThrow();
        assertThat(fixed.divergences()).as("prediction at %d with the commit", t).isEmpty();
        assertThat(withCommit.exact()).isGreaterThan(without.exact());
    }

    private static ReplayResult replay(Corpus c, List<TraceEvent> events) throws Exception {
        ReplayEngine e = c.engine(ReplayOptions.defaults());
        for (TraceEvent ev : events) {
            e.accept(ev);
        }
        return e.finish();
    }
}
