package io.mbscope.cli;

import io.mbscope.report.FsSpaces;
import io.mbscope.report.Report;
import io.mbscope.report.ReportInputs;
import io.mbscope.report.ReportOptions;
import io.mbscope.report.TraceData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mbscope report}: charts, CSV tables and one HTML page for one or more traces. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write charts (PNG, SVG), CSV tables and an index.html for one or more traces.",
            "A FOLDER is a capture folder like sample-traces/<name>/: its trace.dat (else perf.data, text...) is "
                    + "read and its image-before.img(.zst) gives the initial free space. Several inputs are "
                    + "overlaid on the same charts."},
        footerHeading = "%nExamples:%n",
        footer = {"  mbscope report sample-traces/7.3.4-4k -o out/7.3.4-4k",
            "  mbscope report sample-traces/6.18.44-4k sample-traces/7.3.4-4k --label 6.18 --label 7.3 -o out/cmp",
            "  mbscope report --color-by criterion trace.dat -o out"})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE|FOLDER", description = "traces or capture folders")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "directory to write into (created; files of the same name are replaced)")
    Path output;

    @Option(names = "--label", paramLabel = "NAME",
            description = "name of each input on charts and in CSVs, once per input, in order "
                    + "(default: folder or file name)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--color-by", defaultValue = "inode", paramLabel = "inode|criterion",
            description = "allocation map colours for a single trace (default: ${DEFAULT-VALUE}); "
                    + "several traces are coloured by trace")
    String colorBy;

    @Option(names = "--max-points", defaultValue = "" + ReportOptions.DEFAULT_MAX_POINTS, paramLabel = "N",
            description = "bin the allocation map into a grid above this many extents (default: ${DEFAULT-VALUE})")
    int maxPoints;

    @Option(names = "--samples", defaultValue = "200", paramLabel = "N",
            description = "free-space samples over the trace's duration (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--no-svg", description = "write PNG only")
    boolean noSvg;

    @Option(names = "--no-hints", description = "replay from the trace alone: do not feed the capture's "
            + "syscalls.csv (fsync = journal commit, close = no writer) to the model")
    boolean noHints;

    @Option(names = "--no-fs-image", description = "ignore image-before.img(.zst): no free-space charts")
    boolean noFsImage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // charts are drawn off-screen: never try to reach a display, even when DISPLAY is set
        System.setProperty("java.awt.headless", "true");
        ReportOptions.ColorBy by = switch (colorBy.toLowerCase(Locale.ROOT)) {
            case "inode" -> ReportOptions.ColorBy.INODE;
            case "criterion", "cr" -> ReportOptions.ColorBy.CRITERION;
            default -> throw new IllegalArgumentException("--color-by: expected inode or criterion, found " + colorBy);
        };
        if (maxPoints < 1 || samples < 2) {
            throw new IllegalArgumentException("--max-points must be >= 1 and --samples >= 2");
        }
        ReportOptions opt = new ReportOptions(by, maxPoints, samples, !noSvg);
        PrintWriter out = spec.commandLine().getOut();
        List<TraceData> traces = new ArrayList<>();
        for (ReportInputs.Input in : ReportInputs.resolve(inputs, labels)) {
            long t0 = System.nanoTime();
            TraceData d = ReportInputs.load(noFsImage ? in.withoutFsImage() : in,
                    FsSpaces::fromImage, System.err, !noHints);
            traces.add(d);
            out.printf(Locale.ROOT, "read %s (%s): %,d events, %,d allocations in %.2f s%n", in.trace(), in.label(),
                    d.events(), d.allocations().size(), (System.nanoTime() - t0) / 1e9);
        }
        long t0 = System.nanoTime();
        Report.Result r = Report.write(traces, output, opt);
        out.printf(Locale.ROOT, "wrote %s: %d charts, %d CSV tables in %.2f s%n", output.resolve(Report.INDEX),
                r.charts().size(), r.tables().size(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        return Main.EXIT_OK;
    }
}
