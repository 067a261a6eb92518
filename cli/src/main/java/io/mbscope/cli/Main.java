package io.mbscope.cli;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the mbscope command line. */
@Command(name = "mbscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Explains what the ext4 block allocator (mballoc) did, from real kernel traces.",
        subcommands = {StatsCommand.class, EventsCommand.class, ReplayCommand.class, AtomicCommand.class,
                ReportCommand.class, io.mbscope.cli.record.RecordCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  divergences the model cannot explain (replay, atomic)",
                "  2  usage error", "  3  unreadable or corrupt input (with --lenient: also when corrupt data was skipped, unless --allow-skips)", "  4  unsupported format or version",
                "%nExamples:%n",
                "  mbscope stats sample-traces/7.3.4-4k/trace.dat",
                "  mbscope stats --format json sample-traces/7.3.4-4k/perf.data.zst",
                "  mbscope events --type ext4_mballoc_alloc --format csv sample-traces/7.3.4-4k/trace.dat",
                "  perf record -o - ... | mbscope stats -"})
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_DIVERGENCES = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CORRUPT = 3;
    public static final int EXIT_UNSUPPORTED = 4;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean dbg = main.debug;
            if (dbg) {
                ex.printStackTrace(err);
            }
            if (ex instanceof UnsupportedFormatException) {
                err.println("mbscope: unsupported input: " + ex.getMessage());
                return EXIT_UNSUPPORTED;
            }
            if (ex instanceof TraceFormatException || ex instanceof java.io.IOException) {
                err.println("mbscope: " + ex.getMessage());
                return EXIT_CORRUPT;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("mbscope: " + ex.getMessage());
                return EXIT_USAGE;
            }
            err.println("mbscope: internal error: " + ex + (dbg ? "" : " (run with --debug for the stack trace)"));
            return EXIT_CORRUPT;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * In --lenient mode, one stderr line per kind of corrupt data skipped, so a script run with
     * --allow-skips (exit code 0) still leaves a trace in its log.
     */
    static void warnSkippedCorrupt(io.mbscope.parsers.ReadStats stats, PrintWriter err) {
        for (var s : stats.skipped().entrySet()) {
            if (s.getKey().startsWith(io.mbscope.parsers.ReadOptions.CORRUPT_PREFIX)) {
                err.println("mbscope: warning: skipped " + s.getValue() + " x " + s.getKey());
            }
        }
        err.flush();
    }

    /** Version from the jar manifest, with the formats this build reads. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mbscope " + (v == null ? "(development build)" : v),
                    "reads: trace.dat v6 and v7 (zstd, zlib), perf.data (file and pipe mode, zstd-compressed "
                            + "records), trace-cmd report / ftrace / perf script text; inputs may be .zst"};
        }
    }
}
