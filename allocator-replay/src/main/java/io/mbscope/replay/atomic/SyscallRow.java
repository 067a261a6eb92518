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

    public static List<SyscallRow> parse(List<String> lines, String source) {
        List<SyscallRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith(HEADER_START))) {
                continue;
            }
            String[] f = line.split(",", 14);
            if (f.length < 13) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected at least 13 columns, found "
                        + f.length);
            }
            try {
                rows.add(new SyscallRow(Long.parseLong(f[0]), f[1], f[2], f[3], Long.parseLong(f[4]),
                        Long.parseLong(f[5]), Long.parseLong(f[6]), f[7], Long.parseLong(f[8]),
                        Integer.parseInt(f[9]), f[10], Long.parseLong(f[11]), Long.parseLong(f[12]),
                        f.length > 13 ? f[13] : ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected numbers, found \"" + line
                        + "\"", e);
            }
        }
        return rows;
    }
}
