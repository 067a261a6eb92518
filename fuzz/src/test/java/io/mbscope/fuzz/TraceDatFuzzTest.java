package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.tracedat.TraceDatReader;
import java.nio.file.Path;

/** trace-cmd trace.dat, version 6 (flat sections) and 7 (option chain, compressed sections); strict, then lenient. */
class TraceDatFuzzTest {
    private static final Path V6 = Inputs.scratch("v6.dat");
    private static final Path V7 = Inputs.scratch("v7.dat");

    @FuzzTest(maxDuration = "10m")
    void v6(byte[] data) {
        Path p = Inputs.write(V6, data);
        Inputs.drainBoth(o -> TraceDatReader.open(p, "v6.dat", o));
    }

    @FuzzTest(maxDuration = "10m")
    void v7(byte[] data) {
        Path p = Inputs.write(V7, data);
        Inputs.drainBoth(o -> TraceDatReader.open(p, "v7.dat", o));
    }
}
