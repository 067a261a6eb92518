package io.mbscope.tracecompass.trace;

/** perf record's perf.data (file and pipe mode; the tracepoint samples are the events). */
public class PerfDataTrace extends MbTrace {
    public static final String TYPE_ID = "io.mbscope.tracecompass.perfdata";

    public PerfDataTrace() {
        super(TraceMagic.PERF_DATA);
    }
}
