package io.mbscope.parsers.tracedat.v6;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import io.mbscope.parsers.tracedat.CommonHeader;
import io.mbscope.parsers.tracedat.Cursor;
import io.mbscope.parsers.tracedat.FileInput;
import io.mbscope.parsers.tracedat.FormatSections;
import io.mbscope.parsers.tracedat.Options;
import io.mbscope.parsers.tracedat.TraceDatHeader;
import io.mbscope.parsers.tracedat.TraceDatHeader.BufferSpec;
import io.mbscope.parsers.tracedat.TraceDatHeader.CpuData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * trace.dat version 6 (trace-cmd.dat.v6(5)): one sequential header (header_page/header_event,
 * ftrace formats, event systems, kallsyms, printk formats, saved_cmdlines, CPU count), then
 * {@code "options  \0"} with (u16 id, u32 size, data) options ended by id 0, then
 * {@code "flyrecord\0"} and a (u64 offset, u64 size) pair per CPU. Each BUFFER option
 * ({@code u64 offset, name}) points to another {@code "flyrecord\0"} table for an instance buffer
 * (trace-cmd record -B); its CPU count is the CPUCOUNT option's.
 */
public final class V6HeaderReader {
    private static final String OPTIONS = "options  ";
    private static final String LATENCY = "latency  ";
    private static final String FLYRECORD = "flyrecord";
    private static final int MAX_CPUS = 1 << 16;

    private V6HeaderReader() {
    }

    private record NamedOffset(String name, long offset, long optionAt) {
    }

    public static TraceDatHeader read(FileInput in, CommonHeader ch) throws IOException {
        return read(in, ch, false);
    }

    /**
     * @param lenient a CPU's data that runs past the end of the file (a recording interrupted
     *     while trace-cmd wrote the last CPU's pages, v6 writes them last) is cut to the whole
     *     pages the file has, and the cut is noted, instead of failing the file
     */
    public static TraceDatHeader read(FileInput in, CommonHeader ch, boolean lenient) throws IOException {
        TraceDatHeader h = new TraceDatHeader();
        h.format = TraceFormat.TRACE_DAT_V6;
        h.order = ch.order();
        h.longSize = ch.longSize();
        h.pageSize = ch.pageSize();
        Cursor c = Cursor.ofFile(in, ch.end(), in.size(), "header_page/header_event");
        h.layout = FormatSections.readHeaderInfo(c, ch.longSize());
        c = Cursor.ofFile(in, c.offset(), in.size(), "ftrace event formats");
        FormatSections.readFtraceEvents(c, h.formats);
        c = Cursor.ofFile(in, c.offset(), in.size(), "event formats");
        FormatSections.readEventSystems(c, h.formats);
        c = Cursor.ofFile(in, c.offset(), in.size(), "kallsyms");
        c.skip(c.u32("kallsyms size"), "kallsyms");
        c = Cursor.ofFile(in, c.offset(), in.size(), "printk formats");
        c.skip(c.u32("printk formats size"), "printk formats");
        c = Cursor.ofFile(in, c.offset(), in.size(), "saved cmdlines");
        long cmdSize = c.u64("cmdlines size");
        if (cmdSize > FormatSections.maxCmdlines()) {
            throw c.error("cmdlines size up to " + FormatSections.maxCmdlines(), Long.toUnsignedString(cmdSize));
        }
        h.comms = FormatSections.parseCmdlines(c.text(c.size(cmdSize, "cmdlines"), "cmdlines"));
        c = Cursor.ofFile(in, c.offset(), in.size(), "CPU count");
        long cpus = c.u32("CPU count");
        if (cpus > MAX_CPUS) {
            throw c.error("CPU count up to " + MAX_CPUS, cpus);
        }
        h.cpuCount = (int) cpus;

        List<NamedOffset> instances = new ArrayList<>();
        c = Cursor.ofFile(in, c.offset(), in.size(), "options");
        String tag = tag(c);
        if (tag.equals(OPTIONS)) {
            readOptions(c, h, instances);
            tag = tag(c);
        }
        if (tag.equals(LATENCY)) {
            throw new UnsupportedFormatException(in.name(), c.offset() - 10, "latency",
                    "latency-tracer text data (trace-cmd record with a latency plugin) is not read; "
                            + "record events with trace-cmd record -e");
        }
        if (!tag.equals(FLYRECORD)) {
            throw c.error("\"flyrecord\" or \"latency\" tag", "'" + tag + "'");
        }
        long tableCpus = h.cpuCount;
        h.buffers.add(readFlyrecord(in, c, "", tableCpus, h.pageSize, lenient ? h : null));
        for (NamedOffset b : instances) {
            Cursor bc = Cursor.ofFile(in, b.offset(), in.size(), "buffer " + b.name());
            String t = tag(bc);
            if (t.equals(OPTIONS)) {
                // Not written by trace-cmd for instances, but allowed by the reader's grammar.
                TraceDatHeader ignored = new TraceDatHeader();
                ignored.order = h.order;
                readOptions(bc, ignored, new ArrayList<>());
                t = tag(bc);
            }
            if (!t.equals(FLYRECORD)) {
                throw bc.error("\"flyrecord\" tag of buffer " + b.name() + " (BUFFER option at " + b.optionAt() + ")",
                        "'" + t + "'");
            }
            h.buffers.add(readFlyrecord(in, bc, b.name(), tableCpus, h.pageSize, lenient ? h : null));
        }
        return h;
    }

    private static String tag(Cursor c) throws IOException {
        byte[] b = c.bytes(10, "10-byte section tag");
        int n = 0;
        while (n < 10 && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static void readOptions(Cursor c, TraceDatHeader h, List<NamedOffset> instances) throws IOException {
        while (true) {
            long at = c.offset();
            int id = c.u16("option id");
            if (id == Options.DONE) {
                return;
            }
            long size = c.u32("option size");
            if (size > Options.MAX_OPTION) {
                throw c.error("option size up to " + Options.MAX_OPTION, size);
            }
            byte[] data = c.bytes(c.size(size, "option " + id + " data"), "option " + id + " data");
            if (id == Options.BUFFER) {
                if (data.length < 9) {
                    throw TraceFormatException.expected(c.file(), at, "BUFFER option",
                            "u64 offset and a name", data.length + " bytes");
                }
                long off = ByteBuffer.wrap(data).order(c.order()).getLong(0);
                String name = FormatSections.optionText(java.util.Arrays.copyOfRange(data, 8, data.length));
                instances.add(new NamedOffset(name, off, at));
            } else {
                // Options not applied there (CPUSTAT, VERSION, HOOK, unknown ids) are skipped by size.
                Options.applyCommon(id, data, h);
            }
        }
    }

    /** @param lenient where to note a cut CPU data size in lenient mode; null when strict */
    private static BufferSpec readFlyrecord(FileInput in, Cursor c, String name, long cpus, int pageSize,
                                            TraceDatHeader lenient) throws IOException {
        List<CpuData> list = new ArrayList<>();
        if (cpus * 16 > c.remaining()) {
            throw c.error(cpus + " CPU (offset, size) pairs", c.remaining() + " bytes left in the file");
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            long at = c.offset();
            long off = c.u64("CPU " + cpu + " data offset");
            long size = c.u64("CPU " + cpu + " data size");
            if (size != 0) {
                String section = (name.isEmpty() ? "top-level buffer" : "buffer " + name) + " CPU " + cpu;
                if (lenient != null && off >= 0 && size > 0 && off < in.size() && size > in.size() - off) {
                    // An interrupted recording: read what is there; the page walker decodes the whole
                    // records of a last page cut short (and counts that page).
                    long have = in.size() - off;
                    lenient.corrupt("trace.dat CPU data cut short (interrupted recording)", size - have,
                            in.name() + " at offset " + at + " (" + section + "): file cut short, read " + have
                                    + " of " + size + " bytes of CPU data");
                    size = have;
                }
                if (off < 0 || size < 0 || off > in.size() || size > in.size() - off) {
                    throw TraceFormatException.expected(in.name(), at, section,
                            "CPU data inside the " + in.size() + "-byte file",
                            "offset " + Long.toUnsignedString(off) + " size " + Long.toUnsignedString(size)
                                    + " (file truncated?)");
                }
            }
            list.add(new CpuData(cpu, off, size, off + size));
        }
        return new BufferSpec(name, null, pageSize, false, list);
    }
}
