package io.mbscope.tracecompass.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.tracecompass.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The extent count of every file at the end of the capture equals FIEMAP's, on bigalloc too, where
 * most blocks are mapped inside clusters an earlier write allocated (ext4_ext_map_blocks finds them
 * through get_implied_cluster_alloc without calling mballoc): those extents come from the
 * mapping events, not the allocator's.
 */
class ExtentsVsFiemapTest {

    /**
     * The captures with a trace.dat and a fiemap.csv: by default every bigalloc one (held-out ones
     * included) and one per other block size; all of them (20 when written, 0 mismatches) with
     * -Dmbscope.extents.all=true, to keep the default run short.
     */
    static Stream<String> captures() throws IOException {
        boolean all = Boolean.getBoolean("mbscope.extents.all");
        try (Stream<Path> dirs = Files.list(Corpus.ROOT.resolve("sample-traces"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("trace.dat"))
                    && Files.isRegularFile(d.resolve("fiemap.csv"))).map(d -> d.getFileName().toString())
                    .filter(n -> all || n.contains("bigalloc") || n.endsWith("-1k") || n.endsWith("-2k")
                            || n.equals("7.3.4-4k"))
                    .sorted().toList();
            assertThat(names).as("the corpus' bigalloc captures").contains("6.12.117-bigalloc16k", "6.12.117-bigalloc64k",
                    "6.18.44-bigalloc16k", "6.18.44-bigalloc64k", "7.3.4-bigalloc64k");
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
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
