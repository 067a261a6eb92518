package io.mbscope.parsers.perf;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.format.FormatFileParser;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The tracing data perf embeds for tracepoint events: the HEADER_TRACING_DATA feature section in a
 * file, the PERF_RECORD_HEADER_TRACING_DATA payload in a pipe. Its layout is the one perf's
 * util/trace-event-info.c writes (the same as the head of a trace.dat v6): magic, version string,
 * endianness and long size of the traced machine, page size, header_page, header_event, ftrace
 * formats, per-system event formats, kallsyms, printk formats and (version 0.6 on) saved cmdlines.
 * Numbers inside are in the traced machine's byte order, which the section declares itself.
 */
final class TracingData {
    static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    /** A tracepoint format file is a few KiB; anything this big is corrupt. */
    private static final long MAX_FORMAT = 1 << 20;
    private static final long MAX_COUNT = 1 << 16;
    /** saved_cmdlines holds at most a few thousand "pid comm" lines. */
    private static final long MAX_CMDLINES = 16L << 20;

    final FormatRegistry formats = new FormatRegistry();
    final Map<Integer, String> cmdlines = new HashMap<>();
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    int longSize;
    long pageSize;
    String version;

    /** Parses from {@code in}'s position up to its limit; {@code in}'s byte order is restored after. */
    static TracingData parse(SeqInput in, String section) throws IOException {
        ByteOrder saved = in.order();
        try {
            TracingData td = new TracingData();
            td.read(in, section);
            return td;
        } finally {
            in.order(saved);
        }
    }

    private void read(SeqInput in, String section) throws IOException {
        String file = in.file();
        long start = in.offset();
        byte[] magic = in.bytes(MAGIC.length, section);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw TraceFormatException.expected(file, start, section, "tracing data magic \\027\\010Dtracing",
                        hex(magic));
            }
        }
        version = in.readCString(16, section + " version");
        double v;
        try {
            v = Double.parseDouble(version);
        } catch (NumberFormatException e) {
            throw TraceFormatException.expected(file, start + MAGIC.length, section, "a version like 0.6",
                    "'" + version + "'");
        }
        if (v < 0.5 || v >= 1.0) {
            throw new UnsupportedFormatException(file, start + MAGIC.length, section,
                    "tracing data version " + version + " (supported: 0.5, 0.6)");
        }
        in.require(6, section);
        int big = in.u8(in.pos());
        longSize = in.u8(in.pos() + 1);
        in.advance(2);
        if (big > 1) {
            throw TraceFormatException.expected(file, in.offset() - 2, section, "endianness byte 0 or 1", big);
        }
        order = big == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        in.order(order);
        pageSize = in.readU32(section + " page size");

        skipNamedBlob(in, "header_page", section);
        skipNamedBlob(in, "header_event", section);

        long nFtrace = count(in, section + " ftrace formats");
        for (long i = 0; i < nFtrace; i++) {
            readFormat(in, "ftrace", section);
        }
        long nSystems = count(in, section + " event systems");
        for (long s = 0; s < nSystems; s++) {
            String system = in.readCString(256, section + " system name");
            long n = count(in, section + " formats of " + system);
            for (long i = 0; i < n; i++) {
                readFormat(in, system, section);
            }
        }
        // kallsyms and printk formats: only needed to print %pS / %s pointers, which mbscope does not.
        long kallsyms = in.readU32(section + " kallsyms size");
        skipOrFail(in, kallsyms, section + " kallsyms");
        long printk = in.readU32(section + " printk size");
        skipOrFail(in, printk, section + " printk formats");
        if (v >= 0.6 && in.remaining() >= 8) {
            long size = in.readU64(section + " saved cmdlines size");
            if (size < 0 || size > MAX_CMDLINES || size > in.remaining()) {
                throw TraceFormatException.expected(file, in.offset() - 8, section + " saved cmdlines",
                        "a size within the section", size);
            }
            readCmdlines(in, size, section);
        }
    }

    private void skipNamedBlob(SeqInput in, String name, String section) throws IOException {
        long at = in.offset();
        String got = in.readCString(64, section + " " + name);
        if (!got.equals(name)) {
            throw TraceFormatException.expected(in.file(), at, section, "'" + name + "'", "'" + got + "'");
        }
        long size = in.readU64(section + " " + name + " size");
        skipOrFail(in, size, section + " " + name);
    }

    private static long count(SeqInput in, String what) throws IOException {
        long n = in.readU32(what);
        if (n > MAX_COUNT) {
            throw TraceFormatException.expected(in.file(), in.offset() - 4, what, "a count below " + MAX_COUNT, n);
        }
        return n;
    }

    private void readFormat(SeqInput in, String system, String section) throws IOException {
        long size = in.readU64(section + " format size (" + system + ")");
        long at = in.offset();
        if (size < 0 || size > MAX_FORMAT || size > in.remaining()) {
            throw TraceFormatException.expected(in.file(), at - 8, section + " format (" + system + ")",
                    "a format file size below " + Math.min(MAX_FORMAT, in.remaining()), size);
        }
        byte[] bytes = in.bytes((int) size, section + " format (" + system + ")");
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String source = in.file() + " " + section;
        // Parsed on first use (only the formats of events the file holds); see FormatRegistry.
        FormatFileParser.Peek peek = FormatFileParser.peek(text);
        if (peek == null) {
            formats.add(FormatFileParser.parse(system, text, source, at));
        } else {
            formats.addDeferred(peek.id(), system, peek.name(), () -> FormatFileParser.parse(system, text, source, at));
        }
    }

    private static void skipOrFail(SeqInput in, long size, String what) throws IOException {
        if (size < 0 || size > in.remaining() || !in.skip(size)) {
            throw TraceFormatException.expected(in.file(), in.offset(), what,
                    size + " bytes inside the section", "less left");
        }
    }

    private void readCmdlines(SeqInput in, long size, String section) throws IOException {
        long left = size;
        StringBuilder line = new StringBuilder();
        while (left > 0) {
            int chunk = (int) Math.min(left, 64 * 1024);
            in.require(chunk, section + " saved cmdlines");
            byte[] a = in.array();
            int p = in.pos();
            for (int i = 0; i < chunk; i++) {
                char c = (char) (a[p + i] & 0xff);
                if (c == '\n') {
                    addCmdline(line);
                    line.setLength(0);
                } else if (line.length() < 256) {
                    line.append(c);
                }
            }
            in.advance(chunk);
            left -= chunk;
        }
        addCmdline(line);
    }

    private void addCmdline(CharSequence line) {
        String s = line.toString().strip();
        int sp = s.indexOf(' ');
        if (sp <= 0) {
            return;
        }
        try {
            cmdlines.put(Integer.parseInt(s.substring(0, sp)), s.substring(sp + 1));
        } catch (NumberFormatException e) {
            // not a "pid comm" line: saved_cmdlines has no other content, ignore
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
