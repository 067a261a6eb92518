package io.mbscope.cli.record;

import io.mbscope.cli.record.EventPlan.EventSpec;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The tracefs mount: instances, event formats, and what the kernel lets us do there. */
final class Tracefs {
    private final Path root;

    Tracefs(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path events() {
        return root.resolve("events");
    }

    Path instance(String name) {
        return root.resolve("instances").resolve(name);
    }

    /** The tracefs mount point from the mount table, else /sys/kernel/tracing or debugfs' tracing/. */
    static Optional<Tracefs> find(List<Mounts.Mount> table) {
        for (Mounts.Mount m : table) {
            if (m.fsType().equals("tracefs") && Files.isDirectory(m.mountPoint().resolve("events"))) {
                return Optional.of(new Tracefs(m.mountPoint()));
            }
        }
        for (String p : List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing")) {
            if (Files.isDirectory(Path.of(p, "events"))) {
                return Optional.of(new Tracefs(Path.of(p)));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether an instance's function-tracer files can be opened for writing. Some hypervisors
     * (Firecracker guests here) forbid the function tracer: every instance's set_ftrace_filter
     * returns EPERM, and trace-cmd 3.1 record dies while clearing it even with -d and only events.
     * Probes in a throw-away instance; opening in append mode changes nothing.
     */
    boolean functionTracerFilesWritable(String probeName) throws IOException {
        Path inst = instance(probeName);
        Files.createDirectory(inst);
        try {
            Path f = inst.resolve("set_ftrace_filter");
            if (!Files.exists(f)) {
                return true; // kernel without CONFIG_DYNAMIC_FTRACE: trace-cmd does not touch it
            }
            try {
                new FileOutputStream(f.toFile(), true).close();
                return true;
            } catch (IOException e) {
                return false;
            }
        } finally {
            removeInstance(probeName);
        }
    }

    /** Stops and removes an instance if it exists (left behind by a trace-cmd that died). */
    void removeInstance(String name) throws IOException {
        Path inst = instance(name);
        if (!Files.isDirectory(inst)) {
            return;
        }
        writeQuietly(inst.resolve("tracing_on"), "0");
        writeQuietly(inst.resolve("events").resolve("enable"), "0");
        // rmdir of a tracefs instance frees its buffers; EBUSY while a reader still has a file open
        for (int i = 0; ; i++) {
            try {
                Files.delete(inst);
                return;
            } catch (IOException e) {
                if (i >= 50) {
                    throw new IOException("cannot remove tracefs instance " + inst + ": " + e.getMessage()
                            + " (remove it with: rmdir " + inst + ")", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while removing " + inst, ie);
                }
            }
        }
    }

    /** True when the instance traces and the given events are enabled in it. */
    boolean instanceLive(String name, List<EventSpec> events) {
        Path inst = instance(name);
        if (!"1".equals(readQuietly(inst.resolve("tracing_on")))) {
            return false;
        }
        for (EventSpec e : events) {
            String en = readQuietly(inst.resolve("events").resolve(e.group()).resolve(e.name()).resolve("enable"));
            if (en == null || !en.startsWith("1")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies what a reader needs to decode the events without the kernel: header_page,
     * header_event, every ext4 and iomap format (as the corpus does), the format of each enabled
     * event, and ftrace/print (trace_marker writes).
     */
    void copyFormats(Path formatsDir, List<EventSpec> events) throws IOException {
        Files.createDirectories(formatsDir);
        for (String h : List.of("header_page", "header_event")) {
            Path src = events().resolve(h);
            if (Files.isRegularFile(src)) {
                Files.write(formatsDir.resolve(h), Files.readAllBytes(src));
            }
        }
        for (String g : List.of("ext4", "iomap")) {
            Path gdir = events().resolve(g);
            if (!Files.isDirectory(gdir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(gdir)) {
                for (Path d : s.sorted().toList()) {
                    copyFormat(formatsDir, g, d.getFileName().toString());
                }
            }
        }
        for (EventSpec e : events) {
            copyFormat(formatsDir, e.group(), e.name());
        }
        copyFormat(formatsDir, "ftrace", "print");
    }

    private void copyFormat(Path formatsDir, String group, String name) throws IOException {
        Path src = events().resolve(group).resolve(name).resolve("format");
        if (!Files.isRegularFile(src)) {
            return;
        }
        Path dst = formatsDir.resolve(group).resolve(name);
        Files.createDirectories(dst);
        Files.write(dst.resolve("format"), Files.readAllBytes(src));
    }

    /** per_cpu/cpuN/stats of an instance, as "== cpuN" blocks like the corpus trace-stats.txt. */
    String perCpuStats(String name) throws IOException {
        Path pc = instance(name).resolve("per_cpu");
        StringBuilder b = new StringBuilder();
        if (!Files.isDirectory(pc)) {
            return "";
        }
        try (Stream<Path> s = Files.list(pc)) {
            for (Path c : s.sorted((x, y) -> Integer.compare(cpuNo(x), cpuNo(y))).toList()) {
                b.append("== ").append(c.getFileName()).append('\n');
                b.append(Files.readString(c.resolve("stats"), StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    private static int cpuNo(Path p) {
        String n = p.getFileName().toString().replaceAll("\\D", "");
        return n.isEmpty() ? -1 : Integer.parseInt(n);
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    static void writeQuietly(Path p, String v) {
        try {
            Files.writeString(p, v + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // best effort: the instance may already be gone
        }
    }
}
