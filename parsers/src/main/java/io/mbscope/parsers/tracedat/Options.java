package io.mbscope.parsers.tracedat;

import java.nio.ByteBuffer;

/**
 * Option ids (include/trace-cmd.h {@code enum tracecmd_file_options}) and the options whose
 * payload v6 and v7 write alike.
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public final class Options {
    public static final int DONE = 0;
    public static final int DATE = 1;
    public static final int CPUSTAT = 2;
    public static final int BUFFER = 3;
    public static final int TRACECLOCK = 4;
    public static final int UNAME = 5;
    public static final int HOOK = 6;
    public static final int OFFSET = 7;
    public static final int CPUCOUNT = 8;
    public static final int VERSION = 9;
    public static final int PROCMAPS = 10;
    public static final int TRACEID = 11;
    public static final int TIME_SHIFT = 12;
    public static final int GUEST = 13;
    public static final int TSC2NSEC = 14;
    public static final int STRINGS = 15;
    public static final int HEADER_INFO = 16;
    public static final int FTRACE_EVENTS = 17;
    public static final int EVENT_FORMATS = 18;
    public static final int KALLSYMS = 19;
    public static final int PRINTK = 20;
    public static final int CMDLINES = 21;
    public static final int BUFFER_TEXT = 22;

    /** trace.dat metadata never holds options this large; a bigger size is corruption. */
    public static final int MAX_OPTION = 64 << 20;
    /** More CPUs than any machine trace-cmd runs on: a larger count is corruption. */
    public static final int MAX_CPUS = 1 << 16;

    private Options() {
    }

    /**
     * Applies an option that means the same in v6 and v7. Returns false if {@code id} is not one
     * of them (the caller handles it or skips it by size).
     */
    public static boolean applyCommon(int id, byte[] data, TraceDatHeader h) {
        switch (id) {
            case TRACECLOCK -> h.traceClock = FormatSections.optionText(data);
            case UNAME -> h.uname = FormatSections.optionText(data);
            case CPUCOUNT -> {
                int n = data.length >= 4 ? ByteBuffer.wrap(data).order(h.order).getInt() : -1;
                if (n >= 0 && n <= MAX_CPUS) {
                    h.cpuCount = n;
                } else {
                    h.note("CPUCOUNT option out of range ignored");
                }
            }
            case TSC2NSEC -> {
                // u32 mult, u32 shift, u64 offset: trace-cmd converts x86-tsc clocks with (ts * mult) >> shift.
                if (data.length >= 16) {
                    ByteBuffer b = ByteBuffer.wrap(data).order(h.order);
                    h.tscMult = b.getInt(0) & 0xffffffffL;
                    h.tscShift = b.getInt(4);
                    if (h.tscShift < 0 || h.tscShift > 63) {
                        h.tscMult = 0;
                        h.note("TSC2NSEC option with an invalid shift ignored");
                    }
                }
            }
            case OFFSET -> {
                // ASCII number (any base strtoll accepts) added to every timestamp.
                String t = FormatSections.optionText(data).strip();
                try {
                    h.tsOffset += parseCLong(t);
                } catch (NumberFormatException e) {
                    h.note("unparsable OFFSET option ignored");
                }
            }
            case DATE -> h.note("DATE option not applied: timestamps stay in the trace clock");
            case TIME_SHIFT -> h.note("TIME_SHIFT (guest/host sync) option not applied");
            default -> {
                return false;
            }
        }
        return true;
    }

    static long parseCLong(String t) {
        boolean neg = t.startsWith("-");
        String u = neg || t.startsWith("+") ? t.substring(1) : t;
        long v;
        if (u.startsWith("0x") || u.startsWith("0X")) {
            v = Long.parseUnsignedLong(u.substring(2), 16);
        } else if (u.length() > 1 && u.startsWith("0")) {
            v = Long.parseLong(u.substring(1), 8);
        } else {
            v = Long.parseLong(u);
        }
        return neg ? -v : v;
    }
}
