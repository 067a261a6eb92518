package io.mbscope.tracecompass.trace;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The container a file holds, decided from its first bytes exactly as mbscope's parsers decide it
 * (never from the file name), looking through one level of zstd so that the corpus' {@code .zst}
 * captures are recognised too.
 */
public enum TraceMagic {
    /** trace-cmd's "\x17\x08\x44tracing" (trace-cmd.dat(5)); v6 and v7 share it. */
    TRACE_DAT("a trace-cmd trace.dat (magic \\x17\\x08\\x44tracing)"),
    /** perf's "PERFILE2" in either byte order (tools/perf/util/header.c); file and pipe mode. */
    PERF_DATA("a perf.data (magic PERFILE2)"),
    NONE("a capture");

    private final String description;

    TraceMagic(String description) {
        this.description = description;
    }

    /** What a file of this kind is, for validation messages. */
    public String description() {
        return description;
    }

    private static final byte[] TRACE_DAT_MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    private static final byte[] PERF_MAGIC = {'P', 'E', 'R', 'F', 'I', 'L', 'E', '2'};
    private static final byte[] PERF_MAGIC_SWAPPED = {'2', 'E', 'L', 'I', 'F', 'R', 'E', 'P'};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    /** Reads at most 16 bytes (plus one zstd frame header); never throws for unreadable input. */
    public static TraceMagic of(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            byte[] head = head(file, false);
            if (startsWith(head, ZSTD_MAGIC)) {
                head = head(file, true);
            }
            return of(head);
        } catch (IOException | RuntimeException e) {
            // a corrupt zstd frame or an unreadable file is simply not ours
            return NONE;
        }
    }

    static TraceMagic of(byte[] head) {
        if (startsWith(head, TRACE_DAT_MAGIC)) {
            return TRACE_DAT;
        }
        if (startsWith(head, PERF_MAGIC) || startsWith(head, PERF_MAGIC_SWAPPED)) {
            return PERF_DATA;
        }
        return NONE;
    }

    /** True when the file is a zstd frame (its content is spooled once before reading). */
    static boolean isZstd(Path file) throws IOException {
        return startsWith(head(file, false), ZSTD_MAGIC);
    }

    private static byte[] head(Path file, boolean zstd) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = zstd ? new ZstdInputStream(raw) : raw) {
            return in.readNBytes(16);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
