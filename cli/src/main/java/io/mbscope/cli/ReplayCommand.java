package io.mbscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.Divergence;
import io.mbscope.replay.DivergenceClass;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.ReplayResult;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import io.mbscope.replay.fs.Tunables;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mbscope replay}: every allocation of a trace through the mballoc model, divergences classified. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay every allocation request of a trace through the mballoc model of the trace's kernel,",
                "starting from the file system's real initial state, and report where the kernel did",
                "something else, with a classified cause.",
                "Exit code 1 when a divergence is UNEXPLAINED, 0 otherwise."})
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE|FOLDER",
            description = "a capture folder (trace, image or dumpe2fs, meta.txt found by themselves) or a trace file")
    Path input;

    @Option(names = "--image", paramLabel = "IMG", description = "ext4 image before the run (raw, sparse, .zst)")
    Path image;

    @Option(names = "--dumpe2fs", paramLabel = "TXT", description = "dumpe2fs output before the run (when no image)")
    Path dumpe2fs;

    @Option(names = "--meta", paramLabel = "FILE", description = "meta.txt-style key=value tunables (sysfs.mb_*=...)")
    Path meta;

    @Option(names = "--kernel", paramLabel = "X.Y[.Z]", description = "kernel release to model (default: from the trace)")
    String kernel;

    @Option(names = "--set", paramLabel = "TUNABLE=VALUE", description = "override a tunable, e.g. mb_stream_req=32")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--commit-delay-ms", defaultValue = "5000", paramLabel = "MS",
            description = "without jbd2 commit events: freed blocks become reusable this long after the free "
                    + "(default: ${DEFAULT-VALUE}, the default journal commit interval)")
    long commitDelayMs;

    @Option(names = "--no-syscall-hints",
            description = "ignore the capture's syscalls.csv (fsync commit points, closes)")
    boolean noHints;

    @Option(names = "--format", defaultValue = "text", description = "text, csv or json (default: ${DEFAULT-VALUE})")
    Output format;

    @Option(names = "--all", description = "list every allocation, not only the divergent ones")
    boolean all;

    @Spec
    CommandSpec spec;

    private final List<AllocationVerdict> shown = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CaptureFolder folder = null;
        Path trace = input;
        if (Files.isDirectory(input)) {
            folder = CaptureFolder.open(input);
            trace = folder.trace().orElseThrow(() -> new IllegalArgumentException(
                    input + ": no trace in this folder (expected trace.dat, perf.data or a text trace)"));
        }
        if (image == null && dumpe2fs == null
                && (folder == null || (folder.image().isEmpty() && folder.dumpe2fs().isEmpty()))) {
            throw new IllegalArgumentException(input + ": no initial fs state: give --image IMG or --dumpe2fs TXT, "
                    + "or a capture folder with image-before.img(.zst) or dumpe2fs-before.txt");
        }
        ReplayOptions opts = ReplayOptions.defaults().withCommitDelayNs(commitDelayMs * 1_000_000L)
                .withKeepVerdicts(false);
        // Three things are independent until the first event is replayed: the syscall log (a 1M-event
        // capture's is ~50 MB of CSV), the initial fs state, and decoding the trace. On two cores they
        // run side by side: the log on its own thread, the trace on DecodeAhead's. Their failures are
        // still reported in the order of a sequential run: fs state, then syscall log, then trace.
        java.util.concurrent.FutureTask<SyscallHints> hintsTask = new java.util.concurrent.FutureTask<>(
                !noHints && folder != null && folder.syscalls().isPresent()
                        ? loadHints(folder.syscalls().get()) : SyscallHints::none);
        if (DecodeAhead.enabled()) {
            Thread t = new Thread(hintsTask, "mbscope-hints");
            t.setDaemon(true);
            t.start();
        } else {
            hintsTask.run();
        }
        TraceReader opened = null;
        Exception openFailure = null;
        try {
            opened = DecodeAhead.wrap(Traces.open(trace));
        } catch (Exception ex) {
            openFailure = ex;
        }
        FsState fs;
        SyscallHints hints;
        try {
            if (image != null) {
                fs = FsStateLoader.fromImage(image);
            } else if (dumpe2fs != null) {
                fs = FsStateLoader.fromDumpe2fs(dumpe2fs);
            } else {
                fs = FsStateLoader.fromCapture(folder);
            }
            hints = awaitHints(hintsTask);
            if (openFailure != null) {
                throw openFailure;
            }
        } catch (Exception ex) {
            if (opened != null) {
                opened.close();
            }
            throw ex;
        }
        ReplayResult result;
        String release;
        try (TraceReader r = opened) {
            release = kernel != null ? kernel
                    : r.info().kernelRelease() != null ? r.info().kernelRelease()
                    : folder != null ? folder.kernelRelease().orElse(null) : null;
            if (release == null) {
                throw new IllegalArgumentException(trace + ": the trace does not name its kernel: give --kernel X.Y");
            }
            Tunables t = meta != null ? Tunables.fromMeta(meta, release, fs.geometry())
                    : folder != null ? folder.tunables(fs.geometry())
                    : Tunables.defaultsFor(release, fs.geometry(), false);
            for (String o : overrides) {
                int eq = o.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set expects TUNABLE=VALUE, found '" + o + "'");
                }
                t = t.with(o.substring(0, eq), o.substring(eq + 1));
            }
            ReplayEngine engine = folder != null && image == null && dumpe2fs == null && meta == null && kernel == null
                    && overrides.isEmpty() ? Replays.engine(folder, fs, opts)
                    : Replays.engine(fs, t, release, 0, 1, opts);
            // Keep only what is printed (the divergent verdicts, or all with --all): memory then grows
            // with the divergences, not with the trace.
            engine.addListener(new io.mbscope.replay.ReplayListener() {
                @Override
                public void onAllocation(AllocationVerdict v) {
                    if (all || !v.exact()) {
                        shown.add(v);
                    }
                }
            });
            // The replay is only meaningful for the device the initial state describes: a trace of
            // another device (or of several) would be applied to the wrong bitmaps.
            Integer expectedDev = folder != null && image == null && dumpe2fs == null
                    ? folder.traceDev().orElse(null) : null;
            Integer seenDev = null;
            TraceEvent e;
            while ((e = r.next()) != null) {
                if (e instanceof TraceEvent.RequestBlocks rb) {
                    if (expectedDev != null && rb.dev() != expectedDev) {
                        throw new io.mbscope.parsers.TraceFormatException(trace.toString(), -1, "ext4_request_blocks",
                                "expected events of device " + devName(expectedDev) + " (meta.txt majmin), found "
                                        + devName(rb.dev()) + " at " + StatsCommand.seconds(e.timestampNs()));
                    }
                    if (seenDev != null && rb.dev() != seenDev) {
                        throw new io.mbscope.parsers.TraceFormatException(trace.toString(), -1, "ext4_request_blocks",
                                "expected the events of one device, found " + devName(seenDev) + " and "
                                        + devName(rb.dev()) + ": record with a dev filter");
                    }
                    seenDev = rb.dev();
                }
                hints.applyUpTo(e.timestampNs(), engine);
                engine.accept(e);
            }
            result = engine.finish();
            if (engine.ignoredEvents() > 0) {
                spec.commandLine().getErr().printf(
                        "mbscope: warning: %d events named blocks outside this file system and were ignored "
                                + "(is the initial state of the traced device?)%n", engine.ignoredEvents());
            }
        }
        print(result, trace.toString(), release, hints.size());
        return result.unexplained() > 0 ? Main.EXIT_DIVERGENCES : Main.EXIT_OK;
    }

    private void print(ReplayResult r, String trace, String release, int hintCount) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> {
                JsonGenerator g = new JsonFactory().createGenerator(out);
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("trace", trace);
                g.writeStringField("kernel", release);
                g.writeNumberField("allocations", r.allocations());
                g.writeNumberField("exact", r.exact());
                g.writeNumberField("exact_rate", r.exactRate());
                g.writeNumberField("unexplained", r.unexplained());
                g.writeObjectFieldStart("divergences");
                for (DivergenceClass c : DivergenceClass.values()) {
                    g.writeNumberField(c.name(), r.byClass().getOrDefault(c, 0));
                }
                g.writeEndObject();
                g.writeObjectFieldStart("field_match");
                for (var f : r.fieldCompared().entrySet()) {
                    g.writeObjectFieldStart(f.getKey().name());
                    g.writeNumberField("compared", f.getValue());
                    g.writeNumberField("matched", r.fieldMatched().getOrDefault(f.getKey(), 0));
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeArrayFieldStart("rows");
                for (AllocationVerdict v : shown) {
                    if (!all && v.exact()) {
                        continue;
                    }
                    for (Divergence d : v.divergences()) {
                        g.writeStartObject();
                        g.writeNumberField("time_ns", d.timestampNs());
                        g.writeNumberField("ino", d.ino());
                        g.writeStringField("field", d.field().name());
                        g.writeStringField("kernel", d.kernel());
                        g.writeStringField("model", d.model());
                        g.writeStringField("class", d.cause().name());
                        g.writeStringField("rule", d.rule());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
                g.flush();
                out.println();
            }
            case csv -> {
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                        .setHeader("time_ns", "ino", "field", "kernel", "model", "class", "rule")
                        .setRecordSeparator('\n').get());
                for (AllocationVerdict v : shown) {
                    for (Divergence d : v.divergences()) {
                        csv.printRecord(d.timestampNs(), d.ino(), d.field(), d.kernel(), d.model(), d.cause(), d.rule());
                    }
                }
                csv.flush();
            }
            default -> {
                out.printf("trace        %s%n", trace);
                out.printf("kernel       %s%n", release);
                if (hintCount > 0) {
                    out.printf("hints        %d from syscalls.csv (fsync commit points, closes)%n", hintCount);
                }
                out.printf("allocations  %d%n", r.allocations());
                out.printf("exact        %d (%.2f%%)%n", r.exact(), 100 * r.exactRate());
                out.printf("unexplained  %d%n", r.unexplained());
                out.println("match rate per predicted field:");
                for (var f : r.fieldCompared().entrySet()) {
                    int m = r.fieldMatched().getOrDefault(f.getKey(), 0);
                    out.printf("  %-10s %5d / %5d  %6.2f%%%n", f.getKey(), m, f.getValue(),
                            f.getValue() == 0 ? 100.0 : 100.0 * m / f.getValue());
                }
                out.println("divergent allocations by class:");
                for (Map.Entry<DivergenceClass, Integer> c : r.byClass().entrySet()) {
                    if (c.getValue() > 0) {
                        out.printf("  %-22s %d%n", c.getKey(), c.getValue());
                    }
                }
                boolean header = false;
                for (AllocationVerdict v : shown) {
                    if (v.exact() && !all) {
                        continue;
                    }
                    if (!header) {
                        out.println();
                        out.println("time           ino     field      kernel               model                class: rule");
                        header = true;
                    }
                    if (v.exact()) {
                        out.printf("%s %7d  exact%n", StatsCommand.seconds(v.timestampNs()), v.ino());
                    }
                    for (Divergence d : v.divergences()) {
                        out.printf("%s %7d  %-10s %-20s %-20s %s: %s%n", StatsCommand.seconds(d.timestampNs()),
                                d.ino(), d.field(), d.kernel(), d.model(), d.cause(), d.rule());
                    }
                }
            }
        }
        out.flush();
    }

    private static java.util.concurrent.Callable<SyscallHints> loadHints(Path csv) {
        return () -> SyscallHints.load(csv);
    }

    private static SyscallHints awaitHints(java.util.concurrent.FutureTask<SyscallHints> task) throws Exception {
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof Exception e) {
                throw e;
            }
            throw (Error) ex.getCause();
        }
    }

    private static String devName(int dev) {
        return (dev >>> 20) + ":" + (dev & 0xfffff);
    }
}
