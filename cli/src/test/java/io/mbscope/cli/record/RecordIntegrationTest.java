package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mbscope.cli.Main;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.ReplayResult;
import io.mbscope.replay.Replays;
import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mbscope record} for real: a 64 MiB ext4 on a loop device, a short workload (O_DIRECT dd,
 * buffered files with fsync, fallocate, rm), then the folder is checked with the project's readers
 * and the replay. Runs only as root with loop devices, tracefs and trace-cmd or perf (skipped with
 * the reason otherwise); about 10-15 s.
 */
@Tag("root")
class RecordIntegrationTest {
    private static final long FS_BYTES = 64L << 20;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void recordsAReplayableCapture(@TempDir Path tmp) throws Exception {
        assumeTrue(isRoot(), "needs root (tracefs, perf -a, losetup, mount)");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "needs loop devices (/dev/loop-control)");
        for (String tool : List.of("losetup", "mkfs.ext4", "mount", "umount", "dumpe2fs", "filefrag", "setsid")) {
            assumeTrue(Exec.which(tool).isPresent(), "needs " + tool);
        }
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/events/ext4")), "needs tracefs with ext4 events");
        boolean tc = Exec.which("trace-cmd").isPresent();
        boolean perf = Exec.which("perf").isPresent();
        assumeTrue(tc || perf, "needs trace-cmd or perf (apt-get install trace-cmd / linux-perf)");

        Path img = tmp.resolve("fs.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(FS_BYTES);
        }
        String loop = null;
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        boolean mounted = false;
        try {
            Exec.Result r = Exec.run(List.of("losetup", "-f", "--show", img.toString()), java.time.Duration.ofSeconds(30));
            assumeTrue(r.rc() == 0, "losetup failed: " + r.output());
            loop = r.output().strip();
            sh("mkfs.ext4", "-q", "-F", "-b", "4096", "-E", "lazy_itable_init=0,lazy_journal_init=0,nodiscard", loop);
            sh("mount", "-t", "ext4", loop, mnt.toString());
            mounted = true;

            Path out = tmp.resolve("cap");
            String workload = "set -e; cd " + mnt + "; "
                    + "dd if=/dev/zero of=dio bs=256k count=4 oflag=direct status=none; "
                    + "for i in 1 2 3 4 5 6; do dd if=/dev/zero of=small$i bs=4k count=$i conv=fsync status=none; done; "
                    + "fallocate -l 2M falloc; "
                    + "dd if=/dev/zero of=buf bs=64k count=8 status=none; sync buf; "
                    + "rm small2 small4 falloc";
            StringWriter outText = new StringWriter(), errText = new StringWriter();
            List<String> args = new ArrayList<>(List.of("record", "--device", loop, "--out", out.toString(),
                    "--tracer", tc && perf ? "both" : tc ? "trace-cmd" : "perf", "--buffer-kb", "8192",
                    "--comm", "dd", "--comm", "fallocate", "--image", "--fiemap", mnt.resolve("dio").toString(),
                    mnt.resolve("buf").toString(), mnt.resolve("small1").toString(), "--", "sh", "-c", workload));
            int rc = Main.run(args.toArray(String[]::new), new PrintWriter(outText, true),
                    new PrintWriter(errText, true));
            String err = errText.toString();
            assertThat(rc).as(err).isZero();
            assertThat(err).doesNotContain("LOST", "cannot be read back", "WARNING");

            // ---- the folder's files, as the replay and report look for them
            for (String f : List.of("meta.txt", "dumpe2fs-before.txt", "dumpe2fs-after.txt", "events.txt",
                    "trace-stats.txt", "fiemap.csv", "formats/header_page",
                    "formats/ext4/ext4_request_blocks/format", "formats/jbd2/jbd2_start_commit/format")) {
                assertThat(out.resolve(f)).as(f).isRegularFile();
            }
            CaptureFolder cf = CaptureFolder.open(out);
            Map<String, String> majmin = devNumbers(loop);
            int devT = Integer.parseInt(majmin.get("major")) << 20 | Integer.parseInt(majmin.get("minor"));
            assertThat(cf.traceDev()).contains(devT);
            assertThat(cf.kernelRelease()).contains(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
            assertThat(cf.metaValue("command_rc")).contains("0");
            assertThat(cf.metaValue("lost_events")).contains("0");
            assertThat(cf.metaValue("sysfs.mb_group_prealloc")).isPresent();
            assertThat(cf.metaValue("queue.rotational")).isPresent();
            assertThat(Files.readString(out.resolve("events.txt")))
                    .contains("ext4:ext4_allocate_blocks dev == " + devT, "jbd2:jbd2_end_commit dev == " + devT,
                            "syscalls:sys_enter_fallocate comm == \"dd\" || comm == \"fallocate\"");

            // ---- initial state: the geometry mkfs was asked for, and the header's free count
            FsState fs = FsStateLoader.fromDumpe2fs(cf.dumpe2fs().orElseThrow());
            assertThat(fs.geometry().blockSize()).isEqualTo(4096);
            assertThat(fs.geometry().blocksCount()).isEqualTo(FS_BYTES / 4096);
            Matcher free = Pattern.compile("(?m)^Free blocks:\\s+(\\d+)")
                    .matcher(Files.readString(out.resolve("dumpe2fs-before.txt")));
            assertThat(free.find()).isTrue();
            assertThat(fs.totalFreeClusters()).isEqualTo(Long.parseLong(free.group(1)));
            // the e2image -r metadata image (taken in the same freeze) holds the same bitmaps
            FsState fromImage = FsStateLoader.fromImage(cf.image().orElseThrow());
            assertThat(fromImage.totalFreeClusters()).isEqualTo(fs.totalFreeClusters());
            for (int g = 0; g < fs.geometry().groupCount(); g++) {
                assertThat(fromImage.clusterBitmap(g)).as("group %d", g).isEqualTo(fs.clusterBitmap(g));
            }

            // ---- every trace of the folder: allocator, jbd2 and syscall events, nothing lost
            Map<Long, List<long[]>> allocatedByIno = new TreeMap<>();
            assertThat(cf.traces()).isNotEmpty();
            for (Path trace : cf.traces()) {
                Map<String, Long> counts = new TreeMap<>();
                try (TraceReader rd = Traces.open(trace)) {
                    TraceEvent e;
                    while ((e = rd.next()) != null) {
                        counts.merge(e.name(), 1L, Long::sum);
                        if (e instanceof TraceEvent.AllocateBlocks a) {
                            assertThat(a.dev()).isEqualTo(devT);
                            allocatedByIno.computeIfAbsent(a.ino(), k -> new ArrayList<>())
                                    .add(new long[] {a.block(), a.len()});
                        }
                    }
                    assertThat(rd.stats().lostEvents()).as(trace + " lost").isZero();
                }
                assertThat(counts).as(trace.toString()).containsKeys("ext4_request_blocks", "ext4_allocate_blocks",
                        "ext4_mballoc_alloc", "jbd2_start_commit", "jbd2_end_commit", "sys_enter_fallocate",
                        "iomap_dio_rw_begin", "ext4_free_blocks");
            }

            // ---- the final layout (kernel FIEMAP) lies inside blocks the trace saw allocated
            List<String> fiemap = Files.readAllLines(out.resolve("fiemap.csv"));
            assertThat(fiemap.get(0)).isEqualTo(Fiemap.HEADER);
            long dioBytes = 0;
            for (String row : fiemap.subList(1, fiemap.size())) {
                String[] c = row.split(",", -1);
                assertThat(c[2]).as(row).isNotEqualTo("-1");
                long ino = Long.parseLong(c[1]), phys = Long.parseLong(c[4]) / 4096, len = Long.parseLong(c[5]) / 4096;
                if (c[0].equals("dio")) {
                    dioBytes += Long.parseLong(c[5]);
                }
                List<long[]> got = allocatedByIno.getOrDefault(ino, List.of());
                for (long b = phys; b < phys + len; b++) {
                    long blk = b;
                    assertThat(got.stream().anyMatch(x -> blk >= x[0] && blk < x[0] + x[1]))
                            .as("block %d of %s allocated in the trace", blk, row).isTrue();
                }
            }
            assertThat(dioBytes).isEqualTo(1L << 20);

            // ---- the replay runs over the recorded folder
            ReplayEngine engine = Replays.engine(cf, ReplayOptions.defaults());
            try (TraceReader rd = Traces.open(cf.trace().orElseThrow())) {
                TraceEvent e;
                while ((e = rd.next()) != null) {
                    engine.accept(e);
                }
            }
            ReplayResult res = engine.finish();
            assertThat(res.allocations()).as(res.toString()).isPositive();

            // ---- nothing left behind: no tracefs instance, no child process, fs writable (thawed)
            try (Stream<Path> s = Files.list(Path.of("/sys/kernel/tracing/instances"))) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mbscope-"))
                        .filter(n -> n.endsWith("-" + ProcessHandle.current().pid())
                                || n.endsWith("-" + ProcessHandle.current().pid() + "-probe"))).isEmpty();
            }
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
            Files.writeString(mnt.resolve("after"), "thawed");
        } finally {
            if (mounted) {
                Exec.run(List.of("umount", mnt.toString()), java.time.Duration.ofSeconds(60));
            }
            if (loop != null) {
                Exec.run(List.of("losetup", "-d", loop), java.time.Duration.ofSeconds(30));
            }
        }
    }

    /** Clear refusals before anything is started: no tracer, no instance, no folder. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void refusesWhatItCannotRecord(@TempDir Path tmp) throws Exception {
        assumeTrue(isRoot(), "needs root");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "needs loop devices");
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/instances")), "needs tracefs");
        for (String tool : List.of("losetup", "mkfs.ext4", "mount", "umount")) {
            assumeTrue(Exec.which(tool).isPresent(), "needs " + tool);
        }
        assertThat(refusal("--device", "/dev/null", "--out", tmp.resolve("a").toString(), "--", "true"))
                .contains("not a block device");
        assertThat(refusal("--device", "/dev/loop-control", "--tracer", "ftrace", "--", "true"))
                .contains("--tracer must be trace-cmd, perf or both");
        Path img = tmp.resolve("fs.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        String loop = null;
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        boolean mounted = false;
        try {
            Exec.Result r = Exec.run(List.of("losetup", "-f", "--show", img.toString()), java.time.Duration.ofSeconds(30));
            assumeTrue(r.rc() == 0, "losetup failed: " + r.output());
            loop = r.output().strip();
            if (Exec.which("mkfs.ext2").isPresent()) {
                sh("mkfs.ext2", "-q", "-F", loop);
                sh("mount", loop, mnt.toString());
                try {
                    assertThat(refusal("--device", loop, "--out", tmp.resolve("e2").toString(), "--", "true"))
                            .contains("holds ext2", "not ext4");
                } finally {
                    sh("umount", mnt.toString());
                }
            }
            sh("mkfs.ext4", "-q", "-F", loop);
            assertThat(refusal("--device", loop, "--out", tmp.resolve("b").toString(), "--", "true"))
                    .contains("is not mounted");
            sh("mount", "-t", "ext4", loop, mnt.toString());
            mounted = true;
            assertThat(refusal("--device", loop, "--out", mnt.resolve("cap").toString(), "--", "true"))
                    .contains("is on the traced device");
            assertThat(mnt.resolve("cap")).doesNotExist();
            Files.createDirectories(tmp.resolve("full"));
            Files.writeString(tmp.resolve("full/x"), "x");
            assertThat(refusal("--device", loop, "--out", tmp.resolve("full").toString(), "--", "true"))
                    .contains("is not empty");
        } finally {
            if (mounted) {
                Exec.run(List.of("umount", mnt.toString()), java.time.Duration.ofSeconds(60));
            }
            if (loop != null) {
                Exec.run(List.of("losetup", "-d", loop), java.time.Duration.ofSeconds(30));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("/sys/kernel/tracing/instances"))) {
            assertThat(s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("mbscope-" + ProcessHandle.current().pid()))).isEmpty();
        }
    }

    /** Runs record expecting the usage exit code (2); returns stderr. */
    private static String refusal(String... args) {
        StringWriter errText = new StringWriter();
        List<String> a = new ArrayList<>(List.of("record"));
        a.addAll(List.of(args));
        int rc = Main.run(a.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(errText, true));
        assertThat(rc).as(errText.toString()).isEqualTo(Main.EXIT_USAGE);
        return errText.toString();
    }

    private static Map<String, String> devNumbers(String loop) throws IOException {
        String name = Path.of(loop).getFileName().toString();
        String[] mm = Files.readString(Path.of("/sys/class/block", name, "dev")).strip().split(":");
        return Map.of("major", mm[0], "minor", mm[1]);
    }

    private static void sh(String... cmd) throws IOException {
        Exec.Result r = Exec.run(List.of(cmd), java.time.Duration.ofMinutes(2));
        if (r.rc() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.output());
        }
    }

    private static boolean isRoot() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (l.startsWith("Uid:")) {
                return l.substring(4).trim().split("\\s+")[1].equals("0");
            }
        }
        return false;
    }
}
