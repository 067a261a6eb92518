package io.mbscope.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run behind the launcher's startup cache (JDK 25 AOT cache, or a dynamic AppCDS archive
 * on older JDKs): the commands users run most, on a bundled capture, output discarded. What these
 * runs load (and, on JDK 25, the method profiles they collect) is what the cache holds; report is
 * left out so the charting libraries do not weigh on every other command's start.
 *
 * <p>Usage (by {@code ./mbscope} only): {@code java -XX:AOTCacheOutput=F -cp mbscope.jar
 * io.mbscope.cli.Training [CAPTURE_FOLDER]}. Always exits 0: a failed training run must not keep
 * the tool from starting, it only leaves a smaller cache.
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
        run(sink, "--version");
        run(sink, "--help");
        if (args.length > 0 && Files.isDirectory(Path.of(args[0]))) {
            Path dir = Path.of(args[0]);
            for (String trace : new String[] {"trace.dat", "perf.data.zst", "perf.data"}) {
                if (Files.exists(dir.resolve(trace))) {
                    run(sink, "stats", dir.resolve(trace).toString());
                }
            }
            if (Files.exists(dir.resolve("trace.dat"))) {
                run(sink, "events", "--limit", "2000", "--format", "csv", dir.resolve("trace.dat").toString());
            }
            run(sink, "replay", dir.toString());
        }
        System.exit(0);
    }

    private static void run(PrintWriter sink, String... args) {
        try {
            Main.run(args, sink, sink);
        } catch (RuntimeException | Error e) { // see the class comment: training never fails the launch
            System.err.println("mbscope training: " + String.join(" ", args) + ": " + e);
        }
    }
}
