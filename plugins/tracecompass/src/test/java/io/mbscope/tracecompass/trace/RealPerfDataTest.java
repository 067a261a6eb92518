package io.mbscope.tracecompass.trace;

import io.mbscope.tracecompass.Corpus;
import io.mbscope.tracecompass.Corpus.ReportLine;
import java.nio.file.Path;
import java.util.List;

/** {@link RealTraceTest} on the capture's perf.data, against perf script. */
class RealPerfDataTest extends RealTraceTest {
    @Override
    MbTrace newTrace() {
        return new PerfDataTrace();
    }

    @Override
    Path file(Path tmp) throws Exception {
        return Corpus.unzstd(FOLDER.resolve("perf.data.zst"), tmp);
    }

    @Override
    List<ReportLine> printed() throws Exception {
        return Corpus.perfScript(FOLDER);
    }

    /** perf script truncates to the microsecond. */
    @Override
    long micros(long ns) {
        return ns / 1000;
    }
}
