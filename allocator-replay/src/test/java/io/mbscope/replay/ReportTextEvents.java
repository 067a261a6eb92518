package io.mbscope.replay;

import io.airlift.compress.zstd.ZstdInputStream;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only bridge until the project's readers land on main: the events the replay needs, typed
 * from the {@code trace-cmd report} text of a corpus folder (report.txt.zst, written by trace-cmd,
 * an independent tool). Only the fields the replay reads are filled.
 */
final class ReportTextEvents {

    private static final Pattern LINE = Pattern.compile(
            "^(?:\\S+:\\s+)?(.*?)-(\\d+)\\s+\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d+):\\s+(\\w+):\\s?(.*)$");
    private static final Pattern EXT = Pattern.compile("(-?\\d+)/(-?\\d+)/(\\d+)@(\\d+)");
    private static final Map<String, Integer> MB_FLAGS = new HashMap<>();

    static {
        String[] n = {"HINT_MERGE", "HINT_RESV", "HINT_MDATA", "HINT_FIRST", "HINT_BEST", "HINT_DATA",
            "HINT_NOPREALLOC", "HINT_GRP_ALLOC", "HINT_GOAL_ONLY", "HINT_TRY_GOAL", "DELALLOC_RESV", "STREAM_ALLOC",
            "USE_ROOT_BLKS", "USE_RESV", "STRICT_CHECK"};
        for (int i = 0; i < n.length; i++) {
            MB_FLAGS.put(n[i], 1 << i);
        }
    }

    private ReportTextEvents() {
    }

    static List<TraceEvent> read(Path folder) throws IOException {
        List<TraceEvent> out = new ArrayList<>();
        try (InputStream in = new ZstdInputStream(Files.newInputStream(folder.resolve("report.txt.zst")));
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = br.readLine()) != null) {
                TraceEvent e = parse(line);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    static TraceEvent parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String comm = m.group(1).trim();
        int pid = Integer.parseInt(m.group(2));
        int cpu = Integer.parseInt(m.group(3));
        String frac = (m.group(5) + "000000000").substring(0, 9);
        long ts = Long.parseLong(m.group(4)) * 1_000_000_000L + Long.parseLong(frac);
        String name = m.group(6);
        String p = m.group(7);
        EventHeader h = new EventHeader(ts, cpu, pid, comm);
        Map<String, String> kv;
        switch (name) {
            case "ext4_request_blocks":
            case "ext4_allocate_blocks": {
                kv = kv(p, "dev", "ino", "flags", "len", "block", "lblk", "goal", "lleft", "lright", "pleft", "pright");
                int fl = mbFlags(kv.get("flags"));
                if (name.equals("ext4_request_blocks")) {
                    return new TraceEvent.RequestBlocks(h, 0, l(kv, "ino"), fl, l(kv, "len"), l(kv, "lblk"),
                            l(kv, "goal"), l(kv, "lleft"), l(kv, "lright"), l(kv, "pleft"), l(kv, "pright"), null);
                }
                return new TraceEvent.AllocateBlocks(h, 0, l(kv, "ino"), fl, l(kv, "len"), l(kv, "block"),
                        l(kv, "lblk"), l(kv, "goal"), l(kv, "lleft"), l(kv, "lright"), l(kv, "pleft"), l(kv, "pright"),
                        null);
            }
            case "ext4_mballoc_alloc": {
                kv = kv(p, "dev", "inode", "orig", "goal", "result", "blks", "grps", "cr", "flags", "tail", "broken");
                return new TraceEvent.MballocAlloc(h, 0, l(kv, "inode"), ext(kv.get("orig")), ext(kv.get("goal")),
                        ext(kv.get("result")), (int) l(kv, "blks"), (int) l(kv, "grps"), 0, mbFlags(kv.get("flags")),
                        (int) l(kv, "tail"), cr(kv.get("cr")), null);
            }
            case "ext4_mballoc_prealloc": {
                kv = kv(p, "dev", "inode", "orig", "result");
                return new TraceEvent.MballocPrealloc(h, 0, l(kv, "inode"), ext(kv.get("orig")), ext(kv.get("result")),
                        null);
            }
            case "ext4_mb_new_inode_pa":
            case "ext4_mb_new_group_pa": {
                kv = kv(p, "dev", "ino", "pstart", "len", "lstart");
                return new TraceEvent.MbNewPa(h, name.endsWith("group_pa"), 0, l(kv, "ino"), l(kv, "pstart"),
                        l(kv, "lstart"), l(kv, "len"), null);
            }
            case "ext4_mballoc_discard":
            case "ext4_mballoc_free": {
                kv = kv(p, "dev", "inode", "extent");
                String[] e = kv.get("extent").trim().split("/");
                long g = Long.parseLong(e[0]);
                long s = Long.parseLong(e[1]);
                long n = Long.parseLong(e[2]);
                if (name.equals("ext4_mballoc_discard")) {
                    return new TraceEvent.MballocDiscard(h, 0, l(kv, "inode"), g, s, n, null);
                }
                return new TraceEvent.MballocFree(h, 0, l(kv, "inode"), g, s, n, null);
            }
            case "ext4_mb_release_inode_pa": {
                kv = kv(p, "dev", "ino", "block", "count");
                return new TraceEvent.MbReleaseInodePa(h, 0, l(kv, "ino"), l(kv, "block"), l(kv, "count"), null);
            }
            case "ext4_mb_release_group_pa": {
                kv = kv(p, "dev", "pstart", "len");
                return new TraceEvent.MbReleaseGroupPa(h, 0, l(kv, "pstart"), l(kv, "len"), null);
            }
            case "ext4_discard_preallocations": {
                kv = kv(p.replace("len:", "len"), "dev", "ino", "len", "needed");
                return new TraceEvent.DiscardPreallocations(h, 0, l(kv, "ino"), l(kv, "len"), null);
            }
            case "ext4_ext_map_blocks_enter": {
                kv = kv(p, "dev", "ino", "lblk", "len", "flags");
                return new TraceEvent.MapBlocksEnter(h, false, 0, l(kv, "ino"), l(kv, "lblk"), l(kv, "len"), 0, null);
            }
            case "ext4_ext_map_blocks_exit": {
                kv = kv(p, "dev", "ino", "flags", "lblk", "pblk", "len", "mflags", "ret");
                return new TraceEvent.MapBlocksExit(h, false, 0, l(kv, "ino"), 0, l(kv, "lblk"), l(kv, "pblk"),
                        l(kv, "len"), 0, (int) l(kv, "ret"), null);
            }
            case "ext4_remove_blocks": {
                Matcher r = Pattern.compile("ino (\\d+) .*from (\\d+) to (\\d+)").matcher(p);
                if (!r.find()) {
                    return null;
                }
                return new TraceEvent.RemoveBlocks(h, 0, Long.parseLong(r.group(1)), Long.parseLong(r.group(2)),
                        Long.parseLong(r.group(3)), 0, 0, 0, 0, 0, 0, null);
            }
            case "ext4_collapse_range":
            case "ext4_insert_range":
            case "ext4_punch_hole":
            case "ext4_zero_range": {
                kv = kv(p, "dev", "ino", "offset", "len", "mode");
                return new TraceEvent.RangeOp(h, name, 0, l(kv, "ino"), l(kv, "offset"), l(kv, "len"), 0, null);
            }
            case "ext4_ext_handle_unwritten_extents":
                return new TraceEvent.HandleUnwrittenExtents(h, 0, 0, 0, 0, 0, 0, 0, 0, null);
            case "ext4_ext_remove_space": {
                kv = kv(p, "dev", "ino", "since", "end", "depth");
                return new TraceEvent.ExtRemoveSpace(h, false, 0, l(kv, "ino"), l(kv, "since"), l(kv, "end"), 0, null);
            }
            case "ext4_free_inode": {
                kv = kv(p, "dev", "ino", "mode", "uid", "gid", "blocks");
                return new TraceEvent.FreeInode(h, 0, l(kv, "ino"), l(kv, "blocks"), 0, null);
            }
            case "ext4_unlink_enter": {
                kv = kv(p, "dev", "ino", "size", "parent");
                return new TraceEvent.UnlinkEnter(h, 0, l(kv, "ino"), l(kv, "parent"), l(kv, "size"), null);
            }
            case "ext4_fallocate_enter": {
                kv = kv(p, "dev", "ino", "offset", "len", "mode");
                String mode = kv.getOrDefault("mode", "").trim();
                int md = mode.contains("KEEP_SIZE") ? 1 : 0;
                return new TraceEvent.FallocateEnter(h, 0, l(kv, "ino"), l(kv, "offset"), l(kv, "len"), md, null);
            }
            case "ext4_fallocate_exit": {
                kv = kv(p, "dev", "ino", "pos", "blocks", "ret");
                return new TraceEvent.FallocateExit(h, 0, l(kv, "ino"), l(kv, "pos"), l(kv, "blocks"),
                        (int) l(kv, "ret"), null);
            }
            case "iomap_dio_rw_begin": {
                kv = kv(p, "dev", "ino", "size", "offset", "length", "done_before", "flags", "dio_flags", "aio");
                String kf = kv.getOrDefault("flags", "");
                int ki = (kf.matches(".*\\bDSYNC\\b.*") ? 2 : 0) | (kf.matches(".*\\bSYNC\\b.*") ? 4 : 0);
                return new TraceEvent.DioBegin(h, 0, l(kv, "ino"), l(kv, "size"), l(kv, "offset"), l(kv, "length"), 0, ki,
                        0, false, null);
            }
            case "iomap_dio_complete": {
                kv = kv(p, "dev", "ino", "size", "offset", "flags", "aio", "error", "ret");
                return new TraceEvent.DioComplete(h, 0, l(kv, "ino"), l(kv, "size"), l(kv, "offset"), 0, false,
                        (int) l(kv, "error"), l(kv, "ret"), null);
            }
            case "sys_enter_pwrite64": {
                Matcher r = Pattern.compile("fd[=:]\\s*(\\w+).*count[=:]\\s*(\\w+).*pos[=:]\\s*(\\w+)").matcher(p);
                if (!r.find()) {
                    return null;
                }
                return new TraceEvent.PwriteEnter(h, num(r.group(1)), num(r.group(2)), num(r.group(3)), null);
            }
            case "sys_enter_pwritev2": {
                Matcher r = Pattern.compile("fd: (\\S+), .*vlen: (\\S+), pos_l: (\\S+), pos_h: (\\S+), flags: (\\S+)")
                        .matcher(p);
                if (!r.find()) {
                    return null;
                }
                long pos = num(r.group(3)) | (num(r.group(4)) << 32);
                return new TraceEvent.Pwritev2Enter(h, num(r.group(1)), num(r.group(2)), pos, (int) num(r.group(5)),
                        null);
            }
            case "sys_exit_pwrite64":
            case "sys_exit_pwritev2":
            case "sys_exit_fallocate":
                return new TraceEvent.SyscallExit(h, name.substring("sys_exit_".length()), num(p.trim()), null);
            default:
                return null;
        }
    }

    private static long num(String s) {
        s = s.trim().replace(",", "");
        if (s.startsWith("0x")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
    }

    private static long l(Map<String, String> kv, String k) {
        String v = kv.get(k);
        if (v == null || v.isBlank()) {
            return 0;
        }
        return num(v.trim().split("\\s+")[0]);
    }

    private static MbExtent ext(String s) {
        Matcher m = EXT.matcher(s == null ? "" : s);
        if (!m.find()) {
            return new MbExtent(0, 0, 0, 0);
        }
        return new MbExtent(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
    }

    private static int cr(String s) {
        s = s == null ? "" : s.trim();
        switch (s) {
            case "CR_POWER2_ALIGNED":
                return 0;
            case "CR_GOAL_LEN_FAST":
                return 1;
            case "CR_BEST_AVAIL_LEN":
                return 2;
            case "CR_GOAL_LEN_SLOW":
                return 3;
            case "CR_ANY_FREE":
                return 4;
            default:
                return s.isEmpty() ? 0 : (int) num(s);
        }
    }

    private static int mbFlags(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        int f = 0;
        for (String t : s.trim().split("\\|")) {
            Integer v = MB_FLAGS.get(t);
            if (v != null) {
                f |= v;
            } else if (t.startsWith("0x")) {
                f |= (int) Long.parseLong(t.substring(2), 16);
            }
        }
        return f;
    }

    /** Splits "k1 v1 k2 v2 ..." where a value may be empty or several tokens, by the known keys. */
    private static Map<String, String> kv(String payload, String... keys) {
        Map<String, String> out = new HashMap<>();
        String[] tok = payload.trim().split("\\s+");
        java.util.Set<String> ks = java.util.Set.of(keys);
        String cur = null;
        StringBuilder val = new StringBuilder();
        for (String t : tok) {
            if (ks.contains(t) && !(cur != null && val.length() == 0 && false)) {
                if (cur != null) {
                    out.put(cur, val.toString());
                }
                cur = t;
                val.setLength(0);
            } else if (cur != null) {
                if (val.length() > 0) {
                    val.append(' ');
                }
                val.append(t);
            }
        }
        if (cur != null) {
            out.put(cur, val.toString());
        }
        return out;
    }
}
