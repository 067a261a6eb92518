package io.mbscope.replay.fs;

import io.mbscope.parsers.TraceFormatException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Walks the frame and block headers of a zstd file without decompressing (RFC 8878 §3.1): proves
 * the file is complete and bounds its decompressed size. Raw and RLE blocks state their size;
 * a compressed block regenerates at most min(window, 128 KiB). An image made mostly of zeros is
 * mostly RLE blocks, so the bound is close, and it costs a read of the compressed file only
 * (a few KiB here) instead of decompressing 256 MiB (1-2 s with aircompressor on this machine).
 */
final class ZstdFrames {
    private static final int BLOCK_MAX = 128 * 1024;

    /** exact: decompressed size if every frame declares it (else -1); upperBound: always valid. */
    record Bound(long exact, long upperBound) {
    }

    private ZstdFrames() {
    }

    static Bound scan(Path file) throws IOException {
        String name = file.toString();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            long off = 0;
            long exact = 0;
            long bound = 0;
            boolean allDeclared = true;
            int frames = 0;
            while (true) {
                byte[] m = in.readNBytes(4);
                if (m.length == 0 && frames > 0) {
                    break;
                }
                if (m.length < 4) {
                    throw cut(name, off, "frame magic");
                }
                long magic = le(m, 0, 4);
                off += 4;
                if ((magic & 0xFFFFFFF0L) == 0x184D2A50L) { // skippable frame
                    long size = le(need(in, 4, name, off, "skippable frame size"), 0, 4);
                    off += 4;
                    skip(in, size, name, off, "skippable frame");
                    off += size;
                    frames++;
                    continue;
                }
                if (magic != 0xFD2FB528L) {
                    throw TraceFormatException.expected(name, off - 4, "zstd frame " + frames,
                            "zstd frame magic 0xFD2FB528", String.format("0x%08X", magic));
                }
                int fhd = need(in, 1, name, off, "frame header")[0] & 0xff;
                off++;
                int fcsFlag = fhd >>> 6;
                boolean single = (fhd & 0x20) != 0;
                boolean checksum = (fhd & 0x04) != 0;
                if ((fhd & 0x08) != 0) {
                    throw new TraceFormatException(name, off - 1, "zstd frame " + frames,
                            "reserved bit set in the frame header descriptor");
                }
                long window = 0;
                if (!single) {
                    int wd = need(in, 1, name, off, "window descriptor")[0] & 0xff;
                    off++;
                    long base = 1L << (10 + (wd >>> 3));
                    window = base + (base >>> 3) * (wd & 7);
                }
                int dictBytes = new int[] {0, 1, 2, 4}[fhd & 3];
                skip(in, dictBytes, name, off, "dictionary id");
                off += dictBytes;
                int fcsBytes = new int[] {single ? 1 : 0, 2, 4, 8}[fcsFlag];
                long fcs = -1;
                if (fcsBytes > 0) {
                    fcs = le(need(in, fcsBytes, name, off, "frame content size"), 0, fcsBytes);
                    if (fcsBytes == 2) {
                        fcs += 256;
                    }
                    off += fcsBytes;
                }
                if (single) {
                    window = fcs;
                }
                long blockMax = Math.min(window, BLOCK_MAX);
                long frameBound = 0;
                boolean last = false;
                while (!last) {
                    long h = le(need(in, 3, name, off, "block header"), 0, 3);
                    off += 3;
                    last = (h & 1) != 0;
                    int type = (int) ((h >>> 1) & 3);
                    long size = h >>> 3;
                    switch (type) {
                        case 0 -> {
                            skip(in, size, name, off, "raw block");
                            off += size;
                            frameBound += size;
                        }
                        case 1 -> {
                            skip(in, 1, name, off, "RLE block");
                            off += 1;
                            frameBound += size;
                        }
                        case 2 -> {
                            skip(in, size, name, off, "compressed block");
                            off += size;
                            frameBound += blockMax;
                        }
                        default -> throw new TraceFormatException(name, off - 3, "zstd frame " + frames,
                                "reserved block type 3");
                    }
                }
                if (checksum) {
                    skip(in, 4, name, off, "content checksum");
                    off += 4;
                }
                if (fcs >= 0) {
                    if (fcs > frameBound) {
                        throw new TraceFormatException(name, off, "zstd frame " + frames, "frame declares "
                                + fcs + " bytes but its blocks hold at most " + frameBound);
                    }
                    exact += fcs;
                    bound += fcs;
                } else {
                    allDeclared = false;
                    bound += frameBound;
                }
                frames++;
            }
            return new Bound(allDeclared ? exact : -1, bound);
        }
    }

    private static byte[] need(InputStream in, int n, String name, long off, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw cut(name, off, what);
        }
        return b;
    }

    private static void skip(InputStream in, long n, String name, long off, String what) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw cut(name, off, what);
                }
                k = 1;
            }
            left -= k;
        }
    }

    private static TraceFormatException cut(String name, long off, String what) {
        return new TraceFormatException(name, off, "zstd", "expected the " + what + ", the file ends (truncated .zst?)");
    }

    private static long le(byte[] b, int o, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[o + i] & 0xff);
        }
        return v;
    }
}
