package io.mbscope.replay.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture folder laid out like each sample-traces/&lt;name&gt;/ (see /work/shared/traces/README.md):
 * finds its files by their names, each optionally zstd-compressed (".zst").
 */
public final class CaptureFolder {
    /** Trace files in order of preference: binary before text, trace-cmd before perf. */
    public static final List<String> TRACE_NAMES = List.of("trace.dat", "perf.data", "trace-v6.dat", "report.txt",
            "trace.txt", "perf-script.txt");
    private static final Pattern MAJMIN = Pattern.compile("^(\\d{1,4}):(\\d{1,7})$");

    private final Path dir;
    private final Tunables.Meta meta;

    private CaptureFolder(Path dir, Tunables.Meta meta) {
        this.dir = dir;
        this.meta = meta;
    }

    public static CaptureFolder open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        Path m = dir.resolve("meta.txt");
        return new CaptureFolder(dir, Files.isRegularFile(m) ? Tunables.Meta.read(m) : null);
    }

    public Path dir() {
        return dir;
    }

    /** The preferred trace: trace.dat, perf.data, trace-v6.dat, report.txt, trace.txt, perf-script.txt (each .zst too). */
    public Optional<Path> trace() {
        List<Path> all = traces();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every trace file present, in order of preference. */
    public List<Path> traces() {
        List<Path> out = new ArrayList<>();
        for (String n : TRACE_NAMES) {
            find(n).ifPresent(out::add);
        }
        return out;
    }

    public Optional<Path> image() {
        return find("image-before.img");
    }

    public Optional<Path> dumpe2fs() {
        return find("dumpe2fs-before.txt");
    }

    public Optional<Path> meta() {
        return find("meta.txt");
    }

    public Optional<Path> statx() {
        return find("statx.txt");
    }

    public Optional<Path> fiemap() {
        return find("fiemap.csv");
    }

    public Optional<Path> syscalls() {
        return find("syscalls.csv");
    }

    public Optional<Path> formatsDir() {
        Path f = dir.resolve("formats");
        return Files.isDirectory(f) ? Optional.of(f) : Optional.empty();
    }

    /** uname_r= of meta.txt, else the release field of its `uname -a` line (uname=Linux host 6.18.44 ...). */
    public Optional<String> kernelRelease() {
        Optional<String> r = metaValue("uname_r");
        if (r.isPresent()) {
            return r;
        }
        String[] f = metaValue("uname").orElse("").trim().split("\\s+");
        return f.length >= 3 && f[0].equals("Linux") && Character.isDigit(f[2].charAt(0)) ? Optional.of(f[2])
                : Optional.empty();
    }

    /** The traced device as the kernel's dev_t (MKDEV: major &lt;&lt; 20 | minor), from meta.txt majmin=. */
    public Optional<Integer> traceDev() {
        Optional<String> mm = metaValue("majmin");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = MAJMIN.matcher(mm.get());
        if (!m.matches()) {
            return Optional.empty();
        }
        long major = Long.parseLong(m.group(1)), minor = Long.parseLong(m.group(2));
        if (major >= (1 << 12) || minor >= (1 << 20)) {
            return Optional.empty();
        }
        return Optional.of((int) (major << 20 | minor));
    }

    /** Any key=value of meta.txt. */
    public Optional<String> metaValue(String key) {
        return meta == null ? Optional.empty() : Optional.ofNullable(meta.get(key));
    }

    /** The tunables in force during the capture (meta.txt + kernel defaults for this fs). */
    public Tunables tunables(FsGeometry geometry) throws IOException {
        Path m = meta().orElseThrow(() -> new io.mbscope.parsers.TraceFormatException(
                dir.toString(), -1, "capture folder", "expected a meta.txt, found none"));
        String rel = kernelRelease().orElseThrow(() -> new io.mbscope.parsers.TraceFormatException(
                m.toString(), -1, "meta.txt", "expected a uname_r= line, found none"));
        return Tunables.fromMeta(m, rel, geometry);
    }

    private Optional<Path> find(String name) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
            return Optional.of(p);
        }
        Path z = dir.resolve(name + ".zst");
        return Files.isRegularFile(z) ? Optional.of(z) : Optional.empty();
    }

    @Override
    public String toString() {
        return "CaptureFolder[" + dir + "]";
    }
}
