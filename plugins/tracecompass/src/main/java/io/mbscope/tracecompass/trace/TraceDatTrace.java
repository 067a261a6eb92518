package io.mbscope.tracecompass.trace;

/** trace-cmd's trace.dat (file versions 6 and 7, any compression the parsers read). */
public class TraceDatTrace extends MbTrace {
    public static final String TYPE_ID = "io.mbscope.tracecompass.tracedat";

    public TraceDatTrace() {
        super(TraceMagic.TRACE_DAT);
    }
}
