package io.mbscope.tracecompass.trace;

import static io.mbscope.tracecompass.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.tracecompass.Tc;
import io.mbscope.tracecompass.analysis.AllocationStateProvider;
import io.mbscope.tracecompass.analysis.FreeSpaceStateProvider;
import io.mbscope.tracecompass.dataprovider.AllocationTimelineDataProvider;
import io.mbscope.tracecompass.dataprovider.FreeSpaceDataProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.tracecompass.statesystem.core.ITmfStateSystem;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.model.timegraph.ITimeGraphRowModel;
import org.eclipse.tracecompass.tmf.core.model.timegraph.ITimeGraphState;
import org.eclipse.tracecompass.tmf.core.model.timegraph.TimeGraphEntryModel;
import org.eclipse.tracecompass.tmf.core.model.tree.TmfTreeDataModel;
import org.eclipse.tracecompass.tmf.core.model.xy.ISeriesModel;
import org.eclipse.tracecompass.tmf.core.response.ITmfResponse;
import org.eclipse.tracecompass.tmf.core.trace.ITmfContext;
import org.eclipse.tracecompass.tmf.core.trace.TraceValidationStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Trace Compass plumbing (validation, seeking, indexing, aspects, analyses, data providers)
 * on a hand-made event list, so that it is tested independently of the binary readers.
 */
class SyntheticTraceTest {
    static final List<TraceEvent> EVENTS = List.of(
            newInodePa(100, 12, 1000, 0, 16),
            mballocAlloc(110, 12, 0, 1000, 16, 0),
            allocate(120, 12, HINT_DATA, 4, 1000, 0),
            mballocPrealloc(200, 12, 0, 1004, 4, 4),
            allocate(210, 12, HINT_DATA, 4, 1004, 4),
            mballocAlloc(300, 13, 1, 5000, 1, 0),
            allocate(310, 13, 0, 1, 37768, 0),
            releaseInodePa(400, 12, 1008, 8),
            freeBlocks(500, 12, 1002, 2, 0),
            mballocFree(510, 12, 0, 1002, 2));

    /** A trace.dat trace whose reader serves {@link #EVENTS}; counts how often it was opened. */
    static final class ListTrace extends TraceDatTrace {
        final AtomicInteger opens = new AtomicInteger();

        @Override
        protected TraceReader openReader(Path file, String name) {
            opens.incrementAndGet();
            Iterator<TraceEvent> it = EVENTS.iterator();
            ReadStats stats = new ReadStats();
            return new TraceReader() {
                public TraceInfo info() {
                    return new TraceInfo(name, TraceFormat.TRACE_DAT_V7, "7.3.4", "mono", 2, List.of(""));
                }

                public FormatRegistry formats() {
                    return new FormatRegistry();
                }

                public TraceEvent next() {
                    if (!it.hasNext()) {
                        return null;
                    }
                    stats.countEvent();
                    return it.next();
                }

                public ReadStats stats() {
                    return stats;
                }

                public void close() {
                }
            };
        }
    }

    @TempDir
    Path dir;
    ListTrace trace;

    @BeforeEach
    void open() throws Exception {
        Path f = dir.resolve("trace.dat");
        Files.write(f, new byte[] {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g', '6', 0});
        trace = new ListTrace();
        assertThat(trace.validate(null, f.toString())).isInstanceOf(TraceValidationStatus.class);
        trace.initTrace(null, f.toString(), MbEvent.class);
        trace.indexTrace(true);
    }

    @AfterEach
    void close() {
        trace.dispose();
    }

    @Test
    void validationIsByMagic() throws IOException {
        Path perf = dir.resolve("trace.dat.renamed");
        Files.write(perf, "PERFILE2\u0068\0\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(new TraceDatTrace().validate(null, perf.toString()).getSeverity()).isEqualTo(IStatus.ERROR);
        assertThat(new PerfDataTrace().validate(null, perf.toString())).isInstanceOf(TraceValidationStatus.class);
        assertThat(((TraceValidationStatus) new PerfDataTrace().validate(null, perf.toString())).getConfidence())
                .isEqualTo(100);
        Path text = dir.resolve("report.txt");
        Files.writeString(text, "cpus=2\n");
        assertThat(new PerfDataTrace().validate(null, text.toString()).isOK()).isFalse();
        assertThat(new PerfDataTrace().validate(null, dir.resolve("missing").toString()).isOK()).isFalse();
    }

    @Test
    void indexSeekAndAspects() {
        assertThat(trace.getNbEvents()).isEqualTo(EVENTS.size());
        assertThat(trace.getStartTime().toNanos()).isEqualTo(100);
        assertThat(trace.getEndTime().toNanos()).isEqualTo(510);

        ITmfContext ctx = trace.seekEvent(4L);
        ITmfEvent e = trace.getNext(ctx);
        assertThat(e.getTimestamp().toNanos()).isEqualTo(210);
        assertThat(e.getName()).isEqualTo("ext4_allocate_blocks");
        assertThat(e.getContent().getField("block").getValue()).isEqualTo(1004L); // record component fallback
        assertThat(MbAspects.CPU.resolve(e)).isZero();
        assertThat(MbAspects.COMM.resolve(e)).isEqualTo("ext4wl");
        assertThat(trace.getNext(ctx).getTimestamp().toNanos()).isEqualTo(300);
        ctx.dispose();

        // going back reopens a reader; going forward from an idle cursor does not
        int before = trace.opens.get();
        ITmfContext back = trace.seekEvent(0L);
        assertThat(trace.getNext(back).getTimestamp().toNanos()).isEqualTo(100);
        back.dispose();
        ITmfContext fwd = trace.seekEvent(5L);
        assertThat(trace.getNext(fwd).getTimestamp().toNanos()).isEqualTo(300);
        fwd.dispose();
        assertThat(trace.opens.get() - before).isLessThanOrEqualTo(1);
        assertThat(trace.getNext(trace.seekEvent(EVENTS.size()))).isNull();
    }

    @Test
    void analysesAndProviders() throws Exception {
        Tc.InMemAllocation alloc = Tc.allocation(trace);
        ITmfStateSystem ss = alloc.getStateSystem();
        int i12 = ss.getQuarkAbsolute(AllocationStateProvider.INODES, "12");
        assertThat(ss.querySingleState(250, i12).getValue()).isEqualTo("1 ext, 8 blk + PA 8");
        assertThat(ss.querySingleState(450, i12).getValue()).isEqualTo("1 ext, 8 blk");
        assertThat(ss.querySingleState(505, ss.getQuarkRelative(i12, AllocationStateProvider.EXTENTS)).getValue())
                .isEqualTo(2);

        Tc.InMemFreeSpace free = Tc.freeSpace(trace);
        ITmfStateSystem fss = free.getStateSystem();
        assertThat(fss.querySingleState(215, fss.getQuarkAbsolute(FreeSpaceStateProvider.GROUPS, "0")).getValue())
                .isEqualTo(-8L);
        assertThat(fss.querySingleState(510, fss.getQuarkAbsolute(FreeSpaceStateProvider.TOTAL)).getValue())
                .isEqualTo(-7L);

        FreeSpaceDataProvider xy = new FreeSpaceDataProvider(trace, free);
        var tree = xy.fetchTree(Tc.params(List.of(100L, 510L), null), null);
        assertThat(tree.getStatus()).isEqualTo(ITmfResponse.Status.COMPLETED);
        List<Long> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TmfTreeDataModel m : tree.getModel().getEntries()) {
            ids.add(m.getId());
            names.add(m.getName());
        }
        assertThat(names).contains(FreeSpaceDataProvider.TOTAL_NAME, "group 0", "group 1");
        var model = xy.fetchXY(Tc.params(List.of(100L, 215L, 315L, 510L), ids), null).getModel();
        Map<String, double[]> series = new java.util.HashMap<>();
        for (ISeriesModel s : model.getSeriesData()) {
            series.put(s.getName(), s.getData());
        }
        assertThat(series.get("group 0")).containsExactly(0, -8, -8, -6);
        assertThat(series.get("group 1")).containsExactly(0, 0, -1, -1);
        assertThat(series.get(FreeSpaceDataProvider.TOTAL_NAME)).containsExactly(0, -8, -9, -7);

        AllocationTimelineDataProvider tg = new AllocationTimelineDataProvider(trace, alloc);
        var entries = tg.fetchTree(Tc.params(List.of(100L, 510L), null), null).getModel().getEntries();
        List<String> rows = entries.stream().map(TimeGraphEntryModel::getName).toList();
        assertThat(rows).containsSubsequence("inode 12", "inode 13");
        long id12 = entries.stream().filter(m -> m.getName().equals("inode 12")).findFirst().orElseThrow().getId();
        var rowModel = tg.fetchRowModel(Tc.params(List.of(100L, 300L, 510L), List.of(id12)), null).getModel();
        ITimeGraphRowModel row = rowModel.getRows().get(0);
        List<String> labels = row.getStates().stream().map(ITimeGraphState::getLabel).toList();
        assertThat(labels).startsWith("PA 16", "1 ext, 4 blk + PA 12", "1 ext, 8 blk + PA 8", "1 ext, 8 blk");
        assertThat(labels.get(labels.size() - 1)).isEqualTo("2 ext, 6 blk");
        assertThat(row.getStates().get(0).getStartTime()).isEqualTo(100);
        var tip = tg.fetchTooltip(Tc.params(List.of(250L), List.of(id12)), null).getModel();
        assertThat(tip).containsEntry("extents", "1").containsEntry("free PA clusters", "8");
        assertThat(tg.fetchStyle(Map.of(), null).getModel().getStyles()).containsKeys("DATA", "DATA_AND_PA");
        xy.dispose();
        tg.dispose();
        alloc.dispose();
        free.dispose();
    }
}
