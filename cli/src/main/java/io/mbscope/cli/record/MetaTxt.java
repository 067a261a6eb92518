package io.mbscope.cli.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * meta.txt of a capture folder, with the keys and line shapes of the corpus files so that
 * io.mbscope.replay.fs.CaptureFolder and Tunables.fromMeta read it: one "key=value" per line,
 * several space-separated key=value tokens on a line where the corpus has them (device= majmin=
 * trace_dev_filter=), and whole-line values only for uname=, proc_mounts= and sysfs.* (the reader
 * takes those lines verbatim and splits every other line on white space).
 */
public final class MetaTxt {
    private final List<String> lines = new ArrayList<>();

    /** Adds "key=value"; the value must be one token (no white space) unless the key is whole-line. */
    public MetaTxt put(String key, Object value) {
        String v = String.valueOf(Objects.requireNonNull(value, key));
        checkKey(key);
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("meta.txt value of " + key + " spans lines");
        }
        if (!wholeLine(key) && !v.isEmpty() && v.chars().anyMatch(Character::isWhitespace)) {
            v = v.replaceAll("\\s+", "_");
        }
        lines.add(key + "=" + v);
        return this;
    }

    /** Like {@link #put}, replacing an earlier line of that key (readers keep the first one). */
    public MetaTxt set(String key, Object value) {
        lines.removeIf(l -> l.startsWith(key + "="));
        return put(key, value);
    }

    /**
     * Adds "key=free text" kept as is, like the corpus' "trace_cmd=trace-cmd version 3.1.6": readers
     * keep the first token; any '=' in the text becomes ':' so it cannot make up other keys.
     */
    public MetaTxt putText(String key, String text) {
        checkKey(key);
        String v = text.replace('\n', ' ').replace('\r', ' ').replace('=', ':').strip();
        lines.add(key + "=" + v);
        return this;
    }

    /** Adds several key=value tokens on one line (values made single tokens). */
    public MetaTxt putLine(Map<String, ?> kv) {
        List<String> t = new ArrayList<>();
        for (Map.Entry<String, ?> e : kv.entrySet()) {
            checkKey(e.getKey());
            String v = String.valueOf(e.getValue()).strip();
            t.add(e.getKey() + "=" + v.replaceAll("\\s+", "_"));
        }
        lines.add(String.join(" ", t));
        return this;
    }

    /**
     * The corpus' device line, "device=/dev/loop0 (loop0) majmin=7:0 trace_dev_filter=dev==0x700000":
     * the "(loop0)" token has no '=' and is ignored by readers.
     */
    public MetaTxt putDevice(BlockDevice d) {
        lines.add("device=" + d.path() + " (" + d.name() + ") majmin=" + d.majmin() + " trace_dev_filter=dev=="
                + d.kernelDevTHex());
        return this;
    }

    /** "sysfs.NAME=value" for every readable file of /sys/fs/ext4/&lt;dev&gt;/ (first line of each). */
    public MetaTxt putSysfs(Path ext4SysDir) throws IOException {
        if (!Files.isDirectory(ext4SysDir)) {
            return this;
        }
        List<Path> files;
        try (var s = Files.list(ext4SysDir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String v;
            try {
                v = firstLine(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                continue; // write-only knobs (trigger_fs_error on some kernels) or EPERM
            }
            lines.add("sysfs." + f.getFileName() + "=" + v);
        }
        return this;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Writes atomically (temp file + rename), so a reader never sees half a file. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static boolean wholeLine(String key) {
        return key.equals("uname") || key.equals("proc_mounts") || key.startsWith("sysfs.");
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || !key.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("bad meta.txt key '" + key + "'");
        }
    }
}
