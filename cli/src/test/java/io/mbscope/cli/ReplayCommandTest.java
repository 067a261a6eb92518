package io.mbscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mbscope replay` through the real CLI on real captures. */
class ReplayCommandTest {

    static Path root() {
        String p = System.getProperty("mbscope.root");
        return p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void replaysACaptureFolderAsJson() {
        Run r = run("replay", root().resolve("sample-traces/7.3.4-4k").toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        // 772 = the ext4_request_blocks lines trace-cmd report printed for this capture (catalog.json)
        assertThat(r.out()).contains("\"allocations\" : 772").contains("\"unexplained\" : 0")
                .contains("\"divergences\" : {").contains("\"exact\" : ");
    }

    @Test
    void textSummaryNamesKernelAndFields() {
        Run r = run("replay", root().resolve("sample-traces/6.18.44-bigalloc16k").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("kernel       6.18.44-fc-v657").contains("allocations  734")
                .contains("match rate per predicted field:");
    }

    @Test
    void traceOfAnotherDeviceIsRejected(@TempDir Path tmp) throws IOException {
        Path src = root().resolve("sample-traces/7.3.4-4k");
        for (String f : new String[] {"trace.dat", "dumpe2fs-before.txt"}) {
            Files.copy(src.resolve(f), tmp.resolve(f));
        }
        // the capture says the traced device is 7:0, the events are of 8:0
        String meta = Files.readString(src.resolve("meta.txt")).replace("majmin=8:0", "majmin=7:0");
        Files.writeString(tmp.resolve("meta.txt"), meta);
        Run r = run("replay", tmp.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(r.err()).contains("expected events of device 7:0").contains("found 8:0").doesNotContain("\tat ");
    }

    @Test
    void missingInitialStateIsAUsageError(@TempDir Path tmp) throws IOException {
        Files.copy(root().resolve("sample-traces/7.3.4-4k/trace.dat"), tmp.resolve("trace.dat"));
        Run r = run("replay", tmp.resolve("trace.dat").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("no initial fs state");
    }
}
