package io.mbscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reports on every real capture and checks the tables against what trace-cmd itself printed
 * (report.txt) and what the workload recorded (syscalls.csv), never against this code's output.
 */
class CorpusReportTest {
    static final Pattern EVENT = Pattern.compile("\\] +(\\d+)\\.(\\d{6}): (\\w+): ");
    static final Pattern ALLOC = Pattern.compile("ext4_allocate_blocks: dev \\S+ ino (\\d+) flags (.*) len (\\d+) "
            + "block (\\d+) lblk (\\d+) goal (\\d+) ");
    static final String EXT = "(\\d+)/(-?\\d+)/(\\d+)@(\\d+)";
    static final Pattern MB_ALLOC = Pattern.compile("ext4_mballoc_alloc: +dev \\S+ inode (\\d+) orig " + EXT
            + " goal " + EXT + " result " + EXT + " blks (\\d+) grps (\\d+) cr (\\S+) flags (.*) tail (\\d+) broken");
    static final Pattern MB_PREALLOC = Pattern.compile("ext4_mballoc_prealloc: +dev \\S+ inode (\\d+) orig " + EXT
            + " result " + EXT);

    static List<CSVRecord> rows(Path csv) throws Exception {
        try (var r = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    static long micros(Matcher ev) {
        return Long.parseLong(ev.group(1)) * 1_000_000L + Long.parseLong(ev.group(2));
    }

    @ParameterizedTest
    @MethodSource("io.mbscope.report.Corpus#folders")
    void tablesMatchTraceCmdReport(String folder) throws Exception {
        Path dir = Corpus.dir(folder);
        Corpus.assumeReadable(dir.resolve("trace.dat"));
        List<ReportInputs.Input> in = ReportInputs.resolve(List.of(dir), List.of());
        assertThat(in.get(0).trace().getFileName().toString()).isEqualTo("trace.dat");
        assertThat(in.get(0).label()).isEqualTo(folder);
        TraceData d = ReportInputs.load(in.get(0), FsSpaces::fromImage, null);
        Path out = Path.of("target", "test-reports", "corpus", folder);
        Report.Result res = Report.write(List.of(d), out, ReportOptions.defaults());

        // ground truth: trace-cmd report of the same trace.dat
        List<String[]> allocs = new ArrayList<>();
        List<String> mballoc = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        for (String line : Corpus.zstLines(dir.resolve("report.txt.zst"))) {
            Matcher ev = EVENT.matcher(line);
            if (!ev.find()) {
                continue;
            }
            counts.merge(ev.group(3), 1L, Long::sum);
            Matcher a = ALLOC.matcher(line);
            if (a.find()) {
                allocs.add(new String[] {Long.toString(micros(ev)), a.group(1), a.group(3), a.group(4), a.group(5),
                        a.group(6)});
            }
            if (ev.group(3).startsWith("ext4_mballoc_alloc") || ev.group(3).startsWith("ext4_mballoc_prealloc")) {
                mballoc.add(line);
            }
        }
        List<CSVRecord> a = rows(out.resolve(CsvTables.ALLOCATIONS));
        assertThat(a).as("allocation rows = ext4_allocate_blocks lines").hasSize(allocs.size());
        assertThat(allocs).isNotEmpty();
        for (int i = 0; i < allocs.size(); i++) {
            String[] exp = allocs.get(i);
            CSVRecord r = a.get(i);
            // trace-cmd report rounds nanoseconds to the nearest microsecond (libtraceevent's usec print)
            assertThat((Long.parseLong(r.get("time_ns")) + 500) / 1000).as("row %d time", i)
                    .isEqualTo(Long.parseLong(exp[0]));
            assertThat(new String[] {r.get("ino"), r.get("len"), r.get("block"), r.get("lblk"), r.get("goal")})
                    .as("row %d ino/len/block/lblk/goal", i)
                    .containsExactly(exp[1], exp[2], exp[3], exp[4], exp[5]);
            assertThat(r.get("trace")).isEqualTo(folder);
        }

        List<CSVRecord> m = rows(out.resolve(CsvTables.MBALLOC));
        assertThat(m).as("mballoc rows = ext4_mballoc_alloc + _prealloc lines").hasSize(mballoc.size());
        for (int i = 0; i < mballoc.size(); i++) {
            String line = mballoc.get(i);
            CSVRecord r = m.get(i);
            Matcher x = MB_ALLOC.matcher(line);
            if (x.find()) {
                assertThat(r.get("kind")).isEqualTo("alloc");
                assertThat(List.of(r.get("ino"), r.get("orig_group"), r.get("orig_start"), r.get("orig_len"),
                        r.get("orig_logical"), r.get("goal_group"), r.get("goal_start"), r.get("goal_len"),
                        r.get("goal_logical"), r.get("result_group"), r.get("result_start"), r.get("result_len"),
                        r.get("result_logical"), r.get("found"), r.get("groups_scanned"), r.get("cr_name"),
                        r.get("flag_names"), r.get("tail")))
                        .as(line)
                        .containsExactly(x.group(1), x.group(2), x.group(3), x.group(4), x.group(5), x.group(6),
                                x.group(7), x.group(8), x.group(9), x.group(10), x.group(11), x.group(12),
                                x.group(13), x.group(14), x.group(15), x.group(16), x.group(17), x.group(18));
            } else {
                Matcher p = MB_PREALLOC.matcher(line);
                assertThat(p.find()).as(line).isTrue();
                assertThat(r.get("kind")).isEqualTo("prealloc");
                assertThat(List.of(r.get("ino"), r.get("orig_len"), r.get("result_group"), r.get("result_start"),
                        r.get("result_len"))).as(line)
                        .containsExactly(p.group(1), p.group(4), p.group(6), p.group(7), p.group(8));
            }
        }

        Map<String, Long> csvCounts = new TreeMap<>();
        for (CSVRecord r : rows(out.resolve(CsvTables.EVENT_COUNTS))) {
            csvCounts.put(r.get("event"), Long.parseLong(r.get("count")));
        }
        assertThat(csvCounts).as("event counts = trace-cmd report's").isEqualTo(counts);

        // RWF_ATOMIC outcomes from the workload's own log
        Map<String, Long> atomic = new TreeMap<>();
        for (CSVRecord r : rows(dir.resolve("syscalls.csv"))) {
            if (r.get("op").equals("pwritev2") && r.get("flags").contains("RWF_ATOMIC")) {
                atomic.merge(Long.parseLong(r.get("ret")) >= 0 ? "ok" : r.get("errname"), 1L, Long::sum);
            }
        }
        assertThat(d.atomicWrites()).isEqualTo(atomic);
        // the atomic helper's table: one row per RWF_ATOMIC pwritev2, the result as the workload saw it
        Map<String, Long> atomicCsv = new TreeMap<>();
        for (CSVRecord r : rows(out.resolve(CsvTables.ATOMIC_WRITES))) {
            String result = r.get("result");
            atomicCsv.merge(result.equals("OK") ? "ok" : result, 1L, Long::sum);
        }
        assertThat(atomicCsv).isEqualTo(atomic);
        if (atomic.containsKey("ok")) {
            assertThat(res.charts()).extracting(Report.Chart::png).contains("atomic-outcomes.png",
                    "atomic-alignment.png");
        }

        // the replay's predictions: every allocation has one; "exact" ones name the kernel's block and
        // length, divergent ones have their fields in divergences.csv
        java.util.Set<String> divergent = new java.util.HashSet<>();
        for (CSVRecord r : rows(out.resolve(CsvTables.DIVERGENCES))) {
            divergent.add(r.get("time_ns") + "/" + r.get("ino"));
        }
        for (CSVRecord r : a) {
            assertThat(r.get("model_exact")).as("prediction for row %s", r.get("seq")).isIn("true", "false");
            if (r.get("model_exact").equals("true")) {
                assertThat(List.of(r.get("model_block"), r.get("model_len"))).as("exact row %s", r.get("seq"))
                        .containsExactly(r.get("block"), r.get("len"));
                assertThat(r.get("divergence_classes")).isEmpty();
            } else {
                assertThat(divergent).as("divergences of row %s", r.get("seq"))
                        .contains(r.get("time_ns") + "/" + r.get("ino"));
            }
        }
        if (divergent.isEmpty()) {
            assertThat(res.charts()).extracting(Report.Chart::png).doesNotContain("divergences.png");
        } else {
            assertThat(res.charts()).extracting(Report.Chart::png).contains("divergences.png");
        }
        assertThat(d.replay()).isNotNull();
        assertThat(d.replay().allocations()).as("replayed requests = ext4_allocate_blocks lines")
                .isEqualTo(allocs.size());

        // free space starts from the image: its first whole-fs sample is dumpe2fs's free count
        String dump = Files.readString(dir.resolve("dumpe2fs-before.txt"));
        long freeBlocks = field(dump, "Free blocks");
        long blockSize = field(dump, "Block size");
        long clusterSize = dump.contains("Cluster size:") ? field(dump, "Cluster size") : blockSize;
        CSVRecord first = rows(out.resolve(CsvTables.FREE_SPACE)).get(0);
        assertThat(first.get("group")).isEqualTo("-1");
        assertThat(Long.parseLong(first.get("free_clusters"))).as("free clusters at start")
                .isEqualTo(freeBlocks / (clusterSize / blockSize));
        assertThat(res.charts()).extracting(Report.Chart::png).contains("free-space.png", "free-space-orders.png",
                "free-space-groups.png");

        for (Report.Chart c : res.charts()) {
            ImageChecks.assertChart(out, c);
        }
    }

    static long field(String dumpe2fs, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(\\d+)").matcher(dumpe2fs);
        assertThat(m.find()).as(name).isTrue();
        return Long.parseLong(m.group(1));
    }
}
