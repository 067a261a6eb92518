package io.mbscope.parsers.format;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the tracepoint formats of a {@code formats/} folder, as saved next to a text trace. Two
 * layouts are read: tracefs's own ({@code SYSTEM/NAME/format}, e.g. a copy of
 * /sys/kernel/tracing/events or the sample traces' formats/), and one file per event
 * ({@code SYSTEM/NAME.format}). A top-level {@code events/} folder is entered. {@code header_page},
 * {@code header_event} and tracefs control files ({@code enable}, {@code filter}, ...) are ignored.
 */
public final class FormatDirectory {
    /** A format file is a few KiB; anything this large is not one. */
    private static final long MAX_FORMAT_BYTES = 1 << 20;

    private FormatDirectory() {
    }

    public static FormatRegistry load(Path formatsDir) throws IOException {
        if (!Files.isDirectory(formatsDir)) {
            throw new TraceFormatException(formatsDir.toString(), -1, "formats", "not a directory");
        }
        Path root = formatsDir;
        if (Files.isDirectory(root.resolve("events"))) {
            root = root.resolve("events");
        }
        FormatRegistry reg = new FormatRegistry();
        for (Path sys : sorted(root)) {
            if (!Files.isDirectory(sys)) {
                continue;
            }
            String system = sys.getFileName().toString();
            for (Path ev : sorted(sys)) {
                Path file;
                if (Files.isDirectory(ev)) {
                    file = ev.resolve("format");
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                } else if (ev.getFileName().toString().endsWith(".format")) {
                    file = ev;
                } else {
                    continue;
                }
                reg.add(parseFile(system, file));
            }
        }
        if (reg.isEmpty()) {
            throw new TraceFormatException(formatsDir.toString(), -1, "formats",
                    "expected SYSTEM/NAME/format or SYSTEM/NAME.format files, found none");
        }
        return reg;
    }

    private static EventFormat parseFile(String system, Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FORMAT_BYTES) {
            throw TraceFormatException.expected(file.toString(), 0, "format file",
                    "at most " + MAX_FORMAT_BYTES + " bytes", size + " bytes");
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return FormatFileParser.parse(system, text, file.toString(), 0);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p);
            }
        }
        out.sort(null);
        return out;
    }
}
