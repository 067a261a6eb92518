package io.mbscope.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a capture's syscall log ({@code syscalls.csv}: seq,phase,op,file,fd,offset,length,flags,ret,
 * errno,errname,t_start_ns,t_end_ns,note) tells the replay that the enabled tracepoints cannot: a
 * successful fsync/fdatasync/syncfs returned only after its journal commit (so frees before it are
 * reusable), and a close(2) ends "open for write" (ext4_mb_group_or_file). Times are the trace clock.
 */
public final class SyscallHints {
    /** One hint, applied when the replay reaches {@code atNs}. */
    public record Hint(long atNs, boolean commit, long fd) {
    }

    private final List<Hint> hints;
    private int next;

    private SyscallHints(List<Hint> hints) {
        this.hints = hints;
    }

    public static SyscallHints none() {
        return new SyscallHints(List.of());
    }

    public static SyscallHints load(Path syscallsCsv) throws IOException {
        List<Hint> out = new ArrayList<>();
        List<String> lines;
        if (syscallsCsv.getFileName().toString().endsWith(".zst")) {
            try (var in = new io.airlift.compress.zstd.ZstdInputStream(Files.newInputStream(syscallsCsv))) {
                lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            }
        } else {
            lines = Files.readAllLines(syscallsCsv);
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length < 13) {
                continue;
            }
            try {
                String op = f[2];
                if ((op.equals("fsync") || op.equals("fdatasync") || op.equals("syncfs")) && f[8].equals("0")) {
                    out.add(new Hint(Long.parseLong(f[12]), true, -1));
                } else if (op.equals("close")) {
                    out.add(new Hint(Long.parseLong(f[12]), false, Long.parseLong(f[4])));
                }
            } catch (NumberFormatException e) {
                throw new IOException(syscallsCsv + " line " + (i + 1) + ": expected numeric fd and times, found '"
                        + lines.get(i) + "'", e);
            }
        }
        out.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        return new SyscallHints(out);
    }

    public int size() {
        return hints.size();
    }

    /** Applies every hint due at or before {@code nowNs}; call before feeding the event at that time. */
    public void applyUpTo(long nowNs, ReplayEngine engine) {
        while (next < hints.size() && hints.get(next).atNs() <= nowNs) {
            Hint h = hints.get(next++);
            if (h.commit()) {
                engine.commitPoint(h.atNs());
            } else {
                engine.fdClosed(h.fd());
            }
        }
    }
}
