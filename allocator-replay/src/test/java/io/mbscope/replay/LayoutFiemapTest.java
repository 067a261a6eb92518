package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The replay's final logical→physical layout (from ext4_ext_map_blocks_exit, ext4_remove_blocks,
 * ext4_free_inode) against the FIEMAP taken after the run (fiemap.csv): block by block, for every
 * file whose whole life is in the trace and whose extents were not shifted by collapse/insert range.
 */
class LayoutFiemapTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "7.3.4-4k, 1.00", "7.3.4-bigalloc64k, 1.00", "6.18.44-4k, 1.00", "6.18.44-1k, 1.00",
        "6.18.44-bigalloc16k, 1.00", "6.18.44-bigalloc64k, 1.00", "6.12.117-4k, 1.00",
        "6.12.117-bigalloc16k, 1.00", "6.12.117-bigalloc64k, 1.00",
        "6.18.44-2k, 1.00", "6.18.44-bigalloc32k, 1.00", "6.18.44-4k-noflex, 1.00", "6.18.44-4k-stripe, 1.00",
        "6.18.44-4k-tunables, 1.00", "6.18.44-4k-1g, 1.00", "6.18.44-4k-3g, 1.00", "6.18.44-4k-nooptscan, 1.00",
        "6.18.44-1k-256m, 1.00", "6.18.44-1k-256m-nooptscan, 1.00", "6.18.44-1k-optscan, 1.00",
        "6.18.44-1k-s2, 1.00", "6.18.44-1k-s2-optscan, 1.00", "6.1.192-4k, 1.00", "6.1.192-1k, 1.00",
        "6.1.192-bigalloc16k, 1.00",
    })
    void finalLayoutMatchesFiemap(String folder, double floor) throws Exception {
        Corpus c = Corpus.load(folder);
        ReplayEngine e = c.engine(ReplayOptions.defaults().withKeepVerdicts(false));
        ReplayResult r = c.replay(e, true);
        Map<Long, List<long[]>> fiemap = c.fiemap();
        long total = 0;
        long matched = 0;
        int files = 0;
        for (Map.Entry<Long, List<long[]>> f : fiemap.entrySet()) {
            long ino = f.getKey();
            if (e.untrackedLayout().contains(ino)) {
                continue;
            }
            NavigableMap<Long, long[]> lay = r.layout().get(ino);
            files++;
            for (long[] x : f.getValue()) {
                for (long b = 0; b < x[2]; b++) {
                    total++;
                    long lblk = x[0] + b;
                    if (lay == null) {
                        continue;
                    }
                    Map.Entry<Long, long[]> m = lay.floorEntry(lblk);
                    if (m != null && lblk < m.getKey() + m.getValue()[1]
                            && m.getValue()[0] + (lblk - m.getKey()) == x[1] + b) {
                        matched++;
                    }
                }
            }
        }
        double rate = total == 0 ? 1 : matched / (double) total;
        System.out.printf("%-22s layout: %d files, %d/%d blocks as in fiemap (%.2f%%), %d untracked%n", folder, files,
                matched, total, 100 * rate, e.untrackedLayout().size());
        assertThat(files).isGreaterThan(10);
        assertThat(rate).isGreaterThanOrEqualTo(floor);
    }
}
