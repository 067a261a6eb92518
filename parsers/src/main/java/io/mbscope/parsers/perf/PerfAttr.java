package io.mbscope.parsers.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The parts of one {@code struct perf_event_attr} (include/uapi/linux/perf_event.h) the reader
 * needs: which event it is and how its samples and side-band records are laid out.
 */
final class PerfAttr {
    static final int TYPE_TRACEPOINT = 2;

    // perf_event_sample_format bits, in the order the kernel writes the fields (perf_output_sample)
    static final long S_IP = 1L;
    static final long S_TID = 1L << 1;
    static final long S_TIME = 1L << 2;
    static final long S_ADDR = 1L << 3;
    static final long S_READ = 1L << 4;
    static final long S_CALLCHAIN = 1L << 5;
    static final long S_ID = 1L << 6;
    static final long S_CPU = 1L << 7;
    static final long S_PERIOD = 1L << 8;
    static final long S_STREAM_ID = 1L << 9;
    static final long S_RAW = 1L << 10;
    static final long S_IDENTIFIER = 1L << 16;

    // perf_event_read_format bits
    static final long R_TOTAL_TIME_ENABLED = 1L;
    static final long R_TOTAL_TIME_RUNNING = 1L << 1;
    static final long R_ID = 1L << 2;
    static final long R_GROUP = 1L << 3;
    static final long R_LOST = 1L << 4;

    /** PERF_ATTR_SIZE_VER0: the smallest attr perf ever wrote. */
    static final int SIZE_VER0 = 64;

    final int type;
    final long config;
    final long sampleType;
    final long readFormat;
    final boolean sampleIdAll;
    final boolean useClockid;
    final int clockid;
    String name;
    /** ReadStats reason for this attr's samples without RAW data, built once. */
    String noRawReason;

    PerfAttr(int type, long config, long sampleType, long readFormat, boolean sampleIdAll, boolean useClockid,
             int clockid) {
        this.type = type;
        this.config = config;
        this.sampleType = sampleType;
        this.readFormat = readFormat;
        this.sampleIdAll = sampleIdAll;
        this.useClockid = useClockid;
        this.clockid = clockid;
    }

    /**
     * Decodes an attr of {@code attrSize} bytes at {@code at}. The flag bits after read_format are
     * a C bitfield: a big-endian writer allocates it from the most significant bit, so its value
     * is bit-reversed relative to the little-endian layout (perf's perf_event__attr_swap does the
     * same with swap_bitfield).
     */
    static PerfAttr decode(ByteBuffer b, int at, int attrSize) {
        int type = b.getInt(at);
        long config = b.getLong(at + 8);
        long sampleType = b.getLong(at + 24);
        long readFormat = b.getLong(at + 32);
        long flags = b.getLong(at + 40);
        if (b.order() == ByteOrder.BIG_ENDIAN) {
            flags = Long.reverse(flags);
        }
        boolean sampleIdAll = (flags & (1L << 18)) != 0;
        boolean useClockid = (flags & (1L << 25)) != 0;
        int clockid = attrSize >= 96 ? b.getInt(at + 92) : 0;
        return new PerfAttr(type, config, sampleType, readFormat, sampleIdAll, useClockid, clockid);
    }

    boolean has(long bit) {
        return (sampleType & bit) != 0;
    }

    /** Byte size of the sample_id block that trails non-sample records when sample_id_all is set. */
    int sampleIdSize() {
        if (!sampleIdAll) {
            return 0;
        }
        int n = 0;
        for (long bit : new long[] {S_TID, S_TIME, S_ID, S_STREAM_ID, S_CPU, S_IDENTIFIER}) {
            if (has(bit)) {
                n += 8;
            }
        }
        return n;
    }

    /** Offset from the end of a non-sample record to its sample_id TIME field, or -1. */
    int timeFromEnd() {
        if (!sampleIdAll || !has(S_TIME)) {
            return -1;
        }
        int back = 8;
        if (has(S_IDENTIFIER)) {
            back += 8;
        }
        if (has(S_CPU)) {
            back += 8;
        }
        if (has(S_STREAM_ID)) {
            back += 8;
        }
        if (has(S_ID)) {
            back += 8;
        }
        return back;
    }

    @Override
    public String toString() {
        return (name != null ? name : "type " + type + " config " + config) + " sample_type 0x"
                + Long.toHexString(sampleType);
    }
}
