package io.mbscope.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress display on stderr, shown only when stderr is a terminal and the trace file
 * is large (reading a small one takes less than a second). The reader API exposes no byte
 * position, so the line counts events and time rather than drawing a percentage.
 */
final class Progress {
    static final long LARGE_BYTES = 32L << 20;
    private static final long EVERY_NS = 250_000_000L;
    private static final String SPIN = "|/-\\";

    private final PrintStream out;
    private final String name;
    private final long start = System.nanoTime();
    private long last = start;
    private int frame;

    private Progress(PrintStream out, String name) {
        this.out = out;
        this.name = name;
    }

    static Progress forFile(Path file, PrintStream out) {
        boolean show = out != null && stderrIsTerminal() && size(file) >= LARGE_BYTES;
        return new Progress(show ? out : null, String.valueOf(file.getFileName()));
    }

    /**
     * Java has no isatty(2); on Linux fd 2 links to /dev/pts/N or /dev/ttyN when it is a terminal.
     * Elsewhere fall back to System.console(), which needs stdin and stdout to be terminals too.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    void tick(long events) {
        if (out == null || (events & 0xfff) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - last >= EVERY_NS) {
            last = now;
            out.printf(Locale.ROOT, "\r%c reading %s: %,d events, %.1f s ", SPIN.charAt(frame++ & 3), name, events,
                    (now - start) / 1e9);
            out.flush();
        }
    }

    void done(long events) {
        if (out != null) {
            out.printf(Locale.ROOT, "\r  read %s: %,d events in %.1f s%n", name, events,
                    (System.nanoTime() - start) / 1e9);
            out.flush();
        }
    }
}
