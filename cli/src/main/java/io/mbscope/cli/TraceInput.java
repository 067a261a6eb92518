package io.mbscope.cli;

import io.mbscope.parsers.ReadOptions;
import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The trace input options of the commands that read one trace ({@code stats}, {@code events}): the
 * file, the output format, and how corrupt data is treated. A picocli mixin.
 */
public final class TraceInput {
    @Parameters(index = "0", paramLabel = "FILE",
            description = "trace.dat, perf.data, text trace (.zst ok), or - for stdin")
    Path file;

    @Option(names = "--format", defaultValue = "text",
            description = "text, csv (events only) or json (default: ${DEFAULT-VALUE})")
    Output format;

    @Option(names = "--lenient", description = {
            "Keep going past corrupt data: skip the bad trace.dat page or compressed chunk, perf.data record "
                    + "(up to the next plausible record header) or text line, and read an interrupted recording up "
                    + "to its cut. What was skipped is counted by reason and printed at the end; the exit code is "
                    + "3 if anything was skipped (see --allow-skips)."})
    boolean lenient;

    @Option(names = "--allow-skips", description = "With --lenient: exit 0 even when corrupt data was skipped "
            + "(the counts are still printed on stderr).")
    boolean allowSkips;

    ReadOptions options() {
        return lenient ? ReadOptions.LENIENT : ReadOptions.STRICT;
    }

    TraceReader open() throws IOException {
        return Traces.open(file, options());
    }

    /**
     * Reports the corrupt data skipped (one stderr line per reason, then the total and where the
     * first skips were) and returns the exit code: {@link Main#EXIT_OK} if nothing was skipped or
     * --allow-skips was given, else {@link Main#EXIT_CORRUPT}.
     */
    int finish(ReadStats stats, PrintWriter err) {
        Main.warnSkippedCorrupt(stats, err);
        long n = stats.corruptTotal();
        if (n == 0) {
            return Main.EXIT_OK;
        }
        err.println("mbscope: warning: corrupt data skipped: " + n + " unit(s), " + stats.corruptBytes()
                + " bytes" + (allowSkips ? "" : "; exit code 3 (--allow-skips: 0)"));
        for (String at : stats.corruptPlaces()) {
            err.println("mbscope:   " + at);
        }
        err.flush();
        return allowSkips ? Main.EXIT_OK : Main.EXIT_CORRUPT;
    }
}
