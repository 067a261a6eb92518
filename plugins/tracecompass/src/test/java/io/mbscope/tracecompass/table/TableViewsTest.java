package io.mbscope.tracecompass.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.Divergence;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayListener;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.tracecompass.Corpus;
import io.mbscope.tracecompass.Tc;
import io.mbscope.tracecompass.trace.MbAspects;
import io.mbscope.tracecompass.trace.MbEvent;
import io.mbscope.tracecompass.trace.MbTrace;
import io.mbscope.tracecompass.trace.TraceDatTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.tracecompass.segmentstore.core.ISegment;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.timestamp.TmfTimestamp;
import org.eclipse.tracecompass.tmf.core.trace.ITmfContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two table views' analyses on real captures, headless: the divergence rows against the
 * replay engine run as {@code mbscope replay} runs it, the atomic rows against the workload's
 * syscalls.csv and atomic-analysis.txt.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class TableViewsTest {

    static MbTrace open(Path file) throws Exception {
        MbTrace t = new TraceDatTrace();
        t.initTrace(null, file.toString(), MbEvent.class);
        t.indexTrace(true);
        return t;
    }

    static List<TableRow> rows(Iterable<ISegment> store) {
        List<TableRow> out = new ArrayList<>();
        store.forEach(s -> out.add((TableRow) s));
        return out;
    }

    @Test
    void divergenceRowsAreTheReplaysDivergencesAndSelectTheRequest() throws Exception {
        Path folder = Corpus.folder("7.3.4-bigalloc64k");
        // the replay as the CLI runs it, straight from the parsers
        List<AllocationVerdict> verdicts = new ArrayList<>();
        ReplayEngine engine = Replays.engine(CaptureFolder.open(folder), ReplayOptions.defaults().withKeepVerdicts(false));
        engine.addListener(new ReplayListener() {
            @Override
            public void onAllocation(AllocationVerdict v) {
                verdicts.add(v);
            }
        });
        SyscallHints hints = SyscallHints.load(folder.resolve("syscalls.csv"));
        try (TraceReader r = Traces.open(folder.resolve("trace.dat"))) {
            for (TraceEvent e; (e = r.next()) != null;) {
                hints.applyUpTo(e.timestampNs(), engine);
                engine.accept(e);
            }
        }
        List<Divergence> divergences = verdicts.stream().flatMap(v -> v.divergences().stream()).toList();

        MbTrace trace = open(folder.resolve("trace.dat"));
        try {
            // the view's default provider: the table viewer registers a listener on it before the
            // analysis runs and takes the rows it is handed on completion
            DivergenceAnalysisModule m = new DivergenceAnalysisModule();
            DivergencesOnly view = new DivergencesOnly(m);
            List<Object> handed = new ArrayList<>();
            view.addListener((provider, store) -> {
                handed.add(provider);
                handed.add(rows(store));
            });
            Tc.run(m, DivergenceAnalysisModule.ID, trace);
            assertThat(m.problem()).isEmpty();
            List<TableRow> all = rows(m.getSegmentStore());
            List<TableRow> div = rows(view.getSegmentStore());
            assertThat(handed).containsExactly(view, div);

            // one verdict per ext4_mb_new_blocks: as many as trace-cmd printed ext4_request_blocks (618)
            long requests = Corpus.countByEvent(Corpus.report(folder)).get("ext4_request_blocks");
            assertThat(verdicts).hasSize((int) requests);
            long exactRows = all.stream().filter(r -> DivergenceAnalysisModule.VERDICT.resolve(r).equals("exact")).count();
            long divergentVerdicts = verdicts.stream().filter(v -> !v.exact()).count();
            assertThat(exactRows + divergentVerdicts).isEqualTo(requests);
            assertThat(all).hasSize((int) (exactRows + divergences.size()));

            // the divergence table: the engine's divergences, in order, value for value
            assertThat(div).hasSize(divergences.size()).isNotEmpty();
            for (int i = 0; i < div.size(); i++) {
                Divergence d = divergences.get(i);
                TableRow r = div.get(i);
                assertThat(r.getEnd()).isEqualTo(d.timestampNs());
                assertThat(r.cells()).containsExactly(d.ino(), d.cause().name(), d.field().name(), d.kernel(),
                        d.model(), d.rule());
            }
            // first row as trace-cmd printed it: "76.135051: ext4_allocate_blocks: dev 8,0 ino 24 ... len 1
            // block 5184"; the kernel's value of the BLOCK row is that block
            TableRow first = div.get(0);
            assertThat((first.getEnd() + 500) / 1000).isEqualTo(76_135_051L);
            assertThat(DivergenceAnalysisModule.INODE.resolve(first)).isEqualTo(24L);
            assertThat(div.stream().filter(r -> DivergenceAnalysisModule.FIELD.resolve(r).equals("BLOCK"))
                    .map(r -> DivergenceAnalysisModule.KERNEL.resolve(r)).toList()).containsExactly("5184");

            // selecting a row selects [start, end]: the events table goes to the first event at
            // start, the request of that inode, and the selection ends on its ext4_allocate_blocks
            for (TableRow r : div) {
                ITmfEvent atStart = firstAt(trace, r.getStart(), "ext4_request_blocks", (Long) r.cell(0));
                assertThat(atStart.getTimestamp().toNanos()).isEqualTo(r.getStart());
                ITmfEvent atEnd = firstAt(trace, r.getEnd(), "ext4_allocate_blocks", (Long) r.cell(0));
                assertThat(atEnd.getTimestamp().toNanos()).isEqualTo(r.getEnd());
            }
            m.dispose();
        } finally {
            trace.dispose();
        }
    }

    /** The event the events table selects for a time: the first at it, of that name and inode. */
    private static ITmfEvent firstAt(MbTrace trace, long ns, String name, long ino) {
        ITmfContext ctx = trace.seekEvent(TmfTimestamp.fromNanos(ns));
        try {
            for (ITmfEvent e; (e = trace.getNext(ctx)) != null && e.getTimestamp().toNanos() == ns;) {
                if (e.getName().equals(name) && Long.valueOf(ino).equals(MbAspects.INODE.resolve(e))) {
                    return e;
                }
            }
        } finally {
            ctx.dispose();
        }
        throw new AssertionError("no " + name + " of inode " + ino + " at " + ns);
    }

    @Test
    void withoutCaptureFolderTheTablesAreEmptyAndSayWhy(@TempDir Path tmp) throws Exception {
        Path alone = Files.copy(Corpus.folder("7.3.4-bigalloc64k").resolve("trace.dat"), tmp.resolve("trace.dat"));
        MbTrace trace = open(alone);
        try {
            DivergenceAnalysisModule d = Tc.run(new DivergenceAnalysisModule(), DivergenceAnalysisModule.ID, trace);
            assertThat(rows(d.getSegmentStore())).isEmpty();
            assertThat(d.problem()).startsWith("no replay: ");
            assertThat(d.getProperties()).containsKey("Problem");
            AtomicVerdictsAnalysisModule a = Tc.run(new AtomicVerdictsAnalysisModule(), AtomicVerdictsAnalysisModule.ID,
                    trace);
            assertThat(rows(a.getSegmentStore())).isEmpty();
            assertThat(a.problem()).contains("no atomic-write context");
            d.dispose();
            a.dispose();
        } finally {
            trace.dispose();
        }
    }

    @Test
    void atomicRowsAreTheWorkloadsWritesWithTheirVerdicts() throws Exception {
        Path folder = Corpus.folder("7.3.4-4k");
        MbTrace trace = open(folder.resolve("trace.dat"));
        try {
            AtomicVerdictsAnalysisModule m = Tc.run(new AtomicVerdictsAnalysisModule(), AtomicVerdictsAnalysisModule.ID,
                    trace);
            assertThat(m.problem()).isEmpty();
            List<TableRow> rows = rows(m.getSegmentStore());
            // syscalls.csv: every RWF_ATOMIC write, in order: file, offset, length, result
            List<String> expected = new ArrayList<>();
            List<String> lines = Files.readAllLines(folder.resolve("syscalls.csv"));
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",", -1);
                if (f[7].contains("RWF_ATOMIC")) {
                    expected.add(f[3] + " " + f[5] + " " + f[6] + " " + (f[10].isEmpty() ? "OK" : f[10]));
                }
            }
            assertThat(expected).hasSize(131);
            assertThat(rows.stream().map(r -> AtomicVerdictsAnalysisModule.FILE.resolve(r) + " "
                    + AtomicVerdictsAnalysisModule.OFFSET.resolve(r) + " " + AtomicVerdictsAnalysisModule.LENGTH.resolve(r)
                    + " " + AtomicVerdictsAnalysisModule.RESULT.resolve(r)).toList()).isEqualTo(expected);
            // the mainline rule predicts every result of this 7.3.4 run
            assertThat(rows).allSatisfy(r -> {
                assertThat(AtomicVerdictsAnalysisModule.MAINLINE.resolve(r)).isEqualTo(AtomicVerdictsAnalysisModule.RESULT.resolve(r));
                assertThat(AtomicVerdictsAnalysisModule.MATCH.resolve(r)).isEqualTo(true);
            });
            // atomic-analysis.txt: "successful atomic writes: 32; final mapping contiguous: 32;
            // physically aligned to write size: 32"
            List<TableRow> ok = rows.stream().filter(r -> AtomicVerdictsAnalysisModule.RESULT.resolve(r).equals("OK")).toList();
            assertThat(ok).hasSize(32).allSatisfy(r -> {
                assertThat(AtomicVerdictsAnalysisModule.CONTIGUOUS.resolve(r)).isEqualTo(true);
                assertThat(AtomicVerdictsAnalysisModule.ALIGNED.resolve(r)).isEqualTo(true);
            });
            // the what-if ran (an initial state is in the folder) and has a verdict for every write
            assertThat(rows).allSatisfy(r -> assertThat((String) AtomicVerdictsAnalysisModule.RFC.resolve(r)).isNotEmpty());
            // first write: syscalls.csv seq 64 at/a4k, 4096 B at 0, at its sys_enter_pwritev2
            TableRow first = rows.get(0);
            assertThat(first.getStart()).isEqualTo(first.getEnd());
            m.dispose();
        } finally {
            trace.dispose();
        }
    }
}
