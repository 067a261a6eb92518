package io.mbscope.parsers.format;

import io.mbscope.parsers.TraceFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real tracepoint format files of the kernels the sample traces come from, bundled as resources
 * under {@code io/mbscope/parsers/formats/<kernel>/SYSTEM/NAME/format} with an {@code index.txt}
 * per kernel. A text trace carries no formats; when none are given, the text reader tries these and
 * keeps the kernel whose print fmts (flag tables, field lists) reproduce the lines (see
 * {@code io.mbscope.parsers.text.TextTraceReader}).
 *
 * <ul>
 *   <li>6.12.117: Debian 6.12.117+deb13 (ext4, iomap, syscalls, ftrace/print)</li>
 *   <li>6.18.44: ext4, iomap, syscalls, ftrace/print as traced, plus block, jbd2, raw_syscalls of a 6.18 kernel</li>
 *   <li>7.3.4: Debian 7.3.4+deb13 (ext4, iomap, syscalls, ftrace/print)</li>
 *   <li>6.1.192: Debian 6.1.0-56 (6.1.192-2) (ext4, iomap, syscalls, ftrace/print); without it a 6.1
 *       text trace was read with 6.12's tables and lost every iomap_iter and
 *       ext4_discard_preallocations line (their print fmts changed after 6.1)</li>
 * </ul>
 */
public final class BuiltinFormats {
    private static final String BASE = "/io/mbscope/parsers/formats/";
    /** Newest first: on a tie the newest kernel's tables are preferred. */
    private static final List<String> KERNELS = List.of("7.3.4", "6.18.44", "6.12.117", "6.1.192");
    private static final Map<String, FormatRegistry> CACHE = new ConcurrentHashMap<>();

    private BuiltinFormats() {
    }

    /** Kernel releases with bundled formats, newest first. */
    public static List<String> kernels() {
        return KERNELS;
    }

    /** The bundled formats of one kernel release from {@link #kernels()}. */
    public static FormatRegistry registry(String kernel) {
        if (!KERNELS.contains(kernel)) {
            throw new IllegalArgumentException("no bundled formats for kernel " + kernel + "; have " + KERNELS);
        }
        return CACHE.computeIfAbsent(kernel, k -> {
            try {
                return load(k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static FormatRegistry load(String kernel) throws IOException {
        FormatRegistry reg = new FormatRegistry();
        String base = BASE + kernel + "/";
        try (InputStream idx = BuiltinFormats.class.getResourceAsStream(base + "index.txt")) {
            if (idx == null) {
                throw new TraceFormatException(base + "index.txt", -1, "built-in formats", "resource missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(idx, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int slash = line.indexOf('/');
                String system = slash < 0 ? "" : line.substring(0, slash);
                String res = base + line + "/format";
                try (InputStream in = BuiltinFormats.class.getResourceAsStream(res)) {
                    if (in == null) {
                        throw new TraceFormatException(res, -1, "built-in formats", "resource missing");
                    }
                    reg.add(FormatFileParser.parse(system, new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            res, 0));
                }
            }
        }
        return reg;
    }
}
