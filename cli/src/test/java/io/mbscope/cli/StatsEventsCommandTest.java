package io.mbscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mbscope stats` and `mbscope events` as documented in the README, on real captures. */
class StatsEventsCommandTest {

    static final Path CAPTURE = ReplayCommandTest.root().resolve("sample-traces/7.3.4-4k");

    @Test
    void statsJsonCountsEqualTraceCmdReport() {
        var r = ReplayCommandTest.run("stats", "--format", "json", CAPTURE.resolve("trace.dat").toString());
        assertThat(r.code()).as(r.err()).isZero();
        // counts of trace-cmd report's report.txt for this capture (sample-traces/catalog.json)
        assertThat(r.out()).contains("\"ext4_mballoc_alloc\" : 138").contains("\"ext4_request_blocks\" : 772")
                .contains("\"ext4_ext_map_blocks_enter\" : 1622").contains("\"events\" : 13213")
                .contains("\"kernel\" : \"7.3.4+deb13-amd64\"").contains("\"lost\" : 0");
    }

    @Test
    void statsReadsCompressedPerfData() {
        var r = ReplayCommandTest.run("stats", CAPTURE.resolve("perf.data.zst").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("perf.data").contains("events    13202");
    }

    @Test
    void eventsCsvOfOneTypeHasOneColumnPerField() {
        var r = ReplayCommandTest.run("events", "--type", "ext4_mballoc_alloc", "--format", "csv", "--limit", "1",
                CAPTURE.resolve("trace.dat").toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("time_ns,cpu,pid,comm,event,ino,dev,orig_logical");
        // report.txt: "ext4_mballoc_alloc: dev 8,0 inode 12 orig 0/0/1@0 goal 0/0/1@0 result 0/4139/1@0"
        assertThat(lines[1]).contains(",ext4_mballoc_alloc,12,8388608,0,0,0,1,0,0,0,1,0,4139,0,1,");
    }

    @Test
    void corruptAndUnsupportedInputsGiveDocumentedExitCodes(@TempDir Path tmp) throws IOException {
        byte[] dat = Files.readAllBytes(CAPTURE.resolve("trace.dat"));
        Path cut = tmp.resolve("cut.dat");
        Files.write(cut, java.util.Arrays.copyOf(dat, 300));
        var r = ReplayCommandTest.run("stats", cut.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("cut.dat").doesNotContain("\tat ");

        Path bin = tmp.resolve("elf");
        Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        r = ReplayCommandTest.run("stats", bin.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_UNSUPPORTED);

        r = ReplayCommandTest.run("stats", "--format", "yaml", bin.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
    }
}
