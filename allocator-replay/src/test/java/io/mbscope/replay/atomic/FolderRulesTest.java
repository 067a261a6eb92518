package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules against each capture's ground truth without the trace: every RWF_ATOMIC row of
 * syscalls.csv must get its recorded result; every statx.txt line its recorded atomic fields;
 * dumpe2fs-before's free-space lists must add up to its own per-group counts.
 */
class FolderRulesTest {

    static List<String> folders() {
        return Samples.FOLDERS;
    }

    /** The README's table: RWF_ATOMIC ok / failed per folder. */
    static final Map<String, int[]> OK_FAILED = Map.of("7.3.4-4k", new int[] {32, 99}, "7.3.4-bigalloc64k",
            new int[] {72, 59});

    @ParameterizedTest
    @MethodSource("folders")
    void everyAtomicCsvRowGetsItsRecordedResult(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        List<String> divergences = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        for (SyscallRow r : ctx.syscalls()) {
            if (!r.isAtomicWrite()) {
                continue;
            }
            Verdict v = MainlineRules.precheck(ctx.kernel(), ctx.fs(), ctx.device(),
                    r.toAtomicWrite(ctx.syscalls(), ctx.fs().extents()));
            if (v.errno() != r.result()) {
                divergences.add("seq " + r.seq() + " " + r.note() + ": predicted " + v + ", real " + r.result());
            }
            if (r.result() == Errno.SUCCESS) {
                ok++;
            } else {
                failed++;
            }
        }
        assertThat(divergences).isEmpty();
        int[] expected = OK_FAILED.getOrDefault(folder, new int[] {0, 131});
        assertThat(new int[] {ok, failed}).containsExactly(expected);
    }

    @ParameterizedTest
    @MethodSource("folders")
    void reasonsFollowTheKernelAndDevice(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        Map<Long, Reason> bySeq = new HashMap<>();
        for (SyscallRow r : ctx.syscalls()) {
            if (r.isAtomicWrite()) {
                bySeq.put(r.seq(), MainlineRules.precheck(ctx.kernel(), ctx.fs(), ctx.device(),
                        r.toAtomicWrite(ctx.syscalls(), ctx.fs().extents())).reason());
            }
        }
        if (folder.startsWith("6.12")) {
            assertThat(bySeq.values()).containsOnly(Reason.FS_NO_ATOMIC);
        } else if (folder.startsWith("6.18")) {
            assertThat(bySeq.values()).containsOnly(Reason.DEVICE_NO_ATOMIC);
        } else {
            // syscalls.csv notes (seq: note): 66 misaligned 4K, 74 two iovecs, 78 buffered 4K,
            // 119 buffered 16K, 122 12K, 123 6K, 124 2K
            assertThat(bySeq.get(66L)).isEqualTo(Reason.MISALIGNED_OFFSET);
            assertThat(bySeq.get(74L)).isEqualTo(Reason.MULTI_SEGMENT);
            assertThat(bySeq.get(78L)).isEqualTo(Reason.NOT_DIRECT);
            assertThat(bySeq.get(124L)).isEqualTo(Reason.BELOW_UNIT_MIN);
            boolean big = folder.contains("bigalloc");
            assertThat(bySeq.get(119L)).isEqualTo(big ? Reason.NOT_DIRECT : Reason.ABOVE_UNIT_MAX);
            assertThat(bySeq.get(122L)).isEqualTo(big ? Reason.NOT_POWER_OF_TWO : Reason.ABOVE_UNIT_MAX);
            assertThat(bySeq.get(123L)).isEqualTo(big ? Reason.NOT_POWER_OF_TWO : Reason.ABOVE_UNIT_MAX);
        }
    }

    @ParameterizedTest
    @MethodSource("folders")
    void statxMatchesStatxTxt(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        AtomicAnalyzer a = new AtomicAnalyzer(ctx);
        List<StatxCheck> checks = a.statxChecks();
        assertThat(checks).hasSizeGreaterThan(20);
        assertThat(checks).allSatisfy(c -> assertThat(c.observed()).as(c.record().file()).isEqualTo(c.mainline()));
        StatxPrediction probe = checks.stream().filter(c -> c.record().file().equals("at/probe")).findFirst()
                .orElseThrow().observed();
        switch (folder) {
            case "7.3.4-4k" -> assertThat(probe).isEqualTo(new StatxPrediction(true, 4096, 4096, 1, true));
            case "7.3.4-bigalloc64k" -> assertThat(probe).isEqualTo(new StatxPrediction(true, 4096, 65536, 1, true));
            default -> assertThat(probe.unitMax()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("folders")
    void imageAndDumpe2fsGiveTheSameStart(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        List<String> dump = java.nio.file.Files.readAllLines(Samples.folder(folder).resolve("dumpe2fs-before.txt"));
        FsLayout fromDump = FsLayout.fromDumpe2fs(dump, null);
        assertThat(ctx.fs()).isEqualTo(fromDump);
        assertThat(Samples.initialSpace(ctx, folder).firstDifference(FreeSpace.fromDumpe2fs(fromDump, dump)))
                .isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource("folders")
    void initialFreeSpaceAddsUpToDumpe2fsCounts(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.MAINLINE, null);
        List<String> dump = java.nio.file.Files.readAllLines(Samples.folder(folder).resolve("dumpe2fs-before.txt"));
        java.util.regex.Pattern count = java.util.regex.Pattern.compile("^\\s+(\\d+) free (blocks|clusters),");
        List<Long> perGroup = new ArrayList<>();
        long headerFreeBlocks = -1;
        for (String l : dump) {
            java.util.regex.Matcher m = count.matcher(l);
            if (m.find()) {
                perGroup.add(Long.parseLong(m.group(1)));
            } else if (l.startsWith("Free blocks:") && headerFreeBlocks < 0) {
                headerFreeBlocks = Long.parseLong(l.substring(12).trim());
            }
        }
        // the what-if's allocator model starts from exactly the free space dumpe2fs printed
        io.mbscope.replay.model.MballocModel model = ctx.engine().get().model();
        assertThat(perGroup).hasSize(model.groupCount());
        for (int g = 0; g < perGroup.size(); g++) {
            assertThat((long) model.group(g).free()).as("group " + g).isEqualTo(perGroup.get(g));
        }
        assertThat(model.totalFree() * ctx.fs().clusterRatio()).isEqualTo(headerFreeBlocks);
    }
}
