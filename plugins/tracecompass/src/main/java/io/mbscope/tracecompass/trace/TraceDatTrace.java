package io.mbscope.tracecompass.trace;

/** trace-cmd's trace.dat (file versions 6 and 7, any compression the parsers read). */
public class TraceDatTrace extends MbTrace {
    public static final String TYPE_ID = "io.mbscope.tracecompass.tracedat";

    @Override
    protected TraceMagic magic() {
        return TraceMagic.TRACE_DAT;
    }

    @Override
    protected String expected() {
        return "a trace-cmd trace.dat (magic \\x17\\x08\\x44tracing)";
    }
}
