package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analyzer over each capture's trace.dat, checked against sources independent of it: the
 * README table (ok/failed), syscalls.csv (results, seq), atomic-analysis.txt (physical placement of
 * every successful write, 7.3 folders), fiemap.csv, and dumpe2fs-after.txt (free space after the run).
 */
class TraceFoldersTest {

    static List<String> folders() {
        return Samples.FOLDERS;
    }

    private static final Map<String, AtomicAnalyzer> CACHE = new HashMap<>();

    static synchronized AtomicAnalyzer analyzer(String folder) throws Exception {
        AtomicAnalyzer a = CACHE.get(folder);
        if (a == null) {
            a = TraceRun.run(folder, Policy.RFC);
            CACHE.put(folder, a);
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("folders")
    void everyVerdictMatchesTheTraceAndSyscallsCsv(String folder) throws Exception {
        AtomicAnalyzer a = analyzer(folder);
        AtomicSummary s = a.finish();
        assertThat(s.atomicWrites()).isEqualTo(131);
        assertThat(s.divergences()).isEmpty();
        assertThat(s.verdictMatches()).isEqualTo(131);
        assertThat(s.traceCsvCompared()).isEqualTo(131);
        assertThat(s.traceCsvAgree()).isEqualTo(131);
        assertThat(a.rows()).allSatisfy(r -> {
            assertThat(r.seq()).isPositive();
            assertThat(r.real()).isNotNull();
            assertThat(r.ino()).isPositive();
        });
        int[] okFailed = FolderRulesTest.OK_FAILED.getOrDefault(folder, new int[] {0, 131});
        assertThat(new int[] {s.realOk(), s.realFailed()}).containsExactly(okFailed);
    }

    static final Pattern ANALYSIS = Pattern.compile("^\\s*seq\\s+(\\d+)\\s+\\S+\\s+off=(\\d+)\\s+len=(\\d+)\\s+phys=(\\d+)\\s+(\\S+)");

    @ParameterizedTest
    @MethodSource("folders")
    void placementMatchesAtomicAnalysisAndFiemap(String folder) throws Exception {
        AtomicAnalyzer a = analyzer(folder);
        AtomicSummary s = a.finish();
        assertThat(s.placementChecked()).isEqualTo(s.realOk());
        assertThat(s.placementContiguous()).isEqualTo(s.realOk());
        assertThat(s.placementAligned()).isEqualTo(s.realOk());
        assertThat(s.fiemapAgree()).isEqualTo(s.fiemapChecked());
        Path analysis = Samples.folder(folder).resolve("atomic-analysis.txt");
        if (!Files.isRegularFile(analysis)) {
            assertThat(s.realOk()).isZero();
            return;
        }
        assertThat(s.fiemapChecked()).isPositive();
        Map<Long, Long> phys = new HashMap<>();
        for (String l : Files.readAllLines(analysis)) {
            Matcher m = ANALYSIS.matcher(l);
            if (m.find()) {
                assertThat(m.group(5)).isEqualTo("ALIGNED");
                phys.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(4)));
            }
        }
        assertThat(phys).hasSize(s.realOk());
        for (AtomicRow r : a.rows()) {
            if (r.actual() == Errno.SUCCESS) {
                assertThat(r.placement().physByte()).as("seq " + r.seq()).isEqualTo(phys.get(r.seq()));
                assertThat(r.placement().mapBlocksAgree()).as("seq " + r.seq()).isNotEqualTo(Boolean.FALSE);
            }
        }
    }

    /**
     * The replayed bitmap plus the preallocated space the trace never released (PAs are discarded at
     * unmount, after tracing stopped) must equal dumpe2fs-after's free block count exactly.
     */
    @ParameterizedTest
    @MethodSource("folders")
    void replayedFreeSpaceEqualsDumpe2fsAfter(String folder) throws Exception {
        AtomicAnalyzer a = analyzer(folder);
        long after = -1;
        for (String l : Files.readAllLines(Samples.folder(folder).resolve("dumpe2fs-after.txt"))) {
            if (l.startsWith("Free blocks:")) {
                after = Long.parseLong(l.substring(12).trim());
                break;
            }
        }
        RfcReplay w = a.whatIf();
        assertThat(w.ignoredEvents()).isZero();
        assertThat(w.realFreeClustersAtUnmount() * w.model().geometry().clusterRatio()).isEqualTo(after);
    }

    @ParameterizedTest
    @MethodSource("folders")
    void rfcWhatIfFollowsTheRfcRules(String folder) throws Exception {
        AtomicAnalyzer a = analyzer(folder);
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.RFC, null);
        for (AtomicRow r : a.rows()) {
            RfcOutcome o = r.rfc();
            assertThat(o).as("seq " + r.seq()).isNotNull();
            if (!r.direct()) {
                assertThat(o.verdict().reason()).isEqualTo(Reason.NOT_DIRECT);
                continue;
            }
            if (ctx.fs().bigalloc()) {
                assertThat(o.verdict()).isEqualTo(Verdict.of(Errno.EIO, Reason.RFC_BIGALLOC));
            } else if (!ctx.device().canAtomicWrite()) {
                assertThat(o.verdict().errno()).isEqualTo(Errno.EIO);
            }
            if (o.verdict().success()) {
                long blocks = r.length() / ctx.fs().blockSize();
                assertThat(o.physBlock() % blocks).as("seq " + r.seq()).isZero();
                assertThat(r.length()).isLessThanOrEqualTo(ctx.device().unitMaxBytes());
            }
        }
    }

    /**
     * The RFC what-if per capture, against what the RFC's rules give by hand from the capture's own
     * files: meta.txt (device atomic limits), dumpe2fs-before.txt (layout, free blocks), report.txt.
     */
    @ParameterizedTest
    @MethodSource("folders")
    void rfcWhatIfPerFolder(String folder) throws Exception {
        AtomicAnalyzer a = analyzer(folder);
        AtomicSummary s = a.finish();
        Map<Long, AtomicRow> bySeq = new HashMap<>();
        a.rows().forEach(r -> bySeq.put(r.seq(), r));
        switch (folder) {
            case "7.3.4-4k", "6.12.117-4k" -> {
                // seq 64, the first atomic write (4 KiB at 0 of the empty at/a4k): RFC 4/7 takes the
                // locality group away from aligned requests, so it is normalised as a stream to 16 KiB
                // (4 blocks, a power of two), and only CR_POWER2_ALIGNED may serve it. Group 0 is a flex
                // group's first group (dumpe2fs: flex size 16), which that criterion skips for data, so
                // group 1 decides: its free space before the run is 36897-65535, and the directory took
                // 36897 before the write (report.txt: ext4_allocate_blocks ... block 36897); the buddy's
                // chunks are 36898+2 (order 1) then 36900+4 (order 2): the smallest order >= 2 is at 36900.
                RfcOutcome r64 = bySeq.get(64L).rfc();
                assertThat(r64.verdict()).isEqualTo(Verdict.of(Errno.SUCCESS, Reason.RFC_OK_ALLOCATED));
                assertThat(r64.physBlock()).isEqualTo(36900);
                assertThat(r64.normalizedBlocks()).isEqualTo(4);
                // meta.txt: atomic_write_unit_max_bytes 65536 (7.3.4) / 524288 (6.12.117): above that the
                // device refuses (RFC 5/7 blkdev_atomic_write_valid), up to it the RFC needs no fs cap
                long max = folder.startsWith("7.3") ? 65536 : 524288;
                for (Map.Entry<Long, java.util.SortedMap<String, Integer>> e : s.rfcBySize().entrySet()) {
                    if (e.getKey() > max) {
                        assertThat(e.getValue()).as("size " + e.getKey()).containsOnlyKeys("EIO");
                    } else if (e.getKey() >= 8192 && Long.bitCount(e.getKey()) == 1) {
                        assertThat(e.getValue()).as("size " + e.getKey()).containsKey("OK");
                    }
                }
                assertThat(s.rfcOk()).isGreaterThan(s.realOk());
                // no ENOSPC: these file systems stay more than half free (dumpe2fs-after)
                assertThat(s.rfcEnospcAlignment()).isZero();
            }
            case "7.3.4-bigalloc64k", "6.12.117-bigalloc16k", "6.12.117-bigalloc64k", "6.18.44-bigalloc16k",
                    "6.18.44-bigalloc64k" -> assertThat(a.rows()).allSatisfy(r -> assertThat(r.rfc().verdict())
                            .isIn(Verdict.of(Errno.EIO, Reason.RFC_BIGALLOC), Verdict.of(Errno.SUCCESS,
                                    Reason.NOT_DIRECT)));
            default -> // 6.18.44 loop device: atomic_write_unit_max_bytes 0
                    assertThat(a.rows()).allSatisfy(r -> assertThat(r.rfc().verdict()).isIn(
                            Verdict.of(Errno.EIO, Reason.RFC_DEVICE_LIMITS), Verdict.of(Errno.EIO,
                                    Reason.RFC_MISALIGNED_OFFSET), Verdict.of(Errno.EIO, Reason.RFC_NOT_BLOCK_MULTIPLE),
                            Verdict.of(Errno.EIO, Reason.RFC_NOT_POWER_OF_TWO), Verdict.of(Errno.SUCCESS,
                                    Reason.NOT_DIRECT)));
        }
        // what the what-if still holds at the end never reached the real disk: dumpe2fs-after (taken
        // after unmount, independent of the replay) must show every such block free
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        FreeSpace after = FreeSpace.fromDumpe2fs(ctx.fs(),
                Files.readAllLines(Samples.folder(folder).resolve("dumpe2fs-after.txt")));
        long[] held = a.whatIf().claimedBlocks();
        for (long b : held) {
            assertThat(after.isFree(after.clusterOfBlock(b), 1)).as("block " + b).isTrue();
        }
        if (folder.endsWith("-4k") && !folder.startsWith("6.18")) {
            assertThat(held).isNotEmpty();
        }
    }

    static List<String> otherFormats() {
        return List.of("perf.data.zst", "trace-v6.dat.zst", "report.txt.zst", "trace.txt.zst", "perf-script.txt.zst");
    }

    /** The other recordings of the same run (three tracers at once) must give the same rows as trace.dat. */
    @ParameterizedTest
    @MethodSource("otherFormats")
    void otherFormatsGiveTheSameRowsAsTraceDat(String file) throws Exception {
        Path dir = Samples.folder("7.3.4-4k");
        AtomicAnalyzer other;
        try (io.mbscope.parsers.TraceReader r = io.mbscope.parsers.Traces.open(dir.resolve(file))) {
            other = new AtomicAnalyzer(AtomicContext.fromFolder(dir, Policy.RFC, null));
            io.mbscope.parsers.event.TraceEvent e;
            while ((e = r.next()) != null) {
                other.accept(e);
            }
        }
        other.finish();
        List<AtomicRow> a = analyzer("7.3.4-4k").rows();
        List<AtomicRow> b = other.rows();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            AtomicRow x = a.get(i);
            AtomicRow y = b.get(i);
            assertThat(y.seq()).isEqualTo(x.seq());
            assertThat(y.real()).isEqualTo(x.real());
            assertThat(y.predicted()).isEqualTo(x.predicted());
            assertThat(y.placement()).as("seq " + x.seq()).isEqualTo(x.placement());
            assertThat(y.rfc()).as("seq " + x.seq()).isEqualTo(x.rfc());
            assertThat(y.fiemapAgrees()).isEqualTo(x.fiemapAgrees());
        }
    }

    @Test
    void rfcOn7343kAcceptsWhatTheDeviceAllows() throws Exception {
        AtomicSummary s = analyzer("7.3.4-4k").finish();
        // device unit max 64 KiB (meta.txt): the RFC has no per-fs cap, so 8K..64K become possible,
        // while 128K..1M fail the device check.
        assertThat(s.rfcBySize().get(65536L)).containsKey("OK");
        assertThat(s.rfcBySize().get(131072L)).containsOnlyKeys("EIO");
        assertThat(s.rfcBySize().get(1048576L)).containsOnlyKeys("EIO");
        assertThat(s.rfcOk()).isGreaterThan(s.realOk());
    }
}
