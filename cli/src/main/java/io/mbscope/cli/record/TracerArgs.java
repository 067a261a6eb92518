package io.mbscope.cli.record;

import io.mbscope.cli.record.EventPlan.EventSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines of the two tracers, built from one event plan so both record the same events. */
public final class TracerArgs {
    private TracerArgs() {
    }

    /**
     * {@code trace-cmd record -o OUT -d -B INSTANCE -C mono -b KB -e G:N -f FILTER ...}.
     * No event is given before -B, so trace-cmd enables nothing in the top-level buffer and only
     * creates, uses and removes its own instance; -d keeps the function tracer off; -C mono gives
     * the CLOCK_MONOTONIC timestamps perf -k mono also uses.
     */
    public static List<String> traceCmdRecord(String exe, Path out, String instance, int bufferKbPerCpu,
            List<EventSpec> events) {
        List<String> a = new ArrayList<>(List.of(exe, "record", "-o", out.toString(), "-d", "-B", instance, "-C",
                "mono", "-b", Integer.toString(bufferKbPerCpu)));
        for (EventSpec e : events) {
            a.add("-e");
            a.add(e.id());
            if (!e.filter().isEmpty()) {
                a.add("-f");
                a.add(e.filter());
            }
        }
        return a;
    }

    /**
     * {@code perf record -a -k mono -D -1 --control fifo:CTL,ACK -m PAGES -o OUT -e G:N --filter F ...}.
     * -D -1 starts with every event disabled; mbscope sends "enable" on the control fifo and waits
     * for perf's "ack", so the command starts only once the events are live.
     * {@code ctl} may be null: then no -D/--control (events live as soon as perf has set up).
     */
    public static List<String> perfRecord(String exe, Path out, int bufferKbPerCpu, Path ctl, Path ack,
            List<EventSpec> events) {
        List<String> a = new ArrayList<>(List.of(exe, "record", "-a", "-k", "mono"));
        if (ctl != null) {
            a.addAll(List.of("-D", "-1", "--control", "fifo:" + ctl + "," + ack));
        }
        if (bufferKbPerCpu > 0) {
            a.addAll(List.of("-m", Long.toString(perfMmapPages(bufferKbPerCpu))));
        }
        a.addAll(List.of("-o", out.toString()));
        for (EventSpec e : events) {
            a.add("-e");
            a.add(e.id());
            if (!e.filter().isEmpty()) {
                a.add("--filter");
                a.add(e.filter());
            }
        }
        return a;
    }

    /** perf's per-CPU mmap size is a power of two of 4 KiB pages: the smallest one that holds KB. */
    static long perfMmapPages(int kb) {
        long pages = Math.max(1, (kb + 3L) / 4);
        return (pages & (pages - 1)) == 0 ? pages : Long.highestOneBit(pages) << 1;
    }

    /** One line for *-cmdline.txt: arguments joined by spaces, as the corpus files show them. */
    public static String display(List<String> args) {
        return String.join(" ", args);
    }
}
