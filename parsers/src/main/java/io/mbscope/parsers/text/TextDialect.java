package io.mbscope.parsers.text;

import io.mbscope.parsers.TraceFormat;

/** The three text layouts the reader understands. */
enum TextDialect {
    TRACE_CMD(TraceFormat.TEXT_TRACE_CMD_REPORT),
    FTRACE(TraceFormat.TEXT_FTRACE),
    PERF_SCRIPT(TraceFormat.TEXT_PERF_SCRIPT);

    final TraceFormat format;

    TextDialect(TraceFormat format) {
        this.format = format;
    }
}
