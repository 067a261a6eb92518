package io.mbscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticReportTest {
    @TempDir
    Path tmp;

    static List<CSVRecord> rows(Path csv) throws Exception {
        try (Reader r = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void writesEveryTableAndChart() throws Exception {
        List<TraceEvent> ev = Synthetic.events(400, 1);
        TraceData d = Synthetic.collect("synthetic", ev, Synthetic.fs());
        // kept under target/ so the charts can be looked at after a run
        Path out = Path.of("target", "test-reports", "synthetic");
        Report.Result res = Report.write(List.of(d), out, ReportOptions.defaults());

        long allocs = ev.stream().filter(e -> e instanceof TraceEvent.AllocateBlocks).count();
        List<CSVRecord> a = rows(out.resolve(CsvTables.ALLOCATIONS));
        assertThat(a).hasSize((int) allocs);
        // every 7th request (i % 7 == 3) came from a preallocation
        assertThat(a.stream().filter(r -> r.get("source").equals("mballoc_prealloc")).count())
                .isEqualTo(ev.stream().filter(e -> e instanceof TraceEvent.MballocPrealloc).count());
        TraceEvent.AllocateBlocks first = (TraceEvent.AllocateBlocks) ev.stream()
                .filter(e -> e instanceof TraceEvent.AllocateBlocks).findFirst().orElseThrow();
        assertThat(a.get(0).get("block")).isEqualTo(Long.toString(first.block()));
        assertThat(a.get(0).get("time_ns")).isEqualTo(Long.toString(first.timestampNs()));
        assertThat(a.get(0).get("flag_names")).isEqualTo("HINT_DATA");

        List<CSVRecord> counts = rows(out.resolve(CsvTables.EVENT_COUNTS));
        assertThat(counts).anySatisfy(r -> {
            assertThat(r.get("event")).isEqualTo("ext4_allocate_blocks");
            assertThat(r.get("count")).isEqualTo(Long.toString(allocs));
        });

        // free space: the first whole-fs sample is the initial state, the last one reflects every change
        List<CSVRecord> free = rows(out.resolve(CsvTables.FREE_SPACE));
        CSVRecord s0 = free.stream().filter(r -> r.get("group").equals("-1")).findFirst().orElseThrow();
        long initialFree = 4L * Synthetic.CLUSTERS - Synthetic.META - 3 * 2;
        assertThat(Long.parseLong(s0.get("free_clusters"))).isLessThanOrEqualTo(initialFree);
        assertThat(d.atomicWrites()).containsEntry("ok", 1L).containsEntry("EINVAL", 1L);

        assertThat(res.charts()).extracting(Report.Chart::png).contains("allocation-map.png", "free-space.png",
                "free-space-orders.png", "free-space-groups.png", "normalisation.png", "criteria.png",
                "groups-scanned.png", "groups-scanned-over-time.png", "event-counts.png");
        for (Report.Chart c : res.charts()) {
            ImageChecks.assertChart(out, c);
        }
        String html = Files.readString(out.resolve(Report.INDEX));
        assertThat(html).doesNotContain("http://", "https://", "<script");
        for (Report.Chart c : res.charts()) {
            assertThat(html).contains("src=\"" + c.png() + "\"");
        }
    }

    @Test
    void sameInputGivesByteIdenticalFiles() throws Exception {
        List<TraceEvent> ev = Synthetic.events(300, 7);
        Path o1 = tmp.resolve("a");
        Path o2 = tmp.resolve("b");
        Report.write(List.of(Synthetic.collect("x", ev, Synthetic.fs())), o1, ReportOptions.defaults());
        Report.write(List.of(Synthetic.collect("x", ev, Synthetic.fs())), o2, ReportOptions.defaults());
        try (var files = Files.list(o1)) {
            for (Path f : files.toList()) {
                // every file, charts included: no clock, locale or hash order leaks into the output
                String name = f.getFileName().toString();
                assertThat(Files.readAllBytes(o2.resolve(name))).as(name).isEqualTo(Files.readAllBytes(f));
            }
        }
    }

    @Test
    void overlaysSeveralTracesAndBinsLargeMaps() throws Exception {
        TraceData a = Synthetic.collect("before", Synthetic.events(3000, 2), Synthetic.fs());
        TraceData b = Synthetic.collect("after fix", Synthetic.events(2000, 3), null);
        Path out = Path.of("target", "test-reports", "synthetic-multi");
        Report.Result res = Report.write(List.of(a, b), out,
                new ReportOptions(ReportOptions.ColorBy.INODE, 1000, 50, true));
        List<CSVRecord> rows = rows(out.resolve(CsvTables.ALLOCATIONS));
        assertThat(rows.stream().filter(r -> r.get("trace").equals("before")).count()).isEqualTo(3000);
        assertThat(rows.stream().filter(r -> r.get("trace").equals("after fix")).count()).isEqualTo(2000);
        assertThat(res.charts()).extracting(Report.Chart::png).contains("free-space-orders-1-before.png");
        for (Report.Chart c : res.charts()) {
            ImageChecks.assertChart(out, c);
        }
    }

    @Test
    void emptyTraceStillGivesAPage() throws Exception {
        TraceData d = Synthetic.collect("empty", List.of(), Synthetic.fs());
        Path out = tmp.resolve("empty");
        Report.Result res = Report.write(List.of(d), out, ReportOptions.defaults());
        assertThat(rows(out.resolve(CsvTables.ALLOCATIONS))).isEmpty();
        assertThat(Files.readString(out.resolve(CsvTables.ALLOCATIONS))).startsWith("trace,seq,time_ns,");
        for (Report.Chart c : res.charts()) {
            assertThat(out.resolve(c.png())).isRegularFile();
            assertThat(javax.imageio.ImageIO.read(out.resolve(c.png()).toFile()).getWidth()).isEqualTo(c.width());
        }
    }

    @Test
    void changesOutsideTheImageAreCountedNotDropped() throws Exception {
        List<TraceEvent> ev = new java.util.ArrayList<>(Synthetic.events(50, 5));
        ev.add(new TraceEvent.MballocFree(Synthetic.h(9_000_000_000L, 100), 7 << 20, 12, 99, 0, 4, null));
        TraceData d = Synthetic.collect("odd", ev, Synthetic.fs());
        assertThat(FreeSpaceTimeline.outside(d.fsState(), d.spaceChanges())).isEqualTo(1);
        Path out = tmp.resolve("odd");
        Report.write(List.of(d), out, ReportOptions.defaults());
        assertThat(Files.readString(out.resolve(Report.INDEX))).contains("1 allocations/frees fall outside");
    }
}
