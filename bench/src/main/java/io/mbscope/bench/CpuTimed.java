package io.mbscope.bench;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.ReplayResult;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes timed by the thread's CPU time, not wall time: on a shared machine (2 cores, other builds
 * running) wall-clock JMH scores move with the load, CPU time much less. Not a JMH replacement;
 * used for before/after numbers of one change.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.mbscope.bench.CpuTimed decode tracedat-v7 8
 * java -cp bench/target/benchmarks.jar io.mbscope.bench.CpuTimed replay - 5</pre>
 */
public final class CpuTimed {
    private CpuTimed() {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        String input = args.length > 1 ? args[1] : "tracedat-v7";
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (what.equals("decode")) {
            Path f = Inputs.trace(input);
            for (int p = 1; p <= passes; p++) {
                long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime(), n = 0, h = 0;
                long pc0 = processCpuNs();
                try (TraceReader r = Traces.open(f)) {
                    TraceEvent e;
                    while ((e = r.next()) != null) {
                        n++;
                        h += e.timestampNs();
                    }
                }
                report("decode " + input, p, n, mx.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0, h);
                // Background decompression (v7 chunks) runs on other threads: the process CPU time
                // (which also holds JIT and GC) shows what the whole decode cost.
                System.out.printf("  process cpu %.3f s: %.2f M/s%n", (processCpuNs() - pc0) / 1e9,
                        n / ((processCpuNs() - pc0) / 1e3));
            }
        } else {
            CaptureFolder folder = CaptureFolder.open(Inputs.benchDir());
            List<TraceEvent> list = new ArrayList<>(1 << 20);
            try (TraceReader r = Traces.open(folder.trace().orElseThrow())) {
                TraceEvent e;
                while ((e = r.next()) != null) {
                    list.add(e);
                }
            }
            for (int p = 1; p <= passes; p++) {
                ReplayEngine engine = Replays.engine(folder, ReplayOptions.defaults()
                        .withCommitDelayNs(5_000_000_000L));
                SyscallHints hints = folder.syscalls().isPresent() ? SyscallHints.load(folder.syscalls().get())
                        : SyscallHints.none();
                long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                for (TraceEvent e : list) {
                    hints.applyUpTo(e.timestampNs(), engine);
                    engine.accept(e);
                }
                ReplayResult res = engine.finish();
                report("replay requests", p, res.allocations(), mx.getCurrentThreadCpuTime() - c0,
                        System.nanoTime() - w0, res.exact());
            }
        }
    }

    private static long processCpuNs() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static void report(String what, int pass, long n, long cpuNs, long wallNs, long check) {
        System.out.printf("%s pass %d: %d in %.3f s cpu (%.3f s wall): %.2f M/s cpu [check %d]%n", what, pass, n,
                cpuNs / 1e9, wallNs / 1e9, n / (cpuNs / 1e3), check);
    }
}
