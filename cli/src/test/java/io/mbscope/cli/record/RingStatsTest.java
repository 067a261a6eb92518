package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RingStatsTest {
    @Test
    void corpusPerCpuStatsHaveNothingLost() throws Exception {
        for (String f : Corpus.FOLDERS) {
            RingStats s = RingStats.parse(Files.readString(Corpus.folder(f).resolve("trace-stats.txt")));
            assertThat(s.cpus()).as(f).isGreaterThanOrEqualTo(1);
            // traces/README.md: "overrun and dropped are 0 in every folder"
            assertThat(s.lost()).as(f).isZero();
        }
    }

    @Test
    void sumsEveryLossCounterOverCpus() {
        String perCpu = """
                == cpu0
                entries: 10423
                overrun: 12
                commit overrun: 1
                bytes: 588164
                dropped events: 0
                read events: 0
                == cpu1
                entries: 2480
                overrun: 0
                commit overrun: 0
                dropped events: 3
                read events: 77
                """;
        RingStats s = RingStats.parse(perCpu);
        assertThat(s).isEqualTo(new RingStats(2, 12, 1, 3));
        assertThat(s.lost()).isEqualTo(16);
    }

    /** trace-cmd 3.1.6 report --stat of the 6.18.44-4k trace.dat (entries are unread, not lost). */
    @Test
    void traceCmdReportStat() {
        String text = """
                cpus=2

                Kernel buffer statistics:
                  Note: "entries" are the entries left in the kernel ring buffer and are not
                        recorded in the trace data. They should all be zero.


                Buffer: ext4lab-tc-28864


                CPU: 0
                entries: 0
                overrun: 0
                commit overrun: 0
                bytes: 0
                oldest event ts: 10280.995774
                now ts: 10284.802964
                dropped events: 0
                read events: 10423

                CPU: 1
                entries: 2480
                overrun: 5
                commit overrun: 0
                bytes: 135220
                dropped events: 0
                read events: 0
                """;
        assertThat(RingStats.parse(text)).isEqualTo(new RingStats(2, 5, 0, 0));
    }
}
