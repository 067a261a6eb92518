package io.mbscope.tracecompass.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Start state from the corpus' dumpe2fs files (values read off the files by eye). */
class FsGeometryTest {
    static final Path ROOT = Path.of(System.getProperty("mbscope.root", "../.."));

    @Test
    void fourK() {
        FsGeometry g = FsGeometry.forCapture(ROOT.resolve("sample-traces/7.3.4-4k/trace.dat"));
        assertThat(g.blockSize()).isEqualTo(4096);
        assertThat(g.clusterRatio()).isEqualTo(1);
        // "28629 free blocks" (group 0), "28639 free blocks" (group 1) in dumpe2fs-before.txt
        assertThat(g.initialFree()).containsExactly(28629, 28639);
        assertThat(g.initialFree()[0] + g.initialFree()[1]).isEqualTo(57268); // "Free blocks: 57268"
    }

    @Test
    void bigalloc64k() {
        FsGeometry g = FsGeometry.forCapture(ROOT.resolve("sample-traces/7.3.4-bigalloc64k/trace.dat"));
        assertThat(g.clusterRatio()).isEqualTo(16);
        assertThat(g.initialFree()[0]).isEqualTo(3818); // "3818 free clusters" of group 0
    }

    @Test
    void noCaptureFolder() {
        assertThat(FsGeometry.forCapture(Path.of("/nonexistent/x.dat"))).isSameAs(FsGeometry.UNKNOWN);
    }
}
