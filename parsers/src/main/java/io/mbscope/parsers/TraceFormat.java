package io.mbscope.parsers;

/** The container formats mbscope reads; detected from the first bytes of the input. */
public enum TraceFormat {
    TRACE_DAT_V6("trace.dat v6"),
    TRACE_DAT_V7("trace.dat v7"),
    PERF_DATA("perf.data"),
    PERF_DATA_PIPE("perf.data (pipe mode)"),
    TEXT_TRACE_CMD_REPORT("trace-cmd report text"),
    TEXT_FTRACE("ftrace trace text"),
    TEXT_PERF_SCRIPT("perf script text");

    private final String label;

    TraceFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isText() {
        return this == TEXT_TRACE_CMD_REPORT || this == TEXT_FTRACE || this == TEXT_PERF_SCRIPT;
    }
}
