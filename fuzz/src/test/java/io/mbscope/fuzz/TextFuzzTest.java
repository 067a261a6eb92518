package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.format.FormatDirectory;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.parsers.text.TextTraceReader;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The text formats. All three go through the same entry point (the dialect is detected from the
 * first lines); the harnesses differ by their seeds, so each dialect's deep paths get explored.
 * The formats/ directory of a real capture is given, so fields are decoded by the print formats.
 */
class TextFuzzTest {
    /** Loaded once: loading a formats/ folder per input would be nearly all of the fuzzer's time. */
    private static final FormatRegistry FORMATS = load();

    private static FormatRegistry load() {
        try {
            return FormatDirectory.load(Seeds.root().resolve("sample-traces/7.3.4-4k/formats"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void report(byte[] data) {
        read(data, "report.txt");
    }

    @FuzzTest(maxDuration = "10m")
    void ftrace(byte[] data) {
        read(data, "trace.txt");
    }

    @FuzzTest(maxDuration = "10m")
    void perfScript(byte[] data) {
        read(data, "perf-script.txt");
    }

    private static void read(byte[] data, String name) {
        Inputs.drainBoth(o -> TextTraceReader.open(new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(data), StandardCharsets.UTF_8)), name, FORMATS, o));
    }
}
