package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.perf.PerfDataReader;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;

/** perf.data in file mode (random access, feature sections) and pipe mode (a stream of records); strict, then lenient. */
class PerfFuzzTest {
    private static final Path FILE = Inputs.scratch("perf.data");

    @FuzzTest(maxDuration = "10m")
    void file(byte[] data) {
        Path p = Inputs.write(FILE, data);
        Inputs.drainBoth(o -> PerfDataReader.open(p, "perf.data", o));
    }

    @FuzzTest(maxDuration = "10m")
    void pipe(byte[] data) {
        Inputs.drainBoth(o -> PerfDataReader.openPipe(new ByteArrayInputStream(data), "perf.pipe", o));
    }
}
