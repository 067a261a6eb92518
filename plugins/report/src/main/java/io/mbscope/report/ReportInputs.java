package io.mbscope.report;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.SyscallHints;
import io.mbscope.replay.atomic.AtomicAnalyzer;
import io.mbscope.replay.atomic.AtomicContext;
import io.mbscope.replay.atomic.AtomicSummary;
import io.mbscope.replay.atomic.Policy;
import io.mbscope.replay.fs.CaptureFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the command line's FILE|FOLDER arguments into traces to read: a folder is a capture
 * folder (the layout of sample-traces/), from which the first trace found in {@link #TRACE_NAMES}
 * order is read, and its image-before.img(.zst) gives the initial free space.
 */
public final class ReportInputs {
    /** Preferred trace in a capture folder: the binary formats first, they carry the kernel release. */
    public static final List<String> TRACE_NAMES = List.of("trace.dat", "trace.dat.zst", "perf.data",
            "perf.data.zst", "trace-v6.dat", "trace-v6.dat.zst", "report.txt", "report.txt.zst", "trace.txt",
            "trace.txt.zst", "perf-script.txt", "perf-script.txt.zst");
    /** The fs as the trace started: the image, else dumpe2fs output with its group listing. */
    public static final List<String> IMAGE_NAMES = List.of("image-before.img", "image-before.img.zst",
            "dumpe2fs-before.txt");

    /**
     * One trace to report on; {@code image} is null when no fs image goes with it, {@code folder}
     * the capture folder (meta.txt, syscalls.csv, statx.txt, fiemap.csv) or null.
     */
    public record Input(Path trace, Path image, String label, Path folder) {
        public Input withoutFsImage() {
            return new Input(trace, null, label, folder);
        }
    }

    private ReportInputs() {
    }

    /**
     * @param labels empty, or one label per path
     * @throws IllegalArgumentException when a folder holds no trace or the labels do not match
     */
    public static List<Input> resolve(List<Path> paths, List<String> labels) {
        if (!labels.isEmpty() && labels.size() != paths.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + paths.size() + " inputs");
        }
        List<Path> traces = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                Path trace = first(p, TRACE_NAMES);
                if (trace == null) {
                    throw new IllegalArgumentException(p + ": no trace in the folder (looked for "
                            + String.join(", ", TRACE_NAMES) + ")");
                }
                traces.add(trace);
                images.add(first(p, IMAGE_NAMES));
                folders.add(p);
                names.add(name(p));
            } else {
                traces.add(p);
                Path dir = p.toAbsolutePath().getParent();
                boolean stdin = p.toString().equals("-");
                images.add(dir == null || stdin ? null : first(dir, IMAGE_NAMES));
                folders.add(dir == null || stdin || !Files.isRegularFile(dir.resolve("meta.txt")) ? null : dir);
                names.add(name(p));
            }
        }
        List<String> chosen = labels.isEmpty() ? unique(names, traces) : labels;
        Set<String> seen = new HashSet<>();
        for (String l : chosen) {
            if (l.isBlank() || !seen.add(l)) {
                throw new IllegalArgumentException("labels must be distinct and non-empty: " + chosen);
            }
        }
        List<Input> out = new ArrayList<>();
        for (int i = 0; i < traces.size(); i++) {
            out.add(new Input(traces.get(i), images.get(i), chosen.get(i), folders.get(i)));
        }
        return out;
    }

    private static String name(Path p) {
        Path f = p.toAbsolutePath().normalize().getFileName();
        return f == null ? p.toString() : f.toString();
    }

    /** Default labels: the folder or file name, with the parent folder when two would clash. */
    private static List<String> unique(List<String> names, List<Path> traces) {
        Map<String, Integer> n = new HashMap<>();
        for (String s : names) {
            n.merge(s, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String s = names.get(i);
            if (n.get(s) > 1) {
                Path parent = traces.get(i).toAbsolutePath().normalize().getParent();
                Path pn = parent == null ? null : parent.getFileName();
                if (pn != null && !s.equals(pn.toString())) {
                    s = pn + "/" + s;
                }
            }
            String base = s;
            for (int k = 2; !used.add(s); k++) {
                s = base + " #" + k;
            }
            out.add(s);
        }
        return out;
    }

    private static Path first(Path dir, List<String> names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Reads one trace. {@code progress} (may be null) gets a line on a terminal for large traces.
     * The fs image, when there is one, is loaded by {@code images}.
     */
    public static TraceData load(Input in, FsImages images, PrintStream progress) throws IOException {
        return load(in, images, progress, true);
    }

    /**
     * @param hints feed the capture's syscalls.csv to the replay (fsync/syncfs = journal commit,
     *              close = no writer), as {@code mbscope replay} does; false replays the trace alone
     */
    public static TraceData load(Input in, FsImages images, PrintStream progress, boolean hints)
            throws IOException {
        TraceCollector c = new TraceCollector(in.label());
        SyscallHints syscallHints = SyscallHints.none();
        TraceData d;
        AtomicAnalyzer atomic = null;
        ReplayEngine replay = null;
        ReplayCollector verdicts = new ReplayCollector();
        try (TraceReader r = Traces.open(in.trace())) {
            if (in.folder() != null) {
                // the RFC policy gives the mainline verdicts and the aligned-allocator what-if in one pass
                try {
                    atomic = new AtomicAnalyzer(AtomicContext.fromFolder(in.folder(), Policy.RFC,
                            r.info().kernelRelease()));
                } catch (IOException ex) {
                    if (progress != null) {
                        progress.println("mbscope: " + in.label() + ": no atomic-write analysis: " + ex.getMessage());
                    }
                }
            }
            if (in.folder() != null) {
                try {
                    CaptureFolder folder = CaptureFolder.open(in.folder());
                    replay = Replays.engine(folder,
                            new ReplayOptions(ReplayOptions.defaults().commitDelayNs(), false, false));
                    replay.addListener(verdicts);
                    if (hints && folder.syscalls().isPresent()) {
                        try {
                            syscallHints = SyscallHints.load(folder.syscalls().get());
                        } catch (IOException ex) {
                            // an unreadable log costs the hints, not the replay
                            if (progress != null) {
                                progress.println("mbscope: " + in.label() + ": replay without syscall hints: "
                                        + ex);
                            }
                        }
                    }
                } catch (IOException ex) {
                    if (progress != null) {
                        progress.println("mbscope: " + in.label() + ": no replay: " + ex.getMessage());
                    }
                }
            }
            Progress p = Progress.forFile(in.trace(), progress);
            TraceEvent e;
            while ((e = r.next()) != null) {
                c.accept(e);
                if (atomic != null) {
                    atomic.accept(e);
                }
                if (replay != null) {
                    syscallHints.applyUpTo(e.timestampNs(), replay);
                    replay.accept(e);
                }
                p.tick(c.events());
            }
            p.done(c.events());
            d = c.finish(r.info(), r.stats());
        }
        if (in.image() != null && images != null) {
            d = d.withFsState(images.load(in.image()));
        }
        if (replay != null) {
            d = d.withReplay(verdicts.finish(replay.finish(), syscallHints.size()));
        }
        if (atomic != null) {
            AtomicSummary s = atomic.finish();
            int blockSize = d.fsState() != null ? d.fsState().blockSize() : 0;
            d = d.withAtomic(new AtomicData(s, atomic.rows(), blockSize));
        }
        return d;
    }

    /** Loads an fs image into the free-space view the report needs. */
    @FunctionalInterface
    public interface FsImages {
        FsSpace load(Path image) throws IOException;
    }
}
