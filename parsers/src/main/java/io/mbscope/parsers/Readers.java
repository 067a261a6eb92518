package io.mbscope.parsers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The one place that maps a detected format to its reader package. */
final class Readers {
    private Readers() {
    }

    static TraceReader traceDat(Path file, String name, ReadOptions options) throws IOException {
        return io.mbscope.parsers.tracedat.TraceDatReader.open(file, name, options);
    }

    static TraceReader perfFile(Path file, String name, ReadOptions options) throws IOException {
        return io.mbscope.parsers.perf.PerfDataReader.open(file, name, options);
    }

    static TraceReader perfPipe(InputStream in, String name, ReadOptions options) throws IOException {
        return io.mbscope.parsers.perf.PerfDataReader.openPipe(in, name, options);
    }

    static TraceReader text(InputStream in, String name, Path formatsDir, ReadOptions options) throws IOException {
        return io.mbscope.parsers.text.TextTraceReader.open(in, name, formatsDir, options);
    }
}
