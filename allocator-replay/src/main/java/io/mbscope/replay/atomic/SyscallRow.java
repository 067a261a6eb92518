package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a capture's syscalls.csv (the workload's own record of each syscall, the ground truth
 * for return values): {@code seq,phase,op,file,fd,offset,length,flags,ret,errno,errname,t_start_ns,
 * t_end_ns,note}. The note is the rest of the line and may contain commas (the file is not quoted).
 * Times are CLOCK_MONOTONIC like the traces.
 */
public record SyscallRow(long seq, String phase, String op, String file, long fd, long offset, long length,
                         String flags, long ret, int errno, String errname, long tStartNs, long tEndNs,
                         String note) {

    private static final String HEADER_START = "seq,phase,op,file,fd,offset,length,flags,ret,errno,errname,t_start_ns,t_end_ns";

    /** pwritev2 with RWF_ATOMIC in its flags column ("RWF_ATOMIC|RWF_DSYNC;niov=1"). */
    public boolean isAtomicWrite() {
        return op.equals("pwritev2") && flagSet().contains("RWF_ATOMIC");
    }

    /** The iovec count the workload passed ("niov=N" in the flags column), or -1. */
    public long niov() {
        for (String part : flags.split(";")) {
            if (part.startsWith("niov=")) {
                try {
                    return Long.parseLong(part.substring(5));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The flag names before any ";key=value" part. */
    public List<String> flagSet() {
        int semi = flags.indexOf(';');
        String names = semi < 0 ? flags : flags.substring(0, semi);
        return names.isEmpty() ? List.of() : List.of(names.split("\\|"));
    }

    /** The errno as recorded: 0 on success. */
    public Errno result() {
        return errno == 0 && ret >= 0 ? Errno.SUCCESS : Errno.ofNumber(errno);
    }

    /**
     * The open of this row's file and fd that precedes it (the workload reuses fd numbers, so the
     * file name decides), or null.
     */
    public SyscallRow openOf(List<SyscallRow> all) {
        SyscallRow open = null;
        for (SyscallRow r : all) {
            if (r.seq() >= seq) {
                break;
            }
            if ((r.op().equals("open") || r.op().equals("openat")) && r.file().equals(file) && r.fd() == fd) {
                open = r;
            }
        }
        return open;
    }

    /** The atomic write this row describes; O_DIRECT from its open (true if no open is recorded). */
    public AtomicWrite toAtomicWrite(List<SyscallRow> all, boolean extents) {
        SyscallRow open = openOf(all);
        int rwf = 0;
        for (String f : flagSet()) {
            rwf |= switch (f) {
                case "RWF_ATOMIC" -> AtomicWrite.RWF_ATOMIC;
                case "RWF_DSYNC" -> AtomicWrite.RWF_DSYNC;
                case "RWF_HIPRI" -> 0x1;
                case "RWF_SYNC" -> 0x4;
                case "RWF_NOWAIT" -> 0x8;
                case "RWF_APPEND" -> 0x10;
                default -> 0;
            };
        }
        long segments = niov() >= 0 ? niov() : 1;
        return new AtomicWrite(offset, length, segments, rwf, open == null || open.flagSet().contains("O_DIRECT"),
                extents);
    }

    public static List<SyscallRow> read(Path csv) throws IOException {
        return parse(Files.readAllLines(csv), csv.toString());
    }

    /**
     * Parses the rows. Columns are found by the header's names (the bench workload writes a shorter
     * schema without fd, errname and note); without a header the ext4wl column order is assumed.
     * The last column named "note" takes the rest of the line.
     */
    public static List<SyscallRow> parse(List<String> lines, String source) {
        List<SyscallRow> rows = new ArrayList<>();
        String[] cols = HEADER_START.concat(",note").split(",");
        int first = 0;
        if (!lines.isEmpty() && lines.get(0).startsWith("seq,")) {
            cols = lines.get(0).trim().split(",");
            first = 1;
        }
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < cols.length; i++) {
            at.put(cols[i], i);
        }
        for (String need : List.of("seq", "op", "file", "offset", "length", "ret")) {
            if (!at.containsKey(need)) {
                throw new IllegalArgumentException(source + ":1: expected a \"" + need + "\" column in the header");
            }
        }
        boolean noteLast = cols[cols.length - 1].equals("note");
        for (int i = first; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = noteLast ? line.split(",", cols.length) : line.split(",", -1);
            if (f.length < cols.length - (noteLast ? 1 : 0)) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected " + cols.length
                        + " columns, found " + f.length);
            }
            try {
                rows.add(new SyscallRow(num(f, at, "seq", 0), str(f, at, "phase"), str(f, at, "op"),
                        str(f, at, "file"), num(f, at, "fd", -1), num(f, at, "offset", 0), num(f, at, "length", 0),
                        str(f, at, "flags"), num(f, at, "ret", 0), (int) num(f, at, "errno", 0),
                        str(f, at, "errname"), num(f, at, "t_start_ns", 0), num(f, at, "t_end_ns", 0),
                        str(f, at, "note")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected numbers, found \"" + line
                        + "\"", e);
            }
        }
        return rows;
    }

    private static String str(String[] f, java.util.Map<String, Integer> at, String col) {
        Integer i = at.get(col);
        return i == null || i >= f.length ? "" : f[i];
    }

    private static long num(String[] f, java.util.Map<String, Integer> at, String col, long absent) {
        String v = str(f, at, col);
        return v.isEmpty() ? absent : Long.parseLong(v);
    }
}
