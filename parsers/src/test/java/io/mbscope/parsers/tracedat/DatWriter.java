package io.mbscope.parsers.tracedat;

import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Builds small synthetic trace.dat v7 files for the cases the sample corpus does not cover (zlib,
 * big-endian, missed events, pages across chunks, option chains). Written from the v7 man page
 * layout, independently of the reader. Test-only.
 */
final class DatWriter {
    /** header_page of a kernel whose long is {@code kernelLong} bytes (commit is a local_t, a long). */
    String headerPage() {
        int data = 8 + kernelLong;
        return "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
                + "\tfield: local_t commit;\toffset:8;\tsize:" + kernelLong + ";\tsigned:1;\n"
                + "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
                + "\tfield: char data;\toffset:" + data + ";\tsize:" + (pageSize - data) + ";\tsigned:1;\n";
    }
    static final String HEADER_EVENT = "# compressed entry header\n\ttype_len    :    5 bits\n"
            + "\ttime_delta  :   27 bits\n\tarray       :   32 bits\n\n\tpadding     : type == 29\n"
            + "\ttime_extend : type == 30\n\ttime_stamp : type == 31\n\tdata max type_len  == 28\n";
    static final int TEST_ID = 100;
    static final String TEST_FORMAT = "name: test_event\nID: " + TEST_ID + "\nformat:\n"
            + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
            + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
            + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
            + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
            + "\tfield:u64 value;\toffset:8;\tsize:8;\tsigned:0;\n\n"
            + "print fmt: \"value %llu\", REC->value\n";

    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    /** The traced kernel's long size: 8, or 4 for 32-bit kernels (commit word and missed count). */
    int kernelLong = 8;
    String compression = "zlib";
    int pageSize = 4096;
    /** Uncompressed bytes per chunk; not a page multiple to make pages straddle chunks. */
    int chunkBytes = 4096 * 10;
    String cmdlines = "1048 ext4wl\n7 kworker/0:1\n";
    String uname = "Linux host 6.99.1-test x86_64";
    String traceClock = "local [mono] boot";
    /** More format files of the "test" system, after test_event's. */
    final List<String> extraFormats = new ArrayList<>();
    /** Make the first options section's DONE point at itself. */
    boolean optionsLoop;
    /** Declare a smaller uncompressed size than the data has, in the EVENT_FORMATS section. */
    boolean understateSection;
    /** TSC2NSEC option (mult, shift), written when mult != 0. */
    int tscMult;
    int tscShift;
    /** OFFSET option text, written when non-null. */
    String offsetOption;
    /** Buffer name to per-CPU data, in file order; cpu() adds to {@link #current}. */
    final java.util.Map<String, List<byte[]>> buffers = new java.util.LinkedHashMap<>();
    String current = "inst";

    void buffer(String name) {
        current = name;
    }

    // ------------------------------------------------------------------ pages

    /** One ring-buffer page under construction. */
    final class Page {
        private final ByteBuffer b = ByteBuffer.allocate(pageSize).order(order);
        private long flags;
        private long missed = -1;

        Page(long timestamp) {
            b.putLong(0, timestamp);
            b.position(8 + kernelLong);
        }

        private void header(int typeLen, long delta) {
            int w = order == ByteOrder.LITTLE_ENDIAN ? (int) ((delta << 5) | typeLen) : (int) ((long) typeLen << 27 | delta);
            b.putInt(w);
        }

        /** An event of the test format, with a small type_len encoding. */
        Page event(long delta, int pid, long value) {
            header(4, delta);
            payload(TEST_ID, pid, value);
            return this;
        }

        /** The same event with type_len 0 (length in array[0]), as RB_FORCE_8BYTE_ALIGNMENT kernels write. */
        Page longEvent(long delta, int pid, long value) {
            header(0, delta);
            b.putInt(16 + 4);
            payload(TEST_ID, pid, value);
            return this;
        }

        Page eventWithId(long delta, int id) {
            header(4, delta);
            payload(id, 1, 0);
            return this;
        }

        private void payload(int id, int pid, long value) {
            b.putShort((short) id).put((byte) 0).put((byte) 0).putInt(pid).putLong(value);
        }

        Page timeExtend(long delta) {
            header(30, delta & 0x7ffffff);
            b.putInt((int) (delta >>> 27));
            return this;
        }

        Page absolute(long ts) {
            header(31, ts & 0x7ffffff);
            b.putInt((int) (ts >>> 27));
            return this;
        }

        /** A discarded event of {@code total} bytes (header included). */
        Page padding(long delta, int total) {
            header(29, delta);
            b.putInt(total - 4);
            b.position(b.position() + total - 8);
            return this;
        }

        /** Events were lost before this page; count stored after the data if {@code count >= 0}. */
        Page missed(long count) {
            flags |= 1L << 31;
            missed = count;
            return this;
        }

        byte[] bytes() {
            int data = 8 + kernelLong;
            int commit = b.position() - data;
            long c = commit | flags;
            if (missed >= 0) {
                c |= 1L << 30;
                if (kernelLong == 8) {
                    b.putLong(data + commit, missed);
                } else {
                    b.putInt(data + commit, (int) missed);
                }
            }
            if (kernelLong == 8) {
                b.putLong(8, c);
            } else {
                b.putInt(8, (int) c);
            }
            return b.array().clone();
        }
    }

    Page page(long timestamp) {
        return new Page(timestamp);
    }

    void cpu(Page... pages) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (Page p : pages) {
            o.writeBytes(p.bytes());
        }
        buffers.computeIfAbsent(current, k -> new ArrayList<>()).add(o.toByteArray());
    }

    /** Raw CPU bytes (e.g. a page cut short). */
    void cpuRaw(byte[] data) {
        buffers.computeIfAbsent(current, k -> new ArrayList<>()).add(data);
    }

    // ------------------------------------------------------------------ file

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** A hole of this many bytes before the first buffer section (for files past 2 GiB); see {@link #writeTo}. */
    long gap;
    private int gapAt = -1;

    /** File offset of the next byte written. */
    private long pos() {
        return out.size() + (gapAt >= 0 ? gap : 0);
    }

    /** Writes {@link #build()}'s bytes with the hole as a sparse region. */
    void writeTo(java.nio.file.Path file) throws java.io.IOException {
        byte[] b = build();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            int split = gapAt >= 0 ? gapAt : b.length;
            ch.write(ByteBuffer.wrap(b, 0, split), 0);
            ch.write(ByteBuffer.wrap(b, split, b.length - split), split + (gapAt >= 0 ? gap : 0));
        }
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private void u16(ByteArrayOutputStream o, int v) {
        o.writeBytes(buf(2).putShort((short) v).array());
    }

    private void u32(ByteArrayOutputStream o, long v) {
        o.writeBytes(buf(4).putInt((int) v).array());
    }

    private void u64(ByteArrayOutputStream o, long v) {
        o.writeBytes(buf(8).putLong(v).array());
    }

    private static void cstr(ByteArrayOutputStream o, String s) {
        o.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        o.write(0);
    }

    byte[] compress(byte[] data) {
        if (compression.equals("zstd")) {
            ZstdCompressor z = new ZstdCompressor();
            byte[] dst = new byte[z.maxCompressedLength(data.length)];
            int n = z.compress(data, 0, data.length, dst, 0, dst.length);
            return Arrays.copyOf(dst, n);
        }
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] dst = new byte[data.length + 64];
        int n = d.deflate(dst);
        d.end();
        return Arrays.copyOf(dst, n);
    }

    private boolean compressed() {
        return !compression.equals("none");
    }

    private long section(int id, byte[] content, boolean understate) {
        return section(id, content, understate, compressed());
    }

    private long section(int id, byte[] content, boolean understate, boolean compress) {
        long at = pos();
        u16(out, id);
        u16(out, compress ? 1 : 0);
        u32(out, 0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (compress) {
            byte[] z = compress(content);
            u32(body, z.length);
            u32(body, understate ? content.length / 2 : content.length);
            body.writeBytes(z);
        } else {
            body.writeBytes(content);
        }
        u64(out, body.size());
        out.writeBytes(body.toByteArray());
        return at;
    }

    private static byte[] option(DatWriter w, int id, byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        w.u16(o, id);
        w.u32(o, data.length);
        o.writeBytes(data);
        return o.toByteArray();
    }

    private byte[] u64b(long v) {
        return buf(8).putLong(v).array();
    }

    private static byte[] text(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    byte[] build() {
        out.reset();
        gapAt = -1;
        out.writeBytes(new byte[] {0x17, 0x08, 0x44});
        out.writeBytes("tracing".getBytes(StandardCharsets.US_ASCII));
        cstr(out, "7");
        out.write(order == ByteOrder.LITTLE_ENDIAN ? 0 : 1);
        out.write(8);
        u32(out, pageSize);
        cstr(out, compression);
        cstr(out, compression.equals("none") ? "" : "1.0");
        int firstOptionsField = out.size();
        u64(out, 0);

        ByteArrayOutputStream hi = new ByteArrayOutputStream();
        cstr(hi, "header_page");
        String headerPage = headerPage();
        u64(hi, headerPage.length());
        hi.writeBytes(headerPage.getBytes(StandardCharsets.UTF_8));
        cstr(hi, "header_event");
        u64(hi, HEADER_EVENT.length());
        hi.writeBytes(HEADER_EVENT.getBytes(StandardCharsets.UTF_8));
        long headerInfo = section(16, hi.toByteArray(), false);

        ByteArrayOutputStream ft = new ByteArrayOutputStream();
        u32(ft, 0);
        long ftrace = section(17, ft.toByteArray(), false);

        ByteArrayOutputStream ef = new ByteArrayOutputStream();
        u32(ef, 1);
        cstr(ef, "test");
        u32(ef, 1 + extraFormats.size());
        u64(ef, TEST_FORMAT.length());
        ef.writeBytes(TEST_FORMAT.getBytes(StandardCharsets.UTF_8));
        for (String f : extraFormats) {
            u64(ef, f.length());
            ef.writeBytes(f.getBytes(StandardCharsets.UTF_8));
        }
        long formats = section(18, ef.toByteArray(), understateSection);

        ByteArrayOutputStream cl = new ByteArrayOutputStream();
        u64(cl, cmdlines.length());
        cl.writeBytes(cmdlines.getBytes(StandardCharsets.UTF_8));
        long cmd = section(21, cl.toByteArray(), false);

        // One section per buffer: per-CPU data, chunked when compressed.
        List<byte[]> bufferOptions = new ArrayList<>();
        List<long[]> sizeFixups = new ArrayList<>();
        int maxCpus = 0;
        for (var entry : buffers.entrySet()) {
            List<byte[]> cpus = entry.getValue();
            maxCpus = Math.max(maxCpus, cpus.size());
            if (gap > 0 && gapAt < 0) {
                gapAt = out.size();
            }
            long bufferAt = pos();
            u16(out, 3);
            u16(out, compressed() ? 1 : 0);
            u32(out, 0);
            int sizeField = out.size();
            u64(out, 0);
            long[] offs = new long[cpus.size()];
            long[] sizes = new long[cpus.size()];
            for (int i = 0; i < cpus.size(); i++) {
                byte[] d = cpus.get(i);
                offs[i] = pos();
                if (compressed()) {
                    List<byte[]> chunks = new ArrayList<>();
                    for (int p = 0; p < d.length; p += chunkBytes) {
                        chunks.add(Arrays.copyOfRange(d, p, Math.min(d.length, p + chunkBytes)));
                    }
                    u32(out, chunks.size());
                    for (byte[] c : chunks) {
                        byte[] z = compress(c);
                        u32(out, z.length);
                        u32(out, c.length);
                        out.writeBytes(z);
                    }
                } else {
                    out.writeBytes(d);
                }
                sizes[i] = pos() - offs[i];
            }
            sizeFixups.add(new long[] {sizeField, out.size() - (sizeField + 8)});
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            u64(bo, bufferAt);
            cstr(bo, entry.getKey());
            cstr(bo, "local");
            u32(bo, pageSize);
            u32(bo, cpus.size());
            for (int i = 0; i < cpus.size(); i++) {
                u32(bo, i);
                u64(bo, offs[i]);
                u64(bo, sizes[i]);
            }
            bufferOptions.add(bo.toByteArray());
        }

        ByteArrayOutputStream o1 = new ByteArrayOutputStream();
        o1.writeBytes(option(this, 16, u64b(headerInfo)));
        o1.writeBytes(option(this, 17, u64b(ftrace)));
        o1.writeBytes(option(this, 18, u64b(formats)));
        o1.writeBytes(option(this, 21, u64b(cmd)));
        o1.writeBytes(option(this, 4, text(traceClock)));
        o1.writeBytes(option(this, 5, text(uname)));
        o1.writeBytes(option(this, 8, buf(4).putInt(maxCpus).array()));
        if (tscMult != 0) {
            o1.writeBytes(option(this, 14, buf(16).putInt(tscMult).putInt(tscShift).putLong(0).array()));
        }
        if (offsetOption != null) {
            o1.writeBytes(option(this, 7, text(offsetOption)));
        }
        o1.writeBytes(option(this, 999, new byte[] {1, 2, 3})); // unknown option: skipped by size
        long options1 = pos();
        // Options sections are written uncompressed (trace-cmd 3.1 does the same), so the first
        // one's length, and with it the second one's offset, is known before writing.
        byte[] o1Bytes = o1.toByteArray();
        long options2 = options1 + 16 + o1Bytes.length + 14;
        byte[] done1 = option(this, 0, u64b(optionsLoop ? options1 : options2));
        section(0, concat(o1Bytes, done1), false, false);
        if (pos() != options2) {
            throw new IllegalStateException("options section size changed: " + pos() + " vs " + options2);
        }
        ByteArrayOutputStream o2 = new ByteArrayOutputStream();
        for (byte[] bo : bufferOptions) {
            o2.writeBytes(option(this, 3, bo));
        }
        o2.writeBytes(option(this, 0, u64b(0)));
        section(0, o2.toByteArray(), false, false);

        byte[] file = out.toByteArray();
        ByteBuffer f = ByteBuffer.wrap(file).order(order);
        f.putLong(firstOptionsField, options1);
        for (long[] fix : sizeFixups) {
            f.putLong((int) fix[0], fix[1]);
        }
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
