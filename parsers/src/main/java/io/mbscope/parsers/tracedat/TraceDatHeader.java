package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.format.FormatRegistry;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the v6 or v7 header reader learned that the shared page walker needs: formats,
 * page layout, comms, and where each buffer's per-CPU data is. Built once per open.
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public final class TraceDatHeader {
    /**
     * One CPU's ring-buffer pages: file range, compressed (v7 chunked) or raw pages.
     *
     * @param limit end of the region the data may extend to: offset + size for raw pages, the end of
     *              the enclosing section for chunked data (trace-cmd 3.1 records a size 4 bytes short
     *              of the chunk table, so the size alone cannot bound it)
     */
    public record CpuData(int cpu, long offset, long size, long limit) {
    }

    /**
     * One ring-buffer instance: "" is the top-level buffer, others come from {@code trace-cmd -B}.
     *
     * @param clock      the buffer's trace clock (v7 BUFFER option), or null
     * @param pageSize   sub-buffer size (tunable since Linux 6.8 via buffer_subbuf_size_kb)
     * @param compressed whether each CPU's data is a chunk table of compressed pages
     */
    public record BufferSpec(String name, String clock, int pageSize, boolean compressed, List<CpuData> cpus) {
        public BufferSpec {
            cpus = List.copyOf(cpus);
        }

        public boolean hasData() {
            return cpus.stream().anyMatch(c -> c.size() > 0);
        }
    }

    public TraceFormat format;
    public ByteOrder order;
    public int longSize;
    public int pageSize;
    public PageLayout layout;
    public final FormatRegistry formats = new FormatRegistry();
    public Map<Integer, String> comms = Map.of();
    public String uname;
    public String traceClock;
    public int cpuCount;
    public final List<BufferSpec> buffers = new ArrayList<>();
    public Codec codec;
    /** TSC2NSEC option: ns = (ts * mult) >> shift; mult 0 = timestamps are already ns. */
    public long tscMult;
    public int tscShift;
    /** OFFSET option: ns added to every timestamp. */
    public long tsOffset;
    /** Things seen in the headers but not read (reason to count), reported through ReadStats. */
    public final Map<String, Long> notes = new LinkedHashMap<>();

    public void note(String reason) {
        notes.merge(reason, 1L, Long::sum);
    }

    /** Damage a lenient header reader worked around (see ReadStats#skipCorrupt). */
    public record Corrupt(String reason, long bytes, String where) {
    }

    /** Damage found while reading the headers in lenient mode, reported through ReadStats. */
    public final List<Corrupt> corrupt = new ArrayList<>();

    public void corrupt(String reason, long bytes, String where) {
        corrupt.add(new Corrupt(reason, bytes, where));
    }
}
