package io.mbscope.tracecompass.trace;

import io.mbscope.tracecompass.Corpus;
import io.mbscope.tracecompass.Corpus.ReportLine;
import java.nio.file.Path;
import java.util.List;

/** {@link RealTraceTest} on the capture's trace.dat (v7), against trace-cmd report. */
class RealTraceDatTest extends RealTraceTest {
    @Override
    MbTrace newTrace() {
        return new TraceDatTrace();
    }

    @Override
    Path file(Path tmp) {
        return FOLDER.resolve("trace.dat");
    }

    @Override
    List<ReportLine> printed() throws Exception {
        return Corpus.report(FOLDER);
    }

    /** trace-cmd rounds to the microsecond. */
    @Override
    long micros(long ns) {
        return (ns + 500) / 1000;
    }
}
