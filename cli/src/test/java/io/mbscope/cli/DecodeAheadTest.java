package io.mbscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decode-ahead thread of replay and stats: same events, same order, same failures as a plain loop. */
class DecodeAheadTest {
    static final Path TRACE = ReplayCommandTest.root().resolve("sample-traces/7.3.4-4k/trace.dat");

    @Test
    void sameEventsInTheSameOrderAsThePlainReader() throws IOException {
        List<String> plain = new ArrayList<>();
        try (TraceReader r = Traces.open(TRACE)) {
            for (TraceEvent e; (e = r.next()) != null; ) {
                plain.add(key(e));
            }
        }
        List<String> ahead = new ArrayList<>();
        ReadStats stats;
        // odd batch size and a shallow queue: batches end mid-CPU-run and the decoder blocks often
        try (TraceReader r = DecodeAhead.of(Traces.open(TRACE), 7, 2)) {
            for (TraceEvent e; (e = r.next()) != null; ) {
                ahead.add(key(e));
            }
            assertThat(r.next()).isNull();
            stats = r.stats();
        }
        // 13213 = events of trace-cmd's report.txt for this capture (sample-traces/catalog.json)
        assertThat(plain.size()).isEqualTo(13213);
        assertThat(ahead.size()).isEqualTo(plain.size());
        assertThat(ahead.equals(plain)).as("same sequence").isTrue();
        assertThat(stats.events()).isEqualTo(13213);
    }

    @Test
    void aDecoderFailureArrivesAfterTheEventsDecodedBeforeIt() throws IOException {
        int failAt = 5000;
        List<Long> seen = new ArrayList<>();
        try (TraceReader r = DecodeAhead.of(new FailingAt(Traces.open(TRACE), failAt), 64, 3)) {
            assertThatThrownBy(() -> {
                for (TraceEvent e; (e = r.next()) != null; ) {
                    seen.add(e.timestampNs());
                }
            }).isInstanceOf(TraceFormatException.class).hasMessageContaining("injected at event 5000");
        }
        assertThat(seen.size()).isEqualTo(failAt);
        assertThat(seen).isSorted();
    }

    @Test
    void aRuntimeFailureOfTheDecoderIsRethrownAsItself() throws IOException {
        try (TraceReader r = DecodeAhead.of(new FailingAt(Traces.open(TRACE), 10, true), 4, 1)) {
            for (int i = 0; i < 10; i++) {
                assertThat(r.next()).isNotNull();
            }
            assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("injected");
        }
    }

    @Test
    void closingEarlyStopsTheDecoderAndClosesTheReader() throws IOException {
        FailingAt inner = new FailingAt(Traces.open(TRACE), Integer.MAX_VALUE);
        DecodeAhead r = DecodeAhead.of(inner, 16, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(r.next()).isNotNull();
        }
        r.close();
        assertThat(inner.closed).isTrue();
        // the decoder stopped long before the end of the 13213 events
        assertThat(inner.delivered).isLessThan(13213);
    }

    private static String key(TraceEvent e) {
        return e.timestampNs() + " " + e.header().cpu() + " " + e.name();
    }

    /** A real reader that fails at event N, as a corrupt page in the middle of a trace would. */
    private static final class FailingAt implements TraceReader {
        final TraceReader in;
        final int failAt;
        final boolean runtime;
        volatile int delivered;
        volatile boolean closed;

        FailingAt(TraceReader in, int failAt) {
            this(in, failAt, false);
        }

        FailingAt(TraceReader in, int failAt, boolean runtime) {
            this.in = in;
            this.failAt = failAt;
            this.runtime = runtime;
        }

        @Override
        public TraceEvent next() throws IOException {
            if (delivered == failAt) {
                if (runtime) {
                    throw new IllegalStateException("injected");
                }
                throw new TraceFormatException(TRACE.toString(), -1, "test", "injected at event " + failAt);
            }
            TraceEvent e = in.next();
            if (e != null) {
                delivered++;
            }
            return e;
        }

        @Override
        public TraceInfo info() {
            return in.info();
        }

        @Override
        public FormatRegistry formats() {
            return in.formats();
        }

        @Override
        public ReadStats stats() {
            return in.stats();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            in.close();
        }
    }
}
