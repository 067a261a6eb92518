package io.mbscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    static Path samples() {
        String p = System.getProperty("mbscope.root");
        Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-traces"))) {
                return d.resolve("sample-traces");
            }
        }
        throw new IllegalStateException("sample-traces/ not found above " + start);
    }

    record Run(int code, String out, String err) {
    }

    /** Through Main, so the exit codes are the CLI's. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** ext4_allocate_blocks lines trace-cmd printed for a capture. */
    static long allocateLines(Path folder) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ZstdInputStream(Files.newInputStream(folder.resolve("report.txt.zst"))), StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> l.contains(": ext4_allocate_blocks: ")).count();
        }
    }

    @Test
    void twoCaptureFoldersOverlaidWithLabels() throws Exception {
        Path a = samples().resolve("6.18.44-4k");
        Path b = samples().resolve("7.3.4-4k");
        Path out = tmp.resolve("cmp");
        Run r = run(a.toString(), b.toString(), "--label", "6.18", "--label", "7.3", "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out.resolve("index.html"));
        List<String> rows = Files.readAllLines(out.resolve("allocations.csv"));
        assertThat(rows.get(0)).startsWith("trace,seq,time_ns,time_s,");
        assertThat(rows.stream().filter(l -> l.startsWith("6.18,")).count()).isEqualTo(allocateLines(a));
        assertThat(rows.stream().filter(l -> l.startsWith("7.3,")).count()).isEqualTo(allocateLines(b));
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<th>6.18</th><th>7.3</th>", "7.3.4+deb13-amd64", "ok: 32");
        for (String f : List.of("allocation-map.png", "allocation-map.svg", "free-space.png",
                "free-space-orders-1-6.18.png", "free-space-orders-2-7.3.png", "normalisation.png", "criteria.png",
                "groups-scanned.png", "groups-scanned-over-time.png", "event-counts.png", "mballoc.csv",
                "free_space.csv", "event_counts.csv")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
    }

    @Test
    void labelsMustMatchInputs() {
        Path a = samples().resolve("6.18.44-4k");
        Path out = tmp.resolve("x");
        Run r = run(a.toString(), a.toString(), "--label", "only-one", "-o", out.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("1 labels for 2 inputs");
        assertThat(out).doesNotExist();
    }

    @Test
    void sameFolderTwiceGetsDistinctDefaultLabels() throws Exception {
        Path a = samples().resolve("6.18.44-1k");
        Path out = tmp.resolve("twice");
        Run r = run(a.toString(), a.toString(), "--no-svg", "--no-fs-image", "--color-by", "criterion",
                "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("allocations.csv"));
        long n = allocateLines(a);
        assertThat(rows.stream().filter(l -> l.startsWith("6.18.44-1k,")).count()).isEqualTo(n);
        assertThat(rows.stream().filter(l -> l.startsWith("6.18.44-1k #2,")).count()).isEqualTo(n);
        assertThat(out.resolve("allocation-map.svg")).doesNotExist();
        assertThat(out.resolve("free-space.png")).doesNotExist();
    }

    @Test
    void rejectsUnknownColouring() {
        Run r = run(samples().resolve("6.18.44-4k").toString(), "--color-by", "rainbow", "-o",
                tmp.resolve("y").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("expected inode or criterion");
    }

    @Test
    void missingInputIsACorruptInputError() {
        Run r = run(tmp.resolve("no-such-trace.dat").toString(), "-o", tmp.resolve("z").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_CORRUPT);
        assertThat(r.err()).contains("no such file");
    }
}
