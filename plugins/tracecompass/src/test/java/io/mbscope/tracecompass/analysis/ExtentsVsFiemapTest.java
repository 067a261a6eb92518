package io.mbscope.tracecompass.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.tracecompass.Corpus;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extent count of every file at the end of the capture equals FIEMAP's, on bigalloc too, where
 * most blocks are mapped inside clusters an earlier write allocated (ext4_ext_map_blocks finds them
 * through get_implied_cluster_alloc without calling mballoc): those extents come from the
 * mapping events, not the allocator's.
 */
class ExtentsVsFiemapTest {

    @ParameterizedTest
    @ValueSource(strings = {"6.12.117-bigalloc16k", "6.12.117-bigalloc64k", "7.3.4-bigalloc64k", "6.18.44-bigalloc16k",
            "6.18.44-bigalloc64k", "7.3.4-4k", "6.18.44-1k", "6.12.117-4k", "6.18.44-4k"})
    void extentCountsEqualFiemap(String name) throws Exception {
        Path folder = Corpus.folder(name);
        AllocationTracker a = new AllocationTracker(CaptureStart.forCapture(folder.resolve("trace.dat")));
        try (TraceReader r = Traces.open(folder.resolve("trace.dat"))) {
            for (TraceEvent e; (e = r.next()) != null;) {
                a.apply(e);
            }
        }
        Map<Long, Integer> fiemap = Corpus.fiemapExtents(folder);
        Map<Long, Integer> ours = new TreeMap<>();
        for (long ino : fiemap.keySet()) {
            AllocationTracker.Inode in = a.inode(Long.valueOf(ino));
            ours.put(ino, in == null ? 0 : in.extents());
        }
        assertThat(ours).isEqualTo(fiemap);
    }
}
