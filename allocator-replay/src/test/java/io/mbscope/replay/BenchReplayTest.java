package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import io.mbscope.replay.fs.Tunables;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The 1,028,206-event bench capture (6.18.44, 1.5 GiB fs, 12 groups, a different workload from the
 * corpus): a layout and workload the model was never looked at against. Streams the trace (no
 * verdicts kept) and reports accuracy and speed. Runs only where /work/shared/bench exists.
 */
class BenchReplayTest {

    static final Path DIR = Path.of("/work/shared/bench/bench-1m");

    static boolean present() {
        return Files.isRegularFile(DIR.resolve("trace.dat")) && Files.isRegularFile(DIR.resolve("image-before.img.zst"));
    }

    @Test
    @EnabledIf("present")
    void replayBench() throws Exception {
        FsState fs = FsStateLoader.fromImage(DIR.resolve("image-before.img.zst"));
        String release = "6.18.44-fc-v657";
        Tunables t = Tunables.fromMeta(DIR.resolve("meta.txt"), release, fs.geometry());
        // fsync/sync of the workload's log: journal commits (t_end, column 10)
        List<Long> syncs = new ArrayList<>();
        try (InputStream in = new ZstdInputStream(Files.newInputStream(DIR.resolve("syscalls.csv.zst")));
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = br.readLine();
            while ((line = br.readLine()) != null) {
                String[] f = line.split(",", -1);
                if (f.length >= 11 && (f[2].equals("fsync") || f[2].equals("sync")) && f[7].equals("0")) {
                    syncs.add(Long.parseLong(f[10]));
                }
            }
        }
        syncs.sort(null);
        for (boolean hints : new boolean[] {true, false}) {
            ReplayEngine e = Replays.engine(fs, t, release, 0, 2, ReplayOptions.defaults().withKeepVerdicts(false));
            if (Boolean.getBoolean("replay.verbose")) {
                java.util.Map<DivergenceClass, Integer> shown = new java.util.EnumMap<>(DivergenceClass.class);
                e.addListener(new ReplayListener() {
                    @Override
                    public void onAllocation(AllocationVerdict v) {
                        if (!v.exact() && shown.merge(v.divergences().get(0).cause(), 1, Integer::sum) <= 6) {
                            System.out.println("  " + v.request() + "\n    " + v.divergences());
                        }
                    }
                });
            }
            int si = 0;
            long n = 0;
            long t0 = System.nanoTime();
            try (TraceReader r = Traces.open(DIR.resolve("trace.dat"))) {
                TraceEvent ev;
                while ((ev = r.next()) != null) {
                    while (hints && si < syncs.size() && syncs.get(si) <= ev.timestampNs()) {
                        e.commitPoint(syncs.get(si++));
                    }
                    e.accept(ev);
                    n++;
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            ReplayResult res = e.finish();
            System.out.printf("bench-1m %s: %d events, %d allocations, %d exact (%.2f%%), unexplained %d, %s; "
                    + "replay %.0f req/s (model+engine only), %.1f s wall incl. trace.dat decoding%n",
                    hints ? "with sync hints" : "trace only", n, res.allocations(), res.exact(), 100 * res.exactRate(),
                    res.unexplained(), res.byClass(), res.requestsPerSecond(), wall);
            assertThat(n).isGreaterThanOrEqualTo(1_028_206L);
            assertThat(res.allocations()).isGreaterThan(50_000);
            assertThat(res.exactRate()).isGreaterThan(0.5);
        }
    }
}
