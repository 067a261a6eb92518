package io.mbscope.replay;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        // Streamed line by line (a 1M-event capture's log is ~50 MB); captures ship it as syscalls.csv.zst.
        InputStream raw = Files.newInputStream(syscallsCsv);
        if (syscallsCsv.getFileName().toString().endsWith(".zst")) {
            raw = new ZstdInputStream(raw);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16)) {
            // Columns by name: the lab's log has 14 (with fd), the bench workload's 11 (no fd, so its
            // close(2) rows cannot name a descriptor and only its syncs are hints).
            String header = in.readLine();
            List<String> cols = header == null ? List.of() : List.of(header.split(",", -1));
            int op = cols.indexOf("op");
            int ret = cols.indexOf("ret");
            int end = cols.indexOf("t_end_ns");
            int fd = cols.indexOf("fd");
            if (op < 0 || ret < 0 || end < 0) {
                throw new IOException(syscallsCsv + " line 1: expected a header with the columns op, ret and "
                        + "t_end_ns, found '" + header + "'");
            }
            String line;
            for (int i = 1; (line = in.readLine()) != null; i++) {
                String[] f = line.split(",", -1);
                if (f.length < cols.size()) { // more is fine: the last column (note) is free text with commas
                    throw new IOException(syscallsCsv + " line " + (i + 1) + ": expected " + cols.size()
                            + " columns as in the header, found " + f.length);
                }
                try {
                    String o = f[op];
                    if ((o.equals("fsync") || o.equals("fdatasync") || o.equals("syncfs")) && f[ret].equals("0")) {
                        out.add(new Hint(Long.parseLong(f[end]), true, -1));
                    } else if (o.equals("close") && fd >= 0) {
                        out.add(new Hint(Long.parseLong(f[end]), false, Long.parseLong(f[fd])));
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(syscallsCsv + " line " + (i + 1) + ": expected numeric fd and times, found '"
                            + line + "'", e);
                }
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
