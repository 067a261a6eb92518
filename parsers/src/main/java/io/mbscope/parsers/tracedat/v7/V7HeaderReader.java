package io.mbscope.parsers.tracedat.v7;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.tracedat.Codec;
import io.mbscope.parsers.tracedat.CommonHeader;
import io.mbscope.parsers.tracedat.Cursor;
import io.mbscope.parsers.tracedat.FileInput;
import io.mbscope.parsers.tracedat.FormatSections;
import io.mbscope.parsers.tracedat.Options;
import io.mbscope.parsers.tracedat.TraceDatHeader;
import io.mbscope.parsers.tracedat.TraceDatHeader.BufferSpec;
import io.mbscope.parsers.tracedat.TraceDatHeader.CpuData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * trace.dat version 7 (trace-cmd.dat.v7(5), trace-cmd 3.0+): after the common header come the
 * compression header {@code "name\0version\0"} and the u64 offset of the first options section.
 * Everything else is a section ({@code u16 id, u16 flags (1 = compressed), u32 description string
 * id, u64 size}) located through options: HEADER_INFO, FTRACE_EVENTS, EVENT_FORMATS, CMDLINES hold
 * u64 section offsets, each BUFFER option describes one instance's flyrecord section and its per-CPU
 * (id, offset, size). Options sections chain through the DONE option's u64 "next" offset.
 */
public final class V7HeaderReader {
    private static final int SECTION_HEADER = 16;
    /** Metadata sections (formats, cmdlines) are small; kallsyms is not read. */
    private static final int MAX_SECTION = 256 << 20;
    private static final int MAX_OPTION_SECTIONS = 4096;
    private static final int MAX_CPUS = 1 << 16;

    private V7HeaderReader() {
    }

    private record Sections(long[] offsets) {
    }

    public static TraceDatHeader read(FileInput in, CommonHeader ch) throws IOException {
        return read(in, ch, false);
    }

    /**
     * @param lenient a file cut short by an interrupted recording still opens: trace-cmd writes the
     *                options section that describes an instance's data (its BUFFER option) after that
     *                data, so a cut loses it; the data sections that follow the last whole options
     *                section are then recovered from their own chunk tables (see
     *                {@link #recoverCutBuffers}), and CPU data running past the end of the file is read
     *                up to the cut. Both are counted as corrupt in ReadStats.
     */
    public static TraceDatHeader read(FileInput in, CommonHeader ch, boolean lenient) throws IOException {
        TraceDatHeader h = new TraceDatHeader();
        h.format = TraceFormat.TRACE_DAT_V7;
        h.order = ch.order();
        h.longSize = ch.longSize();
        h.pageSize = ch.pageSize();
        Cursor c = Cursor.ofFile(in, ch.end(), in.size(), "compression header");
        long codecAt = c.offset();
        String name = c.cstring(64, "compression name");
        String version = c.cstring(64, "compression version");
        h.codec = Codec.forName(name, version, in.name(), codecAt);
        long first = c.u64("offset of the first options section");

        long[] sectionAt = new long[Options.BUFFER_TEXT + 1];
        List<Long> bufferOptionAt = new ArrayList<>();
        List<byte[]> bufferOptions = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        List<BufferSpec> recovered = new ArrayList<>();
        long lastOptionsEnd = -1;
        long next = first;
        while (next != 0) {
            if (!seen.add(next)) {
                throw TraceFormatException.expected(in.name(), next, "options section",
                        "a chain of options sections ending with next offset 0", "a loop back to offset " + next);
            }
            if (seen.size() > MAX_OPTION_SECTIONS) {
                throw TraceFormatException.expected(in.name(), next, "options section",
                        "at most " + MAX_OPTION_SECTIONS + " options sections", "more");
            }
            if (lenient && next != first && !wholeSectionAt(in, next)) {
                // The chain points past the end of the file: the recording stopped while trace-cmd
                // wrote the data and the options that follow it.
                h.corrupt("trace.dat options written after the data missing (interrupted recording)",
                        0, in.name() + " at offset " + next + " (options section): expected an options section, "
                                + "found the end of the " + in.size() + "-byte file");
                recoverCutBuffers(in, h, lastOptionsEnd, recovered);
                break;
            }
            Cursor oc = openSection(in, h, next, Options.DONE, "options section");
            lastOptionsEnd = sectionEnd(in, next);
            next = readOptions(oc, h, sectionAt, bufferOptionAt, bufferOptions);
        }

        if (sectionAt[Options.HEADER_INFO] == 0) {
            throw TraceFormatException.expected(in.name(), first, "options",
                    "a HEADER_INFO option (ring-buffer page layout)", "none");
        }
        h.layout = FormatSections.readHeaderInfo(
                openSection(in, h, sectionAt[Options.HEADER_INFO], Options.HEADER_INFO, "header info section"),
                ch.longSize());
        if (sectionAt[Options.FTRACE_EVENTS] != 0) {
            FormatSections.readFtraceEvents(openSection(in, h, sectionAt[Options.FTRACE_EVENTS],
                    Options.FTRACE_EVENTS, "ftrace event formats section"), h.formats);
        }
        if (sectionAt[Options.EVENT_FORMATS] != 0) {
            FormatSections.readEventSystems(openSection(in, h, sectionAt[Options.EVENT_FORMATS],
                    Options.EVENT_FORMATS, "event formats section"), h.formats);
        }
        if (sectionAt[Options.CMDLINES] != 0) {
            Cursor cc = openSection(in, h, sectionAt[Options.CMDLINES], Options.CMDLINES, "cmdlines section");
            long size = cc.u64("cmdlines size");
            if (size > FormatSections.maxCmdlines()) {
                throw cc.error("cmdlines size up to " + FormatSections.maxCmdlines(), Long.toUnsignedString(size));
            }
            h.comms = FormatSections.parseCmdlines(cc.text(cc.size(size, "cmdlines"), "cmdlines"));
        }
        for (int i = 0; i < bufferOptions.size(); i++) {
            h.buffers.add(readBuffer(in, h, bufferOptions.get(i), bufferOptionAt.get(i), lenient));
        }
        h.buffers.addAll(recovered);
        return h;
    }

    /** Whether a section header and its declared content lie inside the file. */
    private static boolean wholeSectionAt(FileInput in, long at) throws IOException {
        if (at < 0 || at > in.size() - SECTION_HEADER) {
            return false;
        }
        long size = Cursor.ofFile(in, at + 8, at + SECTION_HEADER, "section header").u64("section size");
        return size >= 0 && size <= in.size() - at - SECTION_HEADER;
    }

    private static long sectionEnd(FileInput in, long at) throws IOException {
        return at + SECTION_HEADER + Cursor.ofFile(in, at + 8, at + SECTION_HEADER, "section header").u64("section size");
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    /**
     * Lenient: the options section that would describe the flyrecord sections after {@code at} is
     * not in the file. trace-cmd 3.x (lib/trace-cmd/trace-output.c) writes each instance's data
     * section right after the options that precede it, and inside it every CPU's compressed data
     * (u32 chunk count, then u32 compressed size, u32 size, bytes per chunk) starting on a page
     * boundary, CPUs in ascending order. The chunk tables are walked from there; the CPU numbers
     * are therefore positions (0, 1, ...), exact when every CPU recorded data, and the instance name
     * and clock are unknown. A cut inside a chunk is left to the chunk reader, which reports it.
     * Uncompressed data has no such tables and is not recovered.
     */
    private static void recoverCutBuffers(FileInput in, TraceDatHeader h, long at, List<BufferSpec> out)
            throws IOException {
        long pos = at;
        int n = 0;
        while (pos >= 0 && pos <= in.size() - SECTION_HEADER && n < MAX_OPTION_SECTIONS) {
            Cursor s = Cursor.ofFile(in, pos, in.size(), "recovered buffer section");
            int id = s.u16("section id");
            int flags = s.u16("section flags");
            s.u32("section description");
            long size = s.u64("section size");
            if (id != Options.BUFFER) {
                break;
            }
            long dataAt = pos + SECTION_HEADER;
            // trace-cmd fills the size in when the section is done: 0 (or past the end) if it never was.
            boolean whole = size > 0 && size <= in.size() - dataAt;
            long end = whole ? dataAt + size : in.size();
            if ((flags & 1) == 0 || h.codec == null) {
                h.corrupt("trace.dat uncompressed buffer data without its BUFFER option not read", end - dataAt,
                        in.name() + " at offset " + pos + " (buffer section): the CPU layout of uncompressed "
                                + "data is only in the lost options");
                if (!whole) {
                    break;
                }
                pos = end;
                continue;
            }
            List<CpuData> cpus = new ArrayList<>();
            long p = alignUp(dataAt, h.pageSize);
            while (p <= end - 4 && cpus.size() < MAX_CPUS) {
                Cursor c = Cursor.ofFile(in, p, end, "recovered CPU data");
                long count = c.u32("compressed chunk count");
                if (count == 0 || count * 8 > end - p - 4) {
                    break;
                }
                long q = p + 4;
                for (long k = 0; k < count && q <= end - 8; k++) {
                    long z = Cursor.ofFile(in, q, end, "recovered CPU data").u32("chunk compressed size");
                    if (z > end - q - 8) {
                        q = end;
                        break;
                    }
                    q += 8 + z;
                }
                cpus.add(new CpuData(cpus.size(), p, q - p, end));
                p = alignUp(q, h.pageSize);
            }
            h.corrupt("trace.dat buffer data recovered without its BUFFER option (interrupted recording; "
                    + "CPU numbers by position)", 0, in.name() + " at offset " + pos + " (buffer section): "
                    + cpus.size() + " CPUs of compressed data found by their chunk tables");
            if (!cpus.isEmpty()) {
                out.add(new BufferSpec("recovered-" + (n + 1), null, h.pageSize, true, cpus));
            }
            n++;
            if (!whole) {
                break;
            }
            pos = end;
        }
    }

    /**
     * Reads a section header at {@code at}, checks its id and size, and returns a cursor over its
     * (uncompressed) content.
     */
    static Cursor openSection(FileInput in, TraceDatHeader h, long at, int expectedId, String what)
            throws IOException {
        Cursor c = Cursor.ofFile(in, at, in.size(), what);
        int id = c.u16("section id");
        if (id != expectedId) {
            throw TraceFormatException.expected(in.name(), at, what, "section id " + expectedId, id);
        }
        int flags = c.u16("section flags");
        c.u32("section description");
        long size = c.u64("section size");
        long dataAt = at + SECTION_HEADER;
        if (size < 0 || size > in.size() - dataAt) {
            throw TraceFormatException.expected(in.name(), at + 8, what,
                    "section size within the " + (in.size() - dataAt) + " bytes left in the file",
                    Long.toUnsignedString(size));
        }
        if ((flags & 1) == 0) {
            return Cursor.ofFile(in, dataAt, dataAt + size, what);
        }
        if (h.codec == null) {
            throw TraceFormatException.expected(in.name(), at + 2, what,
                    "an uncompressed section (the file header says compression 'none')", "the compressed flag");
        }
        Cursor z = Cursor.ofFile(in, dataAt, dataAt + size, what);
        long zsize = z.u32("compressed size");
        long usize = z.u32("uncompressed size");
        if (zsize > z.remaining()) {
            throw z.error("compressed data within the " + z.remaining() + " bytes of the section", zsize + " bytes");
        }
        if (usize > MAX_SECTION) {
            throw z.error("uncompressed section size up to " + MAX_SECTION, usize + " bytes");
        }
        // zstd and zlib expand incompressible input by well under 1%: a bigger block is corrupt.
        if (zsize > usize + (usize >> 3) + 1024) {
            throw z.error("compressed data no larger than its " + usize + " uncompressed bytes", zsize + " bytes");
        }
        byte[] zdata = z.bytes((int) zsize, "compressed data");
        byte[] out = new byte[(int) usize];
        h.codec.decompress(zdata, 0, zdata.length, out, 0, out.length, in.name(), dataAt, what);
        return Cursor.ofBytes(in, out, out.length, dataAt, what + " (" + h.codec.name() + ")");
    }

    /** Reads one options section; returns the DONE option's next-section offset (0 = last). */
    private static long readOptions(Cursor c, TraceDatHeader h, long[] sectionAt, List<Long> bufferOptionAt,
                                    List<byte[]> bufferOptions) throws IOException {
        while (true) {
            long at = c.offset();
            int id = c.u16("option id");
            long size = c.u32("option size");
            if (size > Options.MAX_OPTION) {
                throw c.error("option size up to " + Options.MAX_OPTION, size);
            }
            byte[] data = c.bytes(c.size(size, "option " + id + " data"), "option " + id + " data");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data).order(h.order);
            switch (id) {
                case Options.DONE -> {
                    if (data.length < 8) {
                        throw TraceFormatException.expected(c.file(), at, c.section(),
                                "DONE option with a u64 next offset", data.length + " bytes");
                    }
                    return b.getLong(0);
                }
                case Options.HEADER_INFO, Options.FTRACE_EVENTS, Options.EVENT_FORMATS, Options.CMDLINES -> {
                    if (data.length < 8) {
                        throw TraceFormatException.expected(c.file(), at, c.section(),
                                "option " + id + " with a u64 section offset", data.length + " bytes");
                    }
                    sectionAt[id] = b.getLong(0);
                }
                case Options.BUFFER -> {
                    bufferOptionAt.add(at);
                    bufferOptions.add(data);
                }
                case Options.BUFFER_TEXT -> h.note("latency text buffer (BUFFER_TEXT) not read");
                default -> Options.applyCommon(id, data, h);
            }
        }
    }

    /**
     * BUFFER option: u64 section offset, name, clock, u32 page size, u32 CPU count, then per CPU
     * u32 id, u64 offset, u64 size; the section (id BUFFER, compressed flag for chunked data) holds
     * the pages those pairs point into.
     */
    private static BufferSpec readBuffer(FileInput in, TraceDatHeader h, byte[] data, long optionAt,
                                         boolean lenient) throws IOException {
        Cursor c = Cursor.ofBytes(in, data, data.length, optionAt, "BUFFER option");
        long sectionOffset = c.u64("buffer section offset");
        String name = c.cstring(4096, "buffer name");
        String clock = c.cstring(256, "buffer clock");
        long pageSize = c.u32("buffer page size");
        String what = name.isEmpty() ? "top-level buffer" : "buffer " + name;
        if (!CommonHeader.plausiblePageSize(pageSize)) {
            throw c.error("page size of " + what + " a power of two up to 16 MiB", pageSize);
        }
        long cpus = c.u32("buffer CPU count");
        if (cpus > MAX_CPUS || cpus * 20 > c.remaining()) {
            throw c.error("CPU count of " + what + " that fits the option", cpus);
        }
        Cursor s = Cursor.ofFile(in, sectionOffset, in.size(), what + " section");
        int id = s.u16("section id");
        if (id != Options.BUFFER) {
            throw TraceFormatException.expected(in.name(), sectionOffset, what + " section",
                    "section id " + Options.BUFFER + " (flyrecord data)", id);
        }
        int flags = s.u16("section flags");
        s.u32("section description");
        long size = s.u64("section size");
        long dataAt = sectionOffset + SECTION_HEADER;
        if (lenient && dataAt <= in.size() && (size < 0 || size > in.size() - dataAt)) {
            h.corrupt("trace.dat buffer section cut short (interrupted recording)",
                    size < 0 ? 0 : size - (in.size() - dataAt), in.name() + " at offset " + (sectionOffset + 8)
                            + " (" + what + " section): section of " + Long.toUnsignedString(size)
                            + " bytes, the file ends after " + (in.size() - dataAt));
            size = in.size() - dataAt;
        }
        if (size < 0 || size > in.size() - dataAt) {
            throw TraceFormatException.expected(in.name(), sectionOffset + 8, what + " section",
                    "section size within the " + (in.size() - dataAt) + " bytes left in the file",
                    Long.toUnsignedString(size));
        }
        boolean compressed = (flags & 1) != 0;
        if (compressed && h.codec == null) {
            throw TraceFormatException.expected(in.name(), sectionOffset + 2, what + " section",
                    "an uncompressed section (the file header says compression 'none')", "the compressed flag");
        }
        List<CpuData> list = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < cpus; i++) {
            long cpu = c.u32("CPU id");
            long off = c.u64("CPU data offset");
            long sz = c.u64("CPU data size");
            if (cpu >= MAX_CPUS || !ids.add(cpu)) {
                throw c.error("distinct CPU ids below " + MAX_CPUS + " in " + what, cpu);
            }
            if (lenient && sz > 0 && off >= dataAt && off <= dataAt + size && sz > dataAt + size - off) {
                // cut short: the chunk reader or page walker reports what is missing
                sz = dataAt + size - off;
            }
            if (sz != 0 && (off < dataAt || sz < 0 || off > dataAt + size || sz > dataAt + size - off)) {
                throw TraceFormatException.expected(in.name(), optionAt, what + " CPU " + cpu,
                        "CPU data inside its section [" + dataAt + ", " + (dataAt + size) + ")",
                        "offset " + Long.toUnsignedString(off) + " size " + Long.toUnsignedString(sz));
            }
            list.add(new CpuData((int) cpu, off, sz, compressed ? dataAt + size : off + sz));
        }
        return new BufferSpec(name, clock, (int) pageSize, compressed, list);
    }
}
