package io.mbscope.bench;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Locates the benchmark captures. They are large real traces that live outside the repository
 * (never copy them in): {@code -Dmbscope.bench.dir=DIR} or {@code MBSCOPE_BENCH_DIR}, else
 * {@code ../shared/bench/bench-1m} relative to the repository root (also tried one level higher,
 * for git worktrees under wt/). Compressed inputs (.zst) are inflated once into java.io.tmpdir.
 */
public final class Inputs {
    private Inputs() {
    }

    public static Path root() {
        String r = System.getProperty("mbscope.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath();
        // launched from bench/ or from the repo root
        return Files.isDirectory(p.resolve("parsers")) ? p : p.getParent() != null ? p.getParent() : p;
    }

    public static Path benchDir() {
        String d = System.getProperty("mbscope.bench.dir", System.getenv("MBSCOPE_BENCH_DIR"));
        if (d != null) {
            return Path.of(d);
        }
        Path root = root().toAbsolutePath();
        for (Path c : List.of(root.resolve("../shared/bench/bench-1m"), root.resolve("../../shared/bench/bench-1m"))) {
            if (Files.isDirectory(c)) {
                return c.normalize();
            }
        }
        throw new IllegalStateException("benchmark capture not found: set -Dmbscope.bench.dir=DIR (bench-1m)");
    }

    /** A trace of the named kind, inflated when it is stored as .zst. */
    public static Path trace(String kind) {
        Path b = benchDir();
        return switch (kind) {
            case "tracedat-v7" -> b.resolve("trace.dat");
            case "tracedat-v6" -> plain(b.resolve("trace-v6.dat.zst"));
            case "perf" -> plain(b.resolve("perf.data.zst"));
            // bench-1m has no `perf record -z` capture; the parsers corpus has a small one (same kernel)
            case "perf-compressed" -> plain(root().resolve(
                    "parsers/src/test/resources/perf/perf-modes-6.18-4k/perf-z.data.zst"));
            case "text" -> plain(b.resolve("trace.txt.zst"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Inflates {@code zst} once per file size into the temp dir (shared by forks) and returns the copy. */
    public static synchronized Path plain(Path zst) {
        try {
            String name = zst.getFileName().toString().replaceFirst("\\.zst$", "");
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mbscope-bench-" + System.getProperty("user.name"));
            Files.createDirectories(dir);
            Path out = dir.resolve(Files.size(zst) + "-" + name);
            if (!Files.isRegularFile(out)) {
                Path tmp = Files.createTempFile(dir, name, ".part");
                try (InputStream in = new ZstdInputStream(Files.newInputStream(zst));
                     OutputStream o = Files.newOutputStream(tmp)) {
                    in.transferTo(o);
                }
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
