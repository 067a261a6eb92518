package io.mbscope.parsers.tracedat;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The block codec a v7 trace.dat names in its header ({@code "zstd\0<version>\0"}, {@code "zlib"},
 * or {@code "none"}). trace-cmd compresses each metadata section and each chunk of per-CPU pages as
 * one independent block (lib/trace-cmd/trace-compress.c), so a block decoder with a known output
 * size is all that is needed. Output is bounded by the size the file declares.
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public abstract class Codec {
    private final String name;

    private Codec(String name) {
        this.name = name;
    }

    /** The codec for a compression header, or null for {@code "none"}. */
    public static Codec forName(String name, String version, String file, long offset)
            throws UnsupportedFormatException {
        return switch (name) {
            case "none", "" -> null;
            case "zstd" -> new Zstd();
            case "zlib" -> new Zlib();
            default -> throw new UnsupportedFormatException(file, offset, "compression header",
                    "compression '" + name + "' (version '" + version + "') is not supported; "
                            + "mbscope reads zstd, zlib and none");
        };
    }

    public String name() {
        return name;
    }

    /** A codec of the same kind with its own decoder state (codecs are not thread-safe). */
    abstract Codec fresh();

    /**
     * Decompresses {@code in[inOff, inOff + inLen)} into exactly {@code outLen} bytes of {@code out}.
     * Anything else (corrupt data, more or fewer bytes than declared) is a TraceFormatException.
     */
    public final void decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen,
                                 String file, long offset, String section) throws TraceFormatException {
        int n;
        try {
            n = decode(in, inOff, inLen, out, outOff, outLen);
        } catch (MalformedInputException | DataFormatException | IllegalArgumentException
                 | IndexOutOfBoundsException e) {
            throw new TraceFormatException(file, offset, section,
                    "corrupt " + name + " data: " + e.getMessage(), e);
        }
        if (n != outLen) {
            throw TraceFormatException.expected(file, offset, section,
                    outLen + " uncompressed bytes as declared", n < 0 ? "more" : n + " bytes");
        }
    }

    /** Returns the byte count produced, or -1 if the data holds more than {@code outLen} bytes. */
    abstract int decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
            throws DataFormatException;

    private static final class Zstd extends Codec {
        private final ZstdDecompressor zstd = new ZstdDecompressor();

        Zstd() {
            super("zstd");
        }

        @Override
        Codec fresh() {
            return new Zstd();
        }

        @Override
        int decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
            long declared = ZstdDecompressor.getDecompressedSize(in, inOff, inLen);
            if (declared > outLen) {
                return -1;
            }
            return zstd.decompress(in, inOff, inLen, out, outOff, outLen);
        }
    }

    private static final class Zlib extends Codec {
        private final Inflater inflater = new Inflater();

        Zlib() {
            super("zlib");
        }

        @Override
        Codec fresh() {
            return new Zlib();
        }

        @Override
        int decode(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
                throws DataFormatException {
            // trace-cmd's zlib plugin uses compress2()/uncompress(): RFC 1950 stream with header.
            inflater.reset();
            inflater.setInput(in, inOff, inLen);
            int n = 0;
            while (n < outLen && !inflater.finished()) {
                int r = inflater.inflate(out, outOff + n, outLen - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += r;
            }
            if (!inflater.finished()) {
                // Either truncated input or more output than declared; probe one byte to tell.
                byte[] probe = new byte[1];
                if (n == outLen && inflater.inflate(probe) > 0) {
                    return -1;
                }
                if (!inflater.finished()) {
                    throw new DataFormatException("zlib stream ends early after " + n + " bytes");
                }
            }
            return n;
        }
    }
}
