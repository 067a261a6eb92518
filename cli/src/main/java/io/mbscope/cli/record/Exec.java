package io.mbscope.cli.record;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Running the helper programs of a capture (dumpe2fs, fsfreeze, filefrag, trace-cmd report ...). */
final class Exec {
    /** Debian package of each tool, for "not installed" messages. */
    static final Map<String, String> PACKAGE = Map.of("trace-cmd", "trace-cmd", "perf", "linux-perf", "dumpe2fs",
            "e2fsprogs", "e2image", "e2fsprogs", "filefrag", "e2fsprogs", "fsfreeze", "util-linux", "sync",
            "coreutils");

    record Result(int rc, String output) {
    }

    private Exec() {
    }

    /** The program's path in $PATH, or in the sbin directories a non-login root shell may lack. */
    static Optional<Path> which(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Path require(String name, String why) {
        return which(name).orElseThrow(() -> new IllegalArgumentException(name + " is not installed (needed " + why
                + "); on Debian/Ubuntu: apt-get install " + PACKAGE.getOrDefault(name, name)));
    }

    /** Runs to completion, stdout+stderr captured (small outputs only), killed after {@code timeout}. */
    static Result run(List<String> cmd, Duration timeout) throws IOException {
        Path tmp = Files.createTempFile("mbscope-exec", ".out");
        try {
            int rc = runTo(cmd, tmp, timeout);
            return new Result(rc, Files.readString(tmp, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Runs to completion with stdout+stderr into {@code out}; the exit code, or -1 on time-out. */
    static int runTo(List<String> cmd, Path out, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0), e);
        }
    }

    /** First line of a command's output, "" if it fails. */
    static String firstLine(List<String> cmd) {
        try {
            Result r = run(cmd, Duration.ofSeconds(20));
            return MetaTxt.firstLine(r.output());
        } catch (IOException e) {
            return "";
        }
    }
}
