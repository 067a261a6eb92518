package io.mbscope.tracecompass.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Start state of corpus captures (expected values read off their dumpe2fs-before.txt). */
class CaptureStartTest {
    static final Path ROOT = Path.of(System.getProperty("mbscope.root", "../.."));

    @Test
    void fourK() {
        CaptureStart g = CaptureStart.forCapture(ROOT.resolve("sample-traces/7.3.4-4k/trace.dat"));
        assertThat(g.blockSize()).isEqualTo(4096);
        assertThat(g.clusterRatio()).isEqualTo(1);
        // "28629 free blocks" (group 0), "28639 free blocks" (group 1); "Free blocks: 57268"
        assertThat(g.initialFree()).containsExactly(28629, 28639);
    }

    @Test
    void bigalloc64k() {
        CaptureStart g = CaptureStart.forCapture(ROOT.resolve("sample-traces/7.3.4-bigalloc64k/trace.dat"));
        assertThat(g.clusterRatio()).isEqualTo(16);   // "Cluster size: 65536", "Block size: 4096"
        assertThat(g.initialFree()[0]).isEqualTo(3818); // "3818 free clusters" of group 0
    }

    @Test
    void noCaptureFolder() {
        assertThat(CaptureStart.forCapture(Path.of("/nonexistent/x.dat"))).isSameAs(CaptureStart.UNKNOWN);
    }
}
