package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FormatFileParser;
import io.mbscope.parsers.format.PrintFmtMatcher;
import java.nio.charset.StandardCharsets;

/** A tracepoint format file (events/SYSTEM/NAME/format), and the print-format matcher built from it. */
class FormatFileFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void formatFile(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        try {
            EventFormat f = FormatFileParser.parse("ext4", text, "format", 0);
            if (f != null) {
                PrintFmtMatcher.of(f);
            }
        } catch (TraceFormatException expected) {
            Inputs.checkMessage(expected);
        }
    }
}
