package io.mbscope.tracecompass.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.tracecompass.Corpus;
import io.mbscope.tracecompass.Corpus.ReportLine;
import io.mbscope.tracecompass.Tc;
import io.mbscope.tracecompass.analysis.AllocationStateProvider;
import io.mbscope.tracecompass.analysis.FreeSpaceStateProvider;
import io.mbscope.tracecompass.dataprovider.AllocationTimelineDataProvider;
import io.mbscope.tracecompass.dataprovider.AtomicWritesDataProvider;
import io.mbscope.tracecompass.dataprovider.ReplayVerdictsDataProvider;
import io.mbscope.tracecompass.dataprovider.FreeSpaceDataProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphEntryModel;
import org.eclipse.tracecompass.tmf.core.model.tree.TmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.xy.ISeriesModel;
import org.eclipse.tracecompass.tmf.core.request.ITmfEventRequest;
import org.eclipse.tracecompass.tmf.core.request.TmfEventRequest;
import org.eclipse.tracecompass.tmf.core.timestamp.TmfTimeRange;
import org.eclipse.tracecompass.tmf.core.trace.ITmfContext;
import org.eclipse.tracecompass.tmf.core.trace.TraceValidationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both trace types on the real 7.3.4-4k capture (trace-cmd and perf recorded the same run), driven
 * the way Trace Compass drives them (validate, initTrace, index, event requests, analyses, data
 * providers), checked against trace-cmd's own report, FIEMAP and dumpe2fs of that run. The two
 * concrete classes are top-level ({@link RealTraceDatTest}, {@link RealPerfDataTest}): Surefire
 * leaves nested classes out, so as nested classes they never ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class RealTraceTest {
    static final Path FOLDER = Corpus.folder("7.3.4-4k");

    MbTrace trace;
    /** What the tracer's own text tool printed for this file, in order. */
    List<ReportLine> report;

    abstract MbTrace newTrace();

    abstract List<ReportLine> printed() throws Exception;

    /** The printed timestamp of an event, in µs. */
    abstract long micros(long ns);

    abstract Path file(Path tmp) throws Exception;

    @BeforeAll
    void open(@TempDir Path tmp) throws Exception {
        report = printed();
        Path f = file(tmp);
        trace = newTrace();
        assertThat(trace.validate(null, f.toString())).isInstanceOf(TraceValidationStatus.class);
        trace.initTrace(null, f.toString(), MbEvent.class);
        trace.indexTrace(true);
    }

    @AfterAll
    void close() {
        trace.dispose();
    }

    @Test
    void eventCountsPerTypeEqualTraceCmdReport() throws Exception {
        Map<String, Long> seen = new TreeMap<>();
        TmfEventRequest r = new TmfEventRequest(ITmfEvent.class, TmfTimeRange.ETERNITY, 0,
                ITmfEventRequest.ALL_DATA, ITmfEventRequest.ExecutionType.FOREGROUND) {
            @Override
            public void handleData(ITmfEvent event) {
                super.handleData(event);
                seen.merge(event.getName(), 1L, Long::sum);
            }
        };
        trace.sendRequest(r);
        r.waitForCompletion();
        assertThat(r.isFailed()).isFalse();
        // the same run traced by trace-cmd: the same events of every type (perf cannot record
        // ftrace markers, the 11 "print" lines of the workload's phases)
        Map<String, Long> expected = new TreeMap<>(Corpus.countByEvent(Corpus.report(FOLDER)));
        if (this instanceof RealPerfDataTest) {
            assertThat(expected.remove("print")).isEqualTo(11L);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(seen).isEqualTo(Corpus.countByEvent(report));
        assertThat(trace.getNbEvents()).isEqualTo(report.size());
    }

    @Test
    void firstAndLastTimestampsAreTheFilesClock() {
        // the text tools print µs; every event, in order, must print as the tool's line
        assertThat(micros(trace.getStartTime().toNanos())).isEqualTo(report.get(0).micros());
        assertThat(micros(trace.getEndTime().toNanos())).isEqualTo(report.get(report.size() - 1).micros());
        // the window TC opens on is the whole run
        assertThat(trace.getInitialRangeOffset().toNanos())
                .isEqualTo(trace.getEndTime().toNanos() - trace.getStartTime().toNanos() + 1);
        ITmfContext ctx = trace.seekEvent(0L);
        int mismatches = 0;
        String firstMismatch = null;
        for (int i = 0; i < report.size(); i++) {
            ITmfEvent e = trace.getNext(ctx);
            if (micros(e.getTimestamp().toNanos()) != report.get(i).micros() || !e.getName().equals(report.get(i).event())) {
                mismatches++;
                firstMismatch = firstMismatch != null ? firstMismatch : i + ": " + e + " vs " + report.get(i);
            }
        }
        assertThat(trace.getNext(ctx)).isNull();
        ctx.dispose();
        assertThat(mismatches).as(firstMismatch).isZero();
        // a seek into the middle gives the report's event of that rank
        ITmfContext mid = trace.seekEvent(7000L);
        ITmfEvent e = trace.getNext(mid);
        assertThat(e.getName()).isEqualTo(report.get(7000).event());
        assertThat(micros(e.getTimestamp().toNanos())).isEqualTo(report.get(7000).micros());
        mid.dispose();
    }

    @Test
    void contentAndCpuColumns() {
        ITmfContext ctx = trace.seekEvent(0L);
        ITmfEvent first = trace.getNext(ctx);
        ctx.dispose();
        // report line 1: "[001] 15.001552: ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 0 len 1 flags"
        assertThat(MbAspects.CPU.resolve(first)).isEqualTo(1);
        assertThat(MbAspects.DEVICE.resolve(first)).isEqualTo("8,0");
        assertThat(MbAspects.INODE.resolve(first)).isEqualTo(2L);
        assertThat(first.getContent().getField("lblk").getValue()).isEqualTo(0L);
        assertThat(first.getContent().getField("len").getValue()).isEqualTo(1L);
    }

    @Test
    void extentsPerInodeMatchFiemapAndFreeSpaceMatchesDumpe2fs() throws Exception {
        Tc.InMemAllocation alloc = Tc.allocation(trace);
        ITmfStateSystem ss = alloc.getStateSystem();
        long end = ss.getCurrentEndTime();
        Map<Long, Integer> fiemap = Corpus.fiemapExtents(FOLDER);
        Map<Long, Integer> ours = new TreeMap<>();
        for (long ino : fiemap.keySet()) {
            int q = ss.optQuarkAbsolute(AllocationStateProvider.INODES, Long.toString(ino), AllocationStateProvider.EXTENTS);
            Object v = q < 0 ? null : ss.querySingleState(end, q).getValue();
            ours.put(ino, v instanceof Integer i ? i : 0);
        }
        assertThat(ours).isEqualTo(fiemap);

        Tc.InMemFreeSpace free = Tc.freeSpace(trace);
        ITmfStateSystem fss = free.getStateSystem();
        long[] after = Corpus.dumpe2fsFree(FOLDER.resolve("dumpe2fs-after.txt"));
        long total = 0;
        for (int g = 0; g < after.length; g++) {
            int q = fss.getQuarkAbsolute(FreeSpaceStateProvider.GROUPS, Integer.toString(g));
            assertThat(fss.querySingleState(fss.getCurrentEndTime(), q).getValue()).as("group %d", g)
                    .isEqualTo(after[g]);
            total += after[g];
        }

        // the data providers serve the same numbers to the views
        FreeSpaceDataProvider xy = new FreeSpaceDataProvider(trace, free);
        List<Long> ids = new ArrayList<>();
        for (TmfTreeDataModel m : xy.fetchTree(Tc.params(List.of(0L, end), null), null).getModel().getEntries()) {
            ids.add(m.getId());
        }
        long start = fss.getStartTime();
        long[] before = Corpus.dumpe2fsFree(FOLDER.resolve("dumpe2fs-before.txt"));
        for (ISeriesModel s : xy.fetchXY(Tc.params(List.of(start, fss.getCurrentEndTime()), ids), null).getModel()
                .getSeriesData()) {
            if (s.getName().equals(FreeSpaceDataProvider.TOTAL_NAME)) {
                assertThat(s.getData()).containsExactly(before[0] + before[1], total);
            }
        }
        AllocationTimelineDataProvider tg = new AllocationTimelineDataProvider(trace, alloc);
        List<String> rows = tg.fetchTree(Tc.params(List.of(0L, end), null), null).getModel().getEntries().stream()
                .map(TimeGraphEntryModel::getName).toList();
        for (Map.Entry<Long, Integer> f : fiemap.entrySet()) {
            if (f.getValue() > 0) {
                assertThat(rows).contains("inode " + f.getKey());
            }
        }
        xy.dispose();
        tg.dispose();
        alloc.dispose();
        free.dispose();
    }

    @Test
    void atomicWriteOutcomesMatchTheWorkloadsSyscalls() throws Exception {
        Tc.InMemAtomic atomic = Tc.atomic(trace);
        AtomicWritesDataProvider dp = new AtomicWritesDataProvider(trace, atomic);
        List<Long> ids = new ArrayList<>();
        for (TmfTreeDataModel m : dp.fetchTree(Tc.params(List.of(0L, 1L), null), null).getModel().getEntries()) {
            ids.add(m.getId());
        }
        ITmfStateSystem ss = atomic.getStateSystem();
        Map<String, Long> ours = new TreeMap<>();
        for (ISeriesModel s : dp.fetchXY(Tc.params(List.of(ss.getStartTime(), ss.getCurrentEndTime()), ids), null)
                .getModel().getSeriesData()) {
            assertThat(s.getData()[0]).as("nothing at the start").isZero();
            ours.put(s.getName(), (long) s.getData()[1]);
        }
        // syscalls.csv of 7.3.4-4k: 32 ok, 98 EINVAL, 1 EOPNOTSUPP (README: 32 / 99)
        assertThat(ours).isEqualTo(Corpus.atomicOutcomes(FOLDER)).containsEntry("ok", 32L);
        dp.dispose();
        atomic.dispose();
    }

    @Test
    void replayVerdictsCoverEveryAllocation() throws Exception {
        Tc.InMemReplay replay = Tc.replay(trace);
        ReplayVerdictsDataProvider dp = new ReplayVerdictsDataProvider(trace, replay);
        List<Long> ids = new ArrayList<>();
        for (TmfTreeDataModel m : dp.fetchTree(Tc.params(List.of(0L, 1L), null), null).getModel().getEntries()) {
            ids.add(m.getId());
        }
        ITmfStateSystem ss = replay.getStateSystem();
        Map<String, Long> ours = new TreeMap<>();
        for (ISeriesModel s : dp.fetchXY(Tc.params(List.of(ss.getStartTime(), ss.getCurrentEndTime()), ids), null)
                .getModel().getSeriesData()) {
            ours.put(s.getName(), (long) s.getData()[1]);
        }
        // one verdict per ext4_mb_new_blocks call: as many as trace-cmd printed ext4_request_blocks
        long total = ours.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo(Corpus.countByEvent(Corpus.report(FOLDER)).get("ext4_request_blocks"));
        assertThat(ours.getOrDefault("exact", 0L)).isPositive();
        dp.dispose();
        replay.dispose();
    }
}
