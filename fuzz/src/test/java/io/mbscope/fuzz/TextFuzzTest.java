package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.text.TextTraceReader;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;

/**
 * The text formats. All three go through the same entry point (the dialect is detected from the
 * first lines); the harnesses differ by their seeds, so each dialect's deep paths get explored.
 * The formats/ directory of a real capture is given, so fields are decoded by the print formats.
 */
class TextFuzzTest {
    private static final Path FORMATS = Seeds.root().resolve("sample-traces/7.3.4-4k/formats");

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
        Inputs.drain(() -> TextTraceReader.open(new ByteArrayInputStream(data), name, FORMATS));
    }
}
