package io.mbscope.replay.fs;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Expands an Android sparse image (libsparse format: magic 0xed26ff3a, v1.x) into the raw device
 * bytes on the fly. RAW chunks are passed through, FILL chunks repeat their 4-byte value,
 * DONT_CARE chunks read as zeros, CRC32 chunks are skipped. Skipping over FILL and DONT_CARE costs
 * nothing, so reading a few metadata blocks of a large image stays cheap.
 */
final class AndroidSparseInputStream extends InputStream {
    private static final int CHUNK_RAW = 0xCAC1, CHUNK_FILL = 0xCAC2, CHUNK_DONT_CARE = 0xCAC3,
            CHUNK_CRC32 = 0xCAC4;

    private final InputStream in;
    private final String file;
    private final int blockSize;
    private final long totalBlocks;
    private final long totalChunks;
    private final int chunkHeaderSize;
    private long inOffset;        // bytes consumed from the sparse file
    private long chunksRead;
    private long outBlocks;       // blocks produced by chunks already opened
    private int chunkType = -1;
    private long chunkRemaining;  // expanded bytes left in the current chunk
    private final byte[] fill = new byte[4];
    private long fillPhase;

    AndroidSparseInputStream(InputStream in, String file) throws IOException {
        this.in = in;
        this.file = file;
        byte[] h = readFully(28, "sparse header");
        if (le32(h, 0) != ImageInput.SPARSE_MAGIC) {
            throw TraceFormatException.expected(file, 0, "sparse header", "Android sparse magic 0xed26ff3a",
                    String.format("0x%08x", le32(h, 0)));
        }
        int major = le16(h, 4);
        int fileHeaderSize = le16(h, 8);
        chunkHeaderSize = le16(h, 10);
        blockSize = le32(h, 12);
        totalBlocks = le32(h, 16) & 0xffffffffL;
        totalChunks = le32(h, 20) & 0xffffffffL;
        if (major != 1) {
            throw new UnsupportedFormatException(file, 4, "sparse header",
                    "Android sparse image major version " + major + " (only version 1 is known)");
        }
        if (fileHeaderSize < 28 || chunkHeaderSize < 12 || fileHeaderSize > 4096 || chunkHeaderSize > 4096) {
            throw new TraceFormatException(file, 8, "sparse header", "expected header sizes >= 28 and >= 12, found "
                    + fileHeaderSize + " and " + chunkHeaderSize);
        }
        if (blockSize <= 0 || (blockSize & 3) != 0 || blockSize > (1 << 24)) {
            throw TraceFormatException.expected(file, 12, "sparse header", "a block size multiple of 4", blockSize);
        }
        skipInput(fileHeaderSize - 28, "sparse header");
    }

    long expandedSize() {
        return totalBlocks * blockSize;
    }

    private boolean nextChunk() throws IOException {
        while (chunkRemaining == 0) {
            if (chunksRead == totalChunks) {
                if (outBlocks != totalBlocks) {
                    throw new TraceFormatException(file, inOffset, "sparse chunks", "expected " + totalBlocks
                            + " blocks from " + totalChunks + " chunks, found " + outBlocks);
                }
                return false;
            }
            long at = inOffset;
            byte[] c = readFully(chunkHeaderSize, "sparse chunk " + chunksRead);
            chunksRead++;
            int type = le16(c, 0);
            long blocks = le32(c, 4) & 0xffffffffL;
            long total = le32(c, 8) & 0xffffffffL;
            long data = total - chunkHeaderSize;
            if (blocks > totalBlocks - outBlocks) {
                throw new TraceFormatException(file, at, "sparse chunk " + (chunksRead - 1), "chunk of " + blocks
                        + " blocks passes the image end (" + totalBlocks + " blocks)");
            }
            long expanded = blocks * blockSize;
            switch (type) {
                case CHUNK_RAW -> requireData(at, data, expanded);
                case CHUNK_FILL -> {
                    requireData(at, data, 4);
                    System.arraycopy(readFully(4, "fill value"), 0, fill, 0, 4);
                    fillPhase = 0;
                }
                case CHUNK_DONT_CARE -> requireData(at, data, 0);
                case CHUNK_CRC32 -> {
                    requireData(at, data, 4);
                    skipInput(4, "crc32 chunk");
                    continue;
                }
                default -> throw TraceFormatException.expected(file, at, "sparse chunk " + (chunksRead - 1),
                        "chunk type 0xcac1..0xcac4", String.format("0x%04x", type));
            }
            chunkType = type;
            chunkRemaining = expanded;
            outBlocks += blocks;
        }
        return true;
    }

    private void requireData(long at, long found, long expected) throws TraceFormatException {
        if (found != expected) {
            throw TraceFormatException.expected(file, at, "sparse chunk " + (chunksRead - 1),
                    expected + " data bytes after the chunk header", found);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = (int) Math.min(len, chunkRemaining);
        switch (chunkType) {
            case CHUNK_RAW -> {
                n = in.read(b, off, n);
                if (n < 0) {
                    throw new TraceFormatException(file, inOffset, "sparse raw chunk",
                            "expected " + chunkRemaining + " more bytes, the file ends (truncated image?)");
                }
                inOffset += n;
            }
            case CHUNK_FILL -> {
                for (int i = 0; i < n; i++) {
                    b[off + i] = fill[(int) ((fillPhase + i) & 3)];
                }
                fillPhase += n;
            }
            default -> java.util.Arrays.fill(b, off, off + n, (byte) 0);
        }
        chunkRemaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || !nextChunk()) {
            return 0;
        }
        long k = Math.min(n, chunkRemaining);
        if (chunkType == CHUNK_RAW) {
            skipInput(k, "sparse raw chunk");
        } else if (chunkType == CHUNK_FILL) {
            fillPhase += k;
        }
        chunkRemaining -= k;
        return k;
    }

    private void skipInput(long n, String section) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new TraceFormatException(file, inOffset, section,
                            "expected " + left + " more bytes, the file ends (truncated image?)");
                }
                k = 1;
            }
            left -= k;
            inOffset += k;
        }
    }

    private byte[] readFully(int n, String section) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new TraceFormatException(file, inOffset, section,
                    "expected " + n + " bytes, found " + b.length + " (truncated image?)");
        }
        inOffset += n;
        return b;
    }

    private static int le16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
