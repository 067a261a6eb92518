package io.mbscope.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.replay.fs.FsStateLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of allocator-replay/src/test/resources/bad/ through the fs-state loader: a
 * TraceFormatException (exit 3) or UnsupportedFormatException (exit 4) as the README row says,
 * naming the file and an offset, in bounded time under the 256 MiB heap.
 */
class BadFsInputsTest {
    static final Path BAD = Seeds.root().resolve("allocator-replay/src/test/resources/bad");

    static Stream<Arguments> badInputs() throws IOException {
        return BadFilesTest.rows(BAD.resolve("README.md")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void failsCleanly(String name, int expectedCode, String why) {
        Path file = BAD.resolve(name);
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowable(() -> {
            if (name.endsWith(".img")) {
                FsStateLoader.fromImage(file, false);
            } else {
                FsStateLoader.fromDumpe2fs(file);
            }
        }));
        assertThat(t).as("%s (%s)", name, why).isInstanceOf(TraceFormatException.class);
        assertThat(t instanceof UnsupportedFormatException ? 4 : 3).as("%s: %s", name, t.getMessage())
                .isEqualTo(expectedCode);
        assertThat(t.getMessage()).contains(file.getFileName().toString()).containsPattern("at offset \\d+");
    }
}
