package io.mbscope.cli;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the mbscope command line. */
@Command(name = "mbscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Explains what the ext4 block allocator (mballoc) did, from real kernel traces.",
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

    /** Subcommand names in the order {@code mbscope --help} lists them. */
    static final List<String> SUBCOMMANDS = List.of("stats", "events", "replay", "atomic", "report", "record", "help");

    /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Without picocli: its ~170 classes are Java 5 bytecode, which neither AppCDS nor the JDK 25
            // AOT cache can hold, so loading and verifying them is most of a --version run.
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return EXIT_OK;
        }
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        // Only the subcommand being run gets its picocli model built (each model reflects over the
        // command's fields and annotations, and report's would load the charting classes): the
        // others are registered only when the help lists them or the name is not one of ours.
        String sub = subcommandOf(args);
        for (String name : SUBCOMMANDS) {
            if (sub == null || sub.equals("help") || sub.equals(name)) {
                cl.addSubcommand(name, newSubcommand(name));
            }
        }
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

    /** The first argument that is not a root option, if it names one of our subcommands; else null. */
    static String subcommandOf(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                continue;
            }
            return !a.startsWith("-") && SUBCOMMANDS.contains(a) ? a : null;
        }
        return null;
    }

    private static Object newSubcommand(String name) {
        return switch (name) {
            case "stats" -> new StatsCommand();
            case "events" -> new EventsCommand();
            case "replay" -> new ReplayCommand();
            case "atomic" -> new AtomicCommand();
            case "report" -> new ReportCommand();
            case "record" -> new io.mbscope.cli.record.RecordCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
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
