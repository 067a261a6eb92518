package io.mbscope.cli.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** The real captures under sample-traces/. */
final class Corpus {
    static final List<String> FOLDERS = List.of("6.12.117-4k", "6.12.117-bigalloc16k", "6.12.117-bigalloc64k",
            "6.18.44-1k", "6.18.44-4k", "6.18.44-bigalloc16k", "6.18.44-bigalloc64k", "7.3.4-4k", "7.3.4-bigalloc64k");

    private Corpus() {
    }

    static Path folder(String name) {
        String r = System.getProperty("mbscope.root");
        Path p = r != null && !r.isEmpty() ? Paths.get(r) : Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-traces"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("sample-traces/ not found above " + r);
        }
        return p.resolve("sample-traces").resolve(name);
    }
}
