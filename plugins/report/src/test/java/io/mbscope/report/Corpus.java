package io.mbscope.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.UnsupportedFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The real captures under sample-traces/, and their independent ground truth. */
final class Corpus {
    static final List<String> FOLDERS = List.of("6.12.117-4k", "6.12.117-bigalloc16k", "6.12.117-bigalloc64k",
            "6.18.44-1k", "6.18.44-4k", "6.18.44-bigalloc16k", "6.18.44-bigalloc64k", "7.3.4-4k",
            "7.3.4-bigalloc64k");

    private Corpus() {
    }

    static Path root() {
        String p = System.getProperty("mbscope.root");
        Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-traces"))) {
                return d.resolve("sample-traces");
            }
        }
        throw new IllegalStateException("sample-traces/ not found above " + start);
    }

    static Stream<String> folders() {
        return FOLDERS.stream();
    }

    static Path dir(String folder) {
        return root().resolve(folder);
    }

    /** Skips (with the reason) while the trace.dat reader is not on this branch yet. */
    static void assumeReadable(Path trace) throws IOException {
        try (TraceReader r = Traces.open(trace)) {
            r.info();
        } catch (UnsupportedFormatException e) {
            assumeTrue(!String.valueOf(e.getMessage()).contains("not built in yet"),
                    "reader not built in yet: " + e.getMessage());
            throw e;
        }
    }

    /** The lines of a .zst text file. */
    static List<String> zstLines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ZstdInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                out.add(l);
            }
        }
        return out;
    }
}
