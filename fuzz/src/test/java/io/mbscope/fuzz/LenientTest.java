package io.mbscope.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.cli.Main;
import io.mbscope.parsers.ReadOptions;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --lenient: an interrupted recording (a file cut inside its ring-buffer data, or a v7 file that lost
 * the options trace-cmd writes after the data) reads everything before the cut, reports the cut and
 * exits 3, or 0 with --allow-skips; without --lenient, the same file exits 3 with one error line.
 */
class LenientTest {
    @TempDir
    Path tmp;

    private static final Pattern EVENTS = Pattern.compile("(?m)^events +(\\d+)$");

    static long events(String statsOut) {
        Matcher m = EVENTS.matcher(statsOut);
        assertThat(m.find()).as(statsOut).isTrue();
        return Long.parseLong(m.group(1));
    }

    /**
     * The real 7.3.4-4k trace.dat in version 6, whose last CPU's ring-buffer pages end the file
     * (v7 writes options after the data, so a cut there loses the header, not events), cut 5000
     * bytes before its end.
     */
    Path cutRealTrace() throws IOException {
        Path full = fullV6();
        byte[] all = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.dat");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 5000));
        return cut;
    }

    Path fullV6() throws IOException {
        Path full = tmp.resolve("full-v6.dat");
        if (!Files.exists(full)) {
            try (var in = new io.airlift.compress.zstd.ZstdInputStream(
                    Files.newInputStream(Seeds.root().resolve("sample-traces/7.3.4-4k/trace-v6.dat.zst")))) {
                Files.copy(in, full);
            }
        }
        return full;
    }

    @Test
    void interruptedRecordingReadsUpToTheCut() throws IOException {
        Path full = fullV6();
        Path cut = cutRealTrace();
        BadFilesTest.Run whole = BadFilesTest.run("stats", full.toString());
        BadFilesTest.Run strict = BadFilesTest.run("stats", cut.toString());
        BadFilesTest.Run lenient = BadFilesTest.run("stats", "--lenient", cut.toString());

        assertThat(strict.code()).as(strict.err()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(strict.out()).isEmpty();
        assertThat(lenient.code()).as(lenient.err()).isEqualTo(Main.EXIT_CORRUPT);
        long before = events(lenient.out());
        // most of the trace is before the cut (5000 of 2 MB cut off), but not all of it
        assertThat(before).isGreaterThan(events(whole.out()) / 2).isLessThan(events(whole.out()));
        assertThat(lenient.out()).contains(ReadOptions.CORRUPT_PREFIX + "trace.dat CPU data cut short");
        assertThat(lenient.err()).contains("mbscope: warning: skipped 1 x corrupt: trace.dat CPU data cut short")
                .contains("mbscope: warning: corrupt data skipped: ").containsPattern("at offset \\d+")
                .contains(cut.toString());

        BadFilesTest.Run allowed = BadFilesTest.run("stats", "--lenient", "--allow-skips", cut.toString());
        assertThat(allowed.code()).as(allowed.err()).isEqualTo(Main.EXIT_OK);
        assertThat(events(allowed.out())).isEqualTo(before);
        assertThat(allowed.err()).contains("mbscope: warning: corrupt data skipped: ");
    }

    /**
     * The bad-corpus v7 file cut where trace-cmd writes the options after the data: strict fails at
     * the missing options; lenient finds the data by its chunk tables and reads every event of the
     * whole file it was cut from (fuzz/seeds/base/v7-small-zstd).
     */
    @Test
    void interruptedV7RecordingReadsEveryEvent() {
        Path bad = BadFilesTest.BAD.resolve("v7-interrupted-options-lost.dat");
        Path whole = Seeds.root().resolve("fuzz/seeds/base/v7-small-zstd");
        BadFilesTest.Run full = BadFilesTest.run("stats", whole.toString());
        BadFilesTest.Run strict = BadFilesTest.run("stats", bad.toString());
        BadFilesTest.Run lenient = BadFilesTest.run("stats", "--lenient", bad.toString());
        assertThat(full.code()).isEqualTo(Main.EXIT_OK);
        assertThat(strict.code()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(lenient.code()).as(lenient.err()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(events(lenient.out())).isEqualTo(events(full.out())).isPositive();
        assertThat(lenient.err()).contains("options written after the data missing (interrupted recording)")
                .contains("corrupt data skipped: 2 unit(s)");
        BadFilesTest.Run events = BadFilesTest.run("events", "--lenient", "--allow-skips", bad.toString());
        BadFilesTest.Run fullEvents = BadFilesTest.run("events", whole.toString());
        assertThat(events.code()).isEqualTo(Main.EXIT_OK);
        assertThat(events.out()).isEqualTo(fullEvents.out());
    }

    @Test
    void lenientReaderCountsTheCutInReadStats() throws IOException {
        Path cut = cutRealTrace();
        try (TraceReader r = Traces.open(cut, ReadOptions.LENIENT)) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isPositive();
            assertThat(r.next()).isNull();
            assertThat(r.stats().skipped().keySet()).anyMatch(k -> k.startsWith(ReadOptions.CORRUPT_PREFIX));
        }
    }

    @Test
    void lenientStillFailsOnAnUnreadableHeader() {
        Path bad = BadFilesTest.BAD.resolve("v6-ftrace-count-huge.dat");
        BadFilesTest.Run r = BadFilesTest.run("stats", "--lenient", bad.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_CORRUPT);
    }

    @Test
    void lenientEventsCommandWarnsOnStderr() throws IOException {
        BadFilesTest.Run r = BadFilesTest.run("events", "--lenient", cutRealTrace().toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(r.out().lines().count()).isPositive();
        assertThat(r.err()).startsWith("mbscope: warning: skipped 1 x corrupt: ");
    }
}
