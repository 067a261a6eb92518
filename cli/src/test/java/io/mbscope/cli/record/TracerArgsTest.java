package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.cli.record.EventPlan.EventSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracerArgsTest {
    private static List<EventSpec> plan(Path folder, int major, int minor) throws Exception {
        return EventPlan.resolve(folder.resolve("formats"), new BlockDevice(Path.of("/dev/loop0"), "loop0", major,
                minor), List.of("ext4wl"));
    }

    /** The same command line the lab scripts ran (trace-cmd-cmdline.txt of the capture). */
    @Test
    void traceCmdLineAsTheCorpusCapture() throws Exception {
        Path f = Corpus.folder("6.18.44-4k");
        List<String> a = TracerArgs.traceCmdRecord("/usr/bin/trace-cmd", Path.of("trace.dat"), "ext4lab-tc-28864",
                32768, plan(f, 7, 0));
        assertThat(TracerArgs.display(a)).isEqualTo(Files.readString(f.resolve("trace-cmd-cmdline.txt")).strip());
        // the filter is one argument, spaces and all
        assertThat(a).contains("dev_major == 7 && dev_minor == 0", "comm == \"ext4wl\"");
    }

    @Test
    void perfLineAsTheCorpusCapture() throws Exception {
        Path f = Corpus.folder("7.3.4-4k");
        List<String> a = TracerArgs.perfRecord("/usr/bin/perf", Path.of("/out/7.3.4-4k/perf.data"), 0, null, null,
                plan(f, 8, 0));
        assertThat(TracerArgs.display(a)).isEqualTo(Files.readString(f.resolve("perf-cmdline.txt")).strip());
        assertThat(a).contains("dev == 8388608");
    }

    @Test
    void perfStartsDisabledUnderControl() throws Exception {
        List<String> a = TracerArgs.perfRecord("perf", Path.of("o/perf.data"), 32768, Path.of("/t/ctl"),
                Path.of("/t/ack"), List.of(new EventSpec("ext4", "ext4_request_blocks", "dev == 7340032")));
        assertThat(a).containsExactly("perf", "record", "-a", "-k", "mono", "-D", "-1", "--control",
                "fifo:/t/ctl,/t/ack", "-m", "8192", "-o", "o/perf.data", "-e", "ext4:ext4_request_blocks", "--filter",
                "dev == 7340032");
    }

    @Test
    void eventWithoutFilterHasNoFilterArgument() {
        List<String> a = TracerArgs.traceCmdRecord("trace-cmd", Path.of("t.dat"), "i", 1024,
                List.of(new EventSpec("iomap", "iomap_iter", "")));
        assertThat(a).endsWith("-e", "iomap:iomap_iter").doesNotContain("-f");
    }

    @Test
    void perfMmapIsAPowerOfTwoOfPagesThatHoldsTheBuffer() {
        assertThat(TracerArgs.perfMmapPages(32768)).isEqualTo(8192);
        assertThat(TracerArgs.perfMmapPages(100)).isEqualTo(32); // 25 pages -> 32
        assertThat(TracerArgs.perfMmapPages(4)).isEqualTo(1);
        assertThat(TracerArgs.perfMmapPages(1)).isEqualTo(1);
        assertThat(TracerArgs.perfMmapPages(8196)).isEqualTo(4096); // 2049 pages -> 4096
    }
}
