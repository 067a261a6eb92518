package io.mbscope.cli.record;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lost-event counters of ftrace ring buffers, summed over CPUs, from the text of
 * per_cpu/cpuN/stats files or of {@code trace-cmd report --stat} (which prints the same per-CPU
 * stats trace-cmd stored in trace.dat). "overrun" counts events overwritten in a full buffer,
 * "commit overrun" events lost while a nested writer held the page, "dropped events" events
 * discarded because the buffer was full in non-overwrite mode (kernel/trace/trace.c,
 * tracing_stats_read). "entries" are events still unread, not lost.
 */
public record RingStats(int cpus, long overrun, long commitOverrun, long dropped) {
    private static final Pattern LINE = Pattern.compile("^\\s*(overrun|commit overrun|dropped events):\\s*(\\d+)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern CPU = Pattern.compile("^\\s*(?:== cpu\\d+|CPU: \\d+)\\s*$", Pattern.MULTILINE);

    public long lost() {
        return overrun + commitOverrun + dropped;
    }

    public static RingStats parse(String text) {
        int cpus = 0;
        Matcher c = CPU.matcher(text);
        while (c.find()) {
            cpus++;
        }
        long ov = 0, cov = 0, dr = 0;
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            long v = Long.parseLong(m.group(2));
            switch (m.group(1)) {
                case "overrun" -> ov += v;
                case "commit overrun" -> cov += v;
                default -> dr += v;
            }
        }
        return new RingStats(cpus, ov, cov, dr);
    }
}
