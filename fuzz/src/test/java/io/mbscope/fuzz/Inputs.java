package io.mbscope.fuzz;

import io.mbscope.parsers.ReadOptions;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared plumbing of the harnesses. The readers take paths (they need random access), so each
 * input is written to one scratch file per harness, on tmpfs when there is one.
 *
 * <p>The contract every harness checks: a reader either reads the input or throws
 * {@link TraceFormatException} (which includes UnsupportedFormatException). Any other exception,
 * an OutOfMemoryError under the 256 MiB test heap, a StackOverflowError or a hang (Jazzer's
 * timeout) is a finding.
 */
final class Inputs {
    /** Events read per input at most: the fuzzer looks for crashes, not for long traces. */
    static final int MAX_EVENTS = 100_000;

    private Inputs() {
    }

    static Path scratch(String name) {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "mbscope-fuzz-")
                    : Files.createTempDirectory("mbscope-fuzz-");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve(name);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path scratch, byte[] data) {
        try {
            Files.write(scratch, data);
            return scratch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every event (up to {@link #MAX_EVENTS}); format errors are the expected outcome. */
    static void drain(ReaderOpener opener) {
        try (TraceReader r = opener.open()) {
            r.info();
            r.formats();
            for (int i = 0; i < MAX_EVENTS && r.next() != null; i++) {
                // reading is the test
            }
            r.stats();
        } catch (TraceFormatException expected) {
            checkMessage(expected);
        } catch (IOException e) {
            throw new AssertionError("plain IOException instead of TraceFormatException: " + e, e);
        }
    }

    /** Every format error must say where: a file name and a message. */
    static void checkMessage(TraceFormatException e) {
        if (e.file() == null || e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("format error without a file name or message: " + e, e);
        }
    }

    @FunctionalInterface
    interface ReaderOpener {
        TraceReader open() throws IOException;
    }

    /** Opens a reader in the given mode. */
    @FunctionalInterface
    interface ModalOpener {
        TraceReader open(ReadOptions options) throws IOException;
    }

    /**
     * Reads in strict mode and, when that fails with a format error, again in lenient mode: the
     * resynchronisation paths (skipping pages, chunks, records, lines, scanning for the next record
     * header) only run on damaged input, which is what strict mode just reported. A clean input
     * costs one read.
     */
    static void drainBoth(ModalOpener opener) {
        try (TraceReader r = opener.open(ReadOptions.STRICT)) {
            r.info();
            r.formats();
            for (int i = 0; i < MAX_EVENTS && r.next() != null; i++) {
                // reading is the test
            }
            return;
        } catch (TraceFormatException expected) {
            checkMessage(expected);
        } catch (IOException e) {
            throw new AssertionError("plain IOException instead of TraceFormatException: " + e, e);
        }
        drain(() -> opener.open(ReadOptions.LENIENT));
    }
}
