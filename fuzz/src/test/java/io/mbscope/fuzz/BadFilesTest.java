package io.mbscope.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mbscope.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of parsers/src/test/resources/bad/ through the CLI, as a user would run it: the exit
 * code its README row gives, exactly one stderr line that names the file and a byte offset, no
 * stack trace, no "internal error", and an end within a time bound (no hang, no giant allocation:
 * this module's tests run with a 256 MiB heap).
 */
class BadFilesTest {
    static final Path BAD = Seeds.root().resolve("parsers/src/test/resources/bad");
    private static final Pattern ROW = Pattern.compile("^\\| (\\S+) \\| (\\d) \\| (.*) \\|$");

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Main.run(args, new PrintWriter(out), new PrintWriter(err)));
        return new Run(code, out.toString(), err.toString());
    }

    static List<Arguments> rows(Path readme) throws IOException {
        List<Arguments> rows = new ArrayList<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(Arguments.of(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
            }
        }
        return rows;
    }

    static Stream<Arguments> badTraces() throws IOException {
        return rows(BAD.resolve("README.md")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTraces")
    void failsCleanly(String name, int expectedCode, String why) {
        Path file = BAD.resolve(name);
        Run r = run("stats", file.toString());
        assertThat(r.code).as("exit code for %s (%s); stderr: %s", name, why, r.err).isEqualTo(expectedCode);
        List<String> lines = r.err.lines().toList();
        assertThat(lines).as("stderr of %s", name).hasSize(1);
        String line = lines.get(0);
        assertThat(line).as("stderr of %s", name)
                .contains(file.toString())
                .containsPattern("at offset \\d+")
                .doesNotContain("internal error")
                .doesNotContain("Exception");
        assertThat(r.out).as("no partial report on stdout").isEmpty();
    }

    @Test
    void readmeListsEveryFile() throws IOException {
        List<String> listed = badTraces().map(a -> (String) a.get()[0]).toList();
        try (Stream<Path> s = Files.list(BAD)) {
            List<String> present = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
        }
    }
}
