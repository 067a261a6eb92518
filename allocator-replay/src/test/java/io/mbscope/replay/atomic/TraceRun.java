package io.mbscope.replay.atomic;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import java.nio.file.Path;

/** Runs the analyzer over a capture folder's trace.dat. */
final class TraceRun {
    private TraceRun() {
    }

    static AtomicAnalyzer run(String folder, Policy policy) throws Exception {
        Path dir = Samples.folder(folder);
        try (TraceReader r = Traces.open(dir.resolve("trace.dat"))) {
            AtomicContext ctx = AtomicContext.fromFolder(dir, policy, r.info().kernelRelease());
            AtomicAnalyzer a = new AtomicAnalyzer(ctx);
            TraceEvent e;
            while ((e = r.next()) != null) {
                a.accept(e);
            }
            a.finish();
            return a;
        }
    }
}
