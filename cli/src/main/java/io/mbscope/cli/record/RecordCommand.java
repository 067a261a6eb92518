package io.mbscope.cli.record;

import io.mbscope.cli.record.EventPlan.EventSpec;
import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mbscope record}: runs a command while tracing the ext4 allocator on one device, and writes
 * a capture folder laid out like sample-traces/&lt;name&gt;/ that replay, atomic and report take as is.
 */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trace the ext4 block allocator on one device while COMMAND runs, into a replayable "
                + "capture folder (meta.txt, dumpe2fs-before.txt, formats/, events.txt, trace.dat and/or "
                + "perf.data, trace-stats.txt, fiemap.csv). Needs root. Exits with COMMAND's exit status.",
                "The fs must be mounted; the capture folder must not be on it."},
        footerHeading = "%nExamples:%n",
        footer = {"  mbscope record --device /dev/loop0 -- dd if=/dev/zero of=/mnt/f bs=1M count=64 oflag=direct",
                "  mbscope record --device /dev/sdb1 --tracer perf --out cap1 --fiemap /mnt/db/*.ibd -- ./bench.sh",
                "%nSee docs/capturing.md for the same steps by hand."})
public final class RecordCommand implements Callable<Integer> {
    static final Path SYS_BLOCK = Path.of("/sys/class/block");
    static final Path SYS_EXT4 = Path.of("/sys/fs/ext4");
    /** Queue limits written as queue.NAME= (the corpus set: block size, atomic write limits, rotational). */
    static final List<String> QUEUE_FILES = List.of("logical_block_size", "physical_block_size", "max_sectors_kb",
            "atomic_write_unit_min_bytes", "atomic_write_unit_max_bytes", "atomic_write_max_bytes",
            "atomic_write_boundary_bytes", "dax", "rotational");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    @Option(names = "--device", required = true, paramLabel = "DEV", description = "block device of the mounted ext4 fs")
    Path device;

    @Option(names = "--out", paramLabel = "DIR",
            description = "capture folder to create (must not exist or be empty; default mbscope-DEV-TIME)")
    Path out;

    @Option(names = "--tracer", defaultValue = "trace-cmd", paramLabel = "TRACER",
            description = "trace-cmd, perf or both (default: ${DEFAULT-VALUE}); trace-cmd falls back to perf "
                    + "where the kernel forbids the function tracer (some VMs)")
    String tracer;

    @Option(names = "--buffer-kb", defaultValue = "32768", paramLabel = "N",
            description = "ring buffer per CPU in KiB, trace-cmd -b and perf -m (default: ${DEFAULT-VALUE})")
    int bufferKb;

    @Option(names = "--fiemap", arity = "1..*", paramLabel = "FILE",
            description = "files whose final extents (FIEMAP) go to fiemap.csv")
    List<Path> fiemapFiles = new ArrayList<>();

    @Option(names = "--comm", paramLabel = "NAME",
            description = "task name whose write/fallocate syscalls are traced (repeatable; default: COMMAND's)")
    List<String> comms = new ArrayList<>();

    @Option(names = "--image", description = "also save an e2image -r metadata image (image-before.img)")
    boolean image;

    @Option(names = "--no-freeze", description = "do not fsfreeze the fs around dumpe2fs (the on-disk bitmaps "
            + "may then lag the journal)")
    boolean noFreeze;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the command to trace (after --)")
    List<String> command = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        boolean wantTc = tracer.equals("trace-cmd") || tracer.equals("both");
        boolean wantPerf = tracer.equals("perf") || tracer.equals("both");
        if (!wantTc && !wantPerf) {
            throw new IllegalArgumentException("--tracer must be trace-cmd, perf or both, not '" + tracer + "'");
        }
        if (bufferKb < 64 || bufferKb > (4 << 20)) {
            throw new IllegalArgumentException("--buffer-kb must be between 64 and 4194304, not " + bufferKb);
        }
        checkRoot();
        List<Mounts.Mount> table = Mounts.current();
        Tracefs tfs = Tracefs.find(table).orElseThrow(() -> new IllegalArgumentException(
                "tracefs is not mounted; mount it with: mount -t tracefs nodev /sys/kernel/tracing"));
        if (!Files.isDirectory(tfs.root().resolve("instances"))) {
            throw new IllegalArgumentException("this kernel's tracefs (" + tfs.root() + ") has no instances/");
        }
        BlockDevice dev = BlockDevice.resolve(device, SYS_BLOCK);
        Mounts.Mount mount = Mounts.of(dev, table).orElseThrow(() -> new IllegalArgumentException(device
                + " (" + dev.name() + ", " + dev.majmin() + ") is not mounted; mount the ext4 fs first"));
        if (!mount.fsType().equals("ext4")) {
            throw new IllegalArgumentException(device + " holds " + mount.fsType() + " (mounted on "
                    + mount.mountPoint() + "), not ext4");
        }
        Path dumpe2fs = Exec.require("dumpe2fs", "for the initial fs state");
        Path e2image = image ? Exec.require("e2image", "for --image") : null;
        Path filefrag = fiemapFiles.isEmpty() ? null : Exec.require("filefrag", "for --fiemap");
        Path tc = null, perf = null;
        String tracerNote = "";
        if (wantTc) {
            tc = Exec.which("trace-cmd").orElse(null);
            if (tc == null) {
                throw new IllegalArgumentException("trace-cmd is not installed; on Debian/Ubuntu: apt-get install "
                        + "trace-cmd (or use --tracer perf: apt-get install linux-perf)");
            }
        }
        if (wantPerf || wantTc) {
            perf = Exec.which("perf").orElse(null);
            if (wantPerf && perf == null) {
                throw new IllegalArgumentException("perf is not installed; on Debian: apt-get install linux-perf "
                        + "(Ubuntu: linux-tools-$(uname -r))");
            }
        }
        String instance = "mbscope-" + ProcessHandle.current().pid();
        if (wantTc && !tfs.functionTracerFilesWritable(instance + "-probe")) {
            String why = "this kernel forbids the function tracer (EPERM on instances/*/set_ftrace_filter, "
                    + "typical of VMs such as Firecracker), and trace-cmd record dies clearing those files "
                    + "even when it records only events";
            if (perf == null) {
                throw new IllegalArgumentException(why + "; install perf (apt-get install linux-perf) and use "
                        + "--tracer perf, or see docs/capturing.md for the LD_PRELOAD work-around");
            }
            tracerNote = "trace-cmd_unusable_here:_function_tracer_forbidden;_recorded_with_perf";
            err.println("mbscope record: NOTE: " + why + ". Recording with perf instead (perf.data).");
            wantTc = false;
            wantPerf = true;
            tc = null;
        }
        Path perfFallback = perf;
        if (!wantPerf) {
            perf = null;
        }
        if (out == null) {
            out = Path.of("mbscope-" + dev.name() + "-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        }
        prepareOut(out, dev);
        List<String> taskNames = comms.isEmpty() ? List.of(EventPlan.commOf(command.get(0))) : comms;

        Cleanup cleanup = new Cleanup(err);
        cleanup.installShutdownHook();
        try {
            return capture(cleanup, tfs, dev, mount, dumpe2fs, e2image, filefrag, tc, perf, perfFallback, instance,
                    taskNames, tracerNote, t0);
        } finally {
            cleanup.close();
        }
    }

    private int capture(Cleanup cleanup, Tracefs tfs, BlockDevice dev, Mounts.Mount mount, Path dumpe2fs,
            Path e2image, Path filefrag, Path tc, Path perf, Path perfFallback, String instance,
            List<String> taskNames, String tracerNote, long t0) throws Exception {
        Path mnt = mount.mountPoint();
        // ---- before: what the replay starts from
        MetaTxt meta = new MetaTxt();
        meta.put("record_tool", "mbscope-record");
        meta.put("uname", Exec.firstLine(List.of("uname", "-a")));
        meta.put("uname_r", MetaTxt.firstLine(Files.readString(Path.of("/proc/sys/kernel/osrelease"))));
        meta.put("date_utc", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS)));
        meta.putDevice(dev);
        meta.put("mkfs_opts", "unknown");
        meta.put("mount_opts", mount.options());
        meta.put("mount_point", mnt);
        Map<String, Object> buf = new LinkedHashMap<>();
        buf.put("buffer_size_kb_per_cpu", bufferKb);
        buf.put("trace_clock", "mono");
        buf.put("perf_clockid", "mono");
        meta.putLine(buf);
        meta.put("ncpus", cpuCount());
        Path queue = dev.queueDir(SYS_BLOCK);
        for (String q : QUEUE_FILES) {
            String v = Tracefs.readQuietly(queue.resolve(q));
            if (v != null) {
                meta.put("queue." + q, v);
            }
        }
        if (tc != null) {
            meta.putText("trace_cmd", versionLine(List.of(tc.toString(), "--version")));
        }
        if (perf != null) {
            meta.putText("perf", versionLine(List.of(perf.toString(), "--version")));
        }
        meta.put("tracer", tc != null && perf != null ? "both" : tc != null ? "trace-cmd" : "perf");
        if (!tracerNote.isEmpty()) {
            meta.put("tracer_note", tracerNote);
        }
        meta.put("proc_mounts", procMountsLine(mnt));
        meta.put("syscall_comm", String.join(",", taskNames));
        meta.putSysfs(SYS_EXT4.resolve(dev.name()));
        meta.write(out.resolve("meta.txt"));
        Files.writeString(out.resolve("command.txt"), String.join(" ", command) + "\n");

        dumpState(cleanup, mnt, dev, dumpe2fs, "dumpe2fs-before.txt", e2image);

        // ---- events
        List<EventSpec> events = EventPlan.resolve(tfs.events(), dev, taskNames);
        List<String> ids = events.stream().map(EventSpec::id).toList();
        for (String r : EventPlan.REQUIRED) {
            if (!ids.contains(r)) {
                throw new IllegalArgumentException("this kernel has no " + r + " tracepoint under " + tfs.events()
                        + " (CONFIG_FTRACE/CONFIG_EXT4_FS tracepoints missing?)");
            }
        }
        Files.write(out.resolve("events.txt"), events.stream().map(EventSpec::line).toList());
        tfs.copyFormats(out.resolve("formats"), events);

        // ---- start the tracers; each one's stop step is registered before it starts
        Process tcProc = null, perfProc = null;
        PerfControl ctl = null;
        if (tc != null) {
            List<String> args = TracerArgs.traceCmdRecord(tc.toString(), out.resolve("trace.dat"), instance,
                    bufferKb, events);
            Files.writeString(out.resolve("trace-cmd-cmdline.txt"), TracerArgs.display(args) + "\n");
            cleanup.add("remove tracefs instance " + instance, () -> tfs.removeInstance(instance));
            tcProc = new ProcessBuilder(inOwnGroup(args)).redirectErrorStream(true)
                    .redirectOutput(out.resolve("trace-cmd-record.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            cleanup.add("stop trace-cmd", Cleanup.stopChild("trace-cmd", Cleanup.ofGroup(tcProc), STOP_GRACE, err));
            if (!waitTraceCmd(tcProc, tfs, instance, events)) {
                String log = Files.readString(out.resolve("trace-cmd-record.log"));
                String msg = (tcProc.isAlive() ? "trace-cmd record did not start tracing within "
                        + READY_TIMEOUT.toSeconds() + " s" : "trace-cmd record exited with " + tcProc.exitValue()
                        + " before tracing started") + ": " + log.strip().replace('\n', ' ');
                cleanup.runNow("stop trace-cmd");
                cleanup.runNow("remove tracefs instance " + instance);
                tcProc = null;
                deleteTraceCmdLeftovers();
                if (perf == null && perfFallback == null) {
                    throw new IOException(msg);
                }
                // same fallback as for a forbidden function tracer: perf needs no ftrace instance
                err.println("mbscope record: NOTE: " + msg + "; recording with perf " + (perf == null ? "instead"
                        : "only") + " (perf.data).");
                meta.set("tracer", "perf");
                meta.set("tracer_note", "trace-cmd_failed_to_start;_recorded_with_perf");
                meta.write(out.resolve("meta.txt"));
                perf = perfFallback;
            }
        }
        if (perf != null) {
            ctl = PerfControl.create();
            PerfControl c = ctl;
            cleanup.add("remove perf control fifos", c::close);
            List<String> args = TracerArgs.perfRecord(perf.toString(), out.resolve("perf.data"), bufferKb, ctl.ctl(),
                    ctl.ack(), events);
            Files.writeString(out.resolve("perf-cmdline.txt"), TracerArgs.display(args) + "\n");
            perfProc = new ProcessBuilder(inOwnGroup(args)).redirectErrorStream(true)
                    .redirectOutput(out.resolve("perf-record.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            cleanup.add("stop perf", Cleanup.stopChild("perf", Cleanup.ofGroup(perfProc), STOP_GRACE, err));
            Process p = perfProc;
            if (!ctl.enable(READY_TIMEOUT, p::isAlive)) {
                String log = Files.readString(out.resolve("perf-record.log"));
                throw new IOException("perf record did not enable its events within " + READY_TIMEOUT.toSeconds()
                        + " s" + (p.isAlive() ? "" : " (exit " + p.exitValue() + ")") + ": "
                        + log.strip().replace('\n', ' '));
            }
        }

        // ---- the command
        err.println("mbscope record: tracing " + events.size() + " events on " + dev.path() + " (" + dev.majmin()
                + ", dev_t " + dev.kernelDevTHex() + ") with " + (tcProc != null ? "trace-cmd" : "")
                + (tcProc != null && perfProc != null ? " and " : "") + (perfProc != null ? "perf" : "")
                + "; running: " + String.join(" ", command));
        long c0 = System.nanoTime();
        Process cmd = new ProcessBuilder(command).inheritIO().start();
        cleanup.add("stop command", () -> stopCommand(cmd));
        int rc = cmd.waitFor();
        if (cleanup.interrupted()) {
            // Ctrl-C / SIGTERM: the shutdown hook is stopping everything; the capture is incomplete
            Thread.sleep(Long.MAX_VALUE);
        }
        long cmdWall = System.nanoTime() - c0;
        // Delayed allocation happens at writeback: flush it while the tracers still run, or the
        // blocks the command wrote would be allocated after the trace ends. syncfs also forces the
        // jbd2 commit that makes this run's freed blocks reusable.
        Exec.Result sync = Exec.run(List.of("sync", "-f", mnt.toString()), Duration.ofMinutes(10));
        if (sync.rc() != 0) {
            err.println("mbscope record: WARNING: sync -f " + mnt + " failed: " + sync.output().strip());
        }
        if (filefrag != null) {
            writeFiemap(filefrag, mnt);
        }

        // ---- stop the tracers (SIGINT: each writes out what it still buffers)
        if (perfProc != null) {
            cleanup.runNow("stop perf");
            cleanup.runNow("remove perf control fifos");
        }
        if (tcProc != null) {
            cleanup.runNow("stop trace-cmd");
            cleanup.runNow("remove tracefs instance " + instance);
        }
        StringBuilder stats = new StringBuilder();
        long lost = 0;
        List<String> problems = new ArrayList<>();
        if (tcProc != null) {
            int tcRc = tcProc.waitFor();
            if (tcRc != 0) {
                problems.add("trace-cmd record exited with " + tcRc + " (see trace-cmd-record.log)");
            }
            Exec.Result r = Exec.run(List.of(tc.toString(), "report", "--stat", "-i", out.resolve("trace.dat")
                    .toString()), Duration.ofMinutes(5));
            RingStats rs = RingStats.parse(r.output());
            stats.append("# trace-cmd report --stat (ring buffer statistics stored in trace.dat)\n")
                    .append(r.output().strip()).append("\n");
            lost += rs.lost();
            stats.append("# ring buffer: overrun=").append(rs.overrun()).append(" commit_overrun=")
                    .append(rs.commitOverrun()).append(" dropped=").append(rs.dropped()).append('\n');
            lost += readBack(out.resolve("trace.dat"), stats, problems);
        }
        if (perfProc != null) {
            int perfRc = perfProc.waitFor();
            // 130: perf re-raises the SIGINT it was stopped with
            if (perfRc != 0 && perfRc != 130) {
                problems.add("perf record exited with " + perfRc + " (see perf-record.log)");
            }
            lost += readBack(out.resolve("perf.data"), stats, problems);
        }
        Files.writeString(out.resolve("trace-stats.txt"), stats.toString());

        // ---- after
        dumpState(cleanup, mnt, dev, dumpe2fs, "dumpe2fs-after.txt", null);
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("command_rc", rc);
        done.put("command_wall_s", String.format(java.util.Locale.ROOT, "%.3f", cmdWall / 1e9));
        meta.putLine(done);
        meta.put("lost_events", lost);
        meta.put("capture_wall_s", String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
        meta.write(out.resolve("meta.txt"));
        for (String p : problems) {
            err.println("mbscope record: WARNING: " + p);
        }
        if (lost > 0) {
            err.println("mbscope record: ***********************************************************");
            err.println("mbscope record: *** " + lost + " EVENTS WERE LOST: the replay of this capture cannot be");
            err.println("mbscope record: *** exact. Re-record with a bigger --buffer-kb (now " + bufferKb + ")");
            err.println("mbscope record: *** or a shorter workload; see trace-stats.txt, docs/capturing.md.");
            err.println("mbscope record: ***********************************************************");
        }
        err.println("mbscope record: capture in " + out + " (command exit status " + rc + ")");
        return rc;
    }

    /**
     * Stops COMMAND and what it started: a shell's children are not in a group of their own (COMMAND
     * shares the terminal's group so that Ctrl-C reaches it), so they are found as descendants.
     */
    private static void stopCommand(Process cmd) throws InterruptedException {
        List<ProcessHandle> tree = cmd.descendants().toList();
        if (cmd.isAlive()) {
            cmd.destroy();
        }
        tree.forEach(ProcessHandle::destroy);
        if (!cmd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            cmd.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    /** Reads a trace back with mbscope's own reader: proves it is readable, counts events and lost. */
    private long readBack(Path trace, StringBuilder stats, List<String> problems) {
        if (!Files.isRegularFile(trace)) {
            problems.add(trace.getFileName() + " was not written");
            return 0;
        }
        long n = 0, alloc = 0;
        try (TraceReader r = Traces.open(trace)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                n++;
                if (e instanceof TraceEvent.AllocateBlocks) {
                    alloc++;
                }
            }
            ReadStats s = r.stats();
            stats.append("# mbscope read-back of ").append(trace.getFileName()).append(": events=").append(n)
                    .append(" ext4_allocate_blocks=").append(alloc).append(" lost=").append(s.lostEvents())
                    .append(" skipped=").append(s.skippedTotal()).append('\n');
            err.println("mbscope record: " + trace.getFileName() + ": " + n + " events (" + alloc
                    + " block allocations), " + s.lostEvents() + " lost");
            return s.lostEvents();
        } catch (IOException | RuntimeException ex) {
            problems.add(trace.getFileName() + " cannot be read back: " + ex.getMessage());
            return 0;
        }
    }

    /**
     * dumpe2fs (and e2image) of the fs while it is frozen: freezing makes ext4 commit and checkpoint
     * its journal (ext4_freeze -> jbd2_journal_flush), so the on-disk bitmaps dumpe2fs reads are
     * current rather than behind the journal.
     */
    private void dumpState(Cleanup cleanup, Path mnt, BlockDevice dev, Path dumpe2fs, String name, Path e2image)
            throws IOException {
        boolean frozen = false;
        if (!noFreeze) {
            Path fsfreeze = Exec.which("fsfreeze").orElse(null);
            if (fsfreeze == null) {
                err.println("mbscope record: WARNING: fsfreeze (util-linux) not found; dumping without freezing");
            } else {
                cleanup.add("thaw " + mnt, () -> Exec.run(List.of(fsfreeze.toString(), "-u", mnt.toString()),
                        Duration.ofSeconds(30)));
                Exec.Result r = Exec.run(List.of(fsfreeze.toString(), "-f", mnt.toString()), Duration.ofMinutes(5));
                frozen = r.rc() == 0;
                if (!frozen) {
                    cleanup.runNow("thaw " + mnt);
                    err.println("mbscope record: WARNING: fsfreeze -f " + mnt + " failed (" + r.output().strip()
                            + "); dumping without freezing");
                }
            }
        }
        try {
            int rc = Exec.runTo(List.of(dumpe2fs.toString(), dev.path().toString()), out.resolve(name),
                    Duration.ofMinutes(10));
            if (rc != 0) {
                throw new IOException("dumpe2fs " + dev.path() + " failed (exit " + rc + "), see " + out.resolve(name));
            }
            if (e2image != null) {
                // -f: e2image refuses a mounted fs as possibly inconsistent; frozen, it is consistent
                Exec.Result r = Exec.run(List.of(e2image.toString(), "-r", "-f", dev.path().toString(),
                        out.resolve("image-before.img").toString()), Duration.ofMinutes(30));
                if (r.rc() != 0) {
                    throw new IOException("e2image -r failed: " + r.output().strip());
                }
            }
        } finally {
            if (frozen) {
                cleanup.runNow("thaw " + mnt);
            }
        }
    }

    private void writeFiemap(Path filefrag, Path mnt) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add(Fiemap.HEADER);
        for (Path f : fiemapFiles) {
            if (!Files.isRegularFile(f)) {
                err.println("mbscope record: WARNING: --fiemap " + f + " is not a regular file; skipped");
                continue;
            }
            Exec.Result r = Exec.run(List.of(filefrag.toString(), "-v", "-b1", f.toString()), Duration.ofMinutes(5));
            if (r.rc() != 0) {
                err.println("mbscope record: WARNING: filefrag " + f + " failed: " + r.output().strip());
                continue;
            }
            long ino = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
            Path abs = f.toAbsolutePath().normalize();
            String name = abs.startsWith(mnt) ? mnt.relativize(abs).toString() : f.toString();
            rows.addAll(Fiemap.csvRows(name, ino, Fiemap.parseFilefrag(r.output())));
        }
        Files.write(out.resolve("fiemap.csv"), rows);
    }

    /**
     * setsid(1) makes the tracer lead its own process group (it execs in place, as a child of the
     * JVM is never a group leader), so cleanup can signal all its processes, and a Ctrl-C on the
     * terminal reaches only mbscope, which then stops the tracers in order.
     */
    private static List<String> inOwnGroup(List<String> args) {
        Path setsid = Exec.which("setsid").orElseThrow(() -> new IllegalArgumentException(
                "setsid is not installed; on Debian/Ubuntu: apt-get install util-linux"));
        List<String> a = new ArrayList<>();
        a.add(setsid.toString());
        a.addAll(args);
        return a;
    }

    /** trace.dat and trace-cmd's per-CPU temp files (trace.dat.INSTANCE.cpuN) of a failed start. */
    private void deleteTraceCmdLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("trace.dat")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private boolean waitTraceCmd(Process p, Tracefs tfs, String instance, List<EventSpec> events)
            throws InterruptedException {
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                return false;
            }
            if (tfs.instanceLive(instance, events)) {
                // trace-cmd enables tracing_on last, after its readers are set up
                Thread.sleep(200);
                return p.isAlive();
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void prepareOut(Path dir, BlockDevice dev) throws IOException {
        if (Mounts.isOnDevice(dir, dev)) {
            throw new IllegalArgumentException("the capture folder " + dir + " is on the traced device " + device
                    + ": writing the trace there would change the allocations it records; use --out elsewhere");
        }
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--out " + dir + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty");
                }
            }
        }
        Files.createDirectories(dir);
    }

    private static void checkRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                if (f.length > 1 && !f[1].equals("0")) {
                    throw new IllegalArgumentException("mbscope record must run as root (it uses tracefs, perf "
                            + "system-wide, fsfreeze and the raw device); try: sudo ./mbscope record ...");
                }
                return;
            }
        }
    }

    private static int cpuCount() throws IOException {
        int n = 0;
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
            if (l.startsWith("processor")) {
                n++;
            }
        }
        return n == 0 ? Runtime.getRuntime().availableProcessors() : n;
    }

    private static String versionLine(List<String> cmd) {
        try {
            for (String l : Exec.run(cmd, Duration.ofSeconds(20)).output().split("\n")) {
                if (l.toLowerCase(java.util.Locale.ROOT).contains("version")) {
                    return l.strip();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** The /proc/mounts line of the mount point, as the corpus keeps it (proc_mounts=...). */
    private static String procMountsLine(Path mnt) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8)) {
            String[] f = l.split(" ");
            if (f.length > 2 && Path.of(Mounts.unescape(f[1])).equals(mnt)) {
                return l;
            }
        }
        return "";
    }
}
