package io.mbscope.cli.record;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FIEMAP extents of a file, from {@code filefrag -v -b1} (e2fsprogs; -b1 prints byte units), written
 * as the rows of the corpus fiemap.csv:
 * {@code file,ino,extent,logical_bytes,physical_bytes,length_bytes,flags_hex,flags}.
 */
public final class Fiemap {
    public static final String HEADER = "file,ino,extent,logical_bytes,physical_bytes,length_bytes,flags_hex,flags";

    /** One extent; {@code index} -1 with no bytes = a file without extents. */
    public record Extent(int index, long logical, long physical, long length, int flags) {
    }

    // "   0:        0..   12287:      32768..     45055:  12288:             last,eof"
    // the "expected:" column is only printed when the extent does not follow the previous one
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(\\d+):\\s*(\\d+)\\.\\.\\s*(\\d+):\\s*(\\d+)\\.\\.\\s*(\\d+):\\s*(\\d+):(?:\\s*(\\d+):)?\\s*(\\S*)\\s*$");

    /**
     * FIEMAP_EXTENT_* flags (include/uapi/linux/fiemap.h) by the names filefrag prints; "eof" is
     * filefrag's own remark (extent reaches i_size), not a kernel flag.
     */
    private static final String[][] FLAGS = {{"last", "LAST", "1"}, {"unknown_loc", "UNKNOWN", "2"},
            {"delalloc", "DELALLOC", "4"}, {"encoded", "ENCODED", "8"}, {"encrypted", "DATA_ENCRYPTED", "80"},
            {"not_aligned", "NOT_ALIGNED", "100"}, {"inline", "DATA_INLINE", "200"},
            {"tail_packed", "DATA_TAIL", "400"}, {"unwritten", "UNWRITTEN", "800"}, {"merged", "MERGED", "1000"},
            {"shared", "SHARED", "2000"}};

    private Fiemap() {
    }

    /** Parses filefrag -v -b1 output; unknown flag names are ignored (they have no number we know). */
    public static List<Extent> parseFilefrag(String text) {
        List<Extent> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long lstart = Long.parseLong(m.group(2));
            long pstart = Long.parseLong(m.group(4));
            long len = Long.parseLong(m.group(6));
            out.add(new Extent(Integer.parseInt(m.group(1)), lstart, pstart, len, flagBits(m.group(8))));
        }
        return out;
    }

    static int flagBits(String names) {
        int bits = 0;
        for (String n : names.split(",")) {
            for (String[] f : FLAGS) {
                if (f[0].equals(n)) {
                    bits |= Integer.parseInt(f[2], 16);
                }
            }
        }
        return bits;
    }

    /** "LAST|UNWRITTEN" as the corpus writes them; "" for none. */
    static String flagNames(int bits) {
        List<String> n = new ArrayList<>();
        for (String[] f : FLAGS) {
            if ((bits & Integer.parseInt(f[2], 16)) != 0) {
                n.add(f[1]);
            }
        }
        return String.join("|", n);
    }

    /** CSV rows (no header) for one file; a file with no extents gets the corpus' "no-extents" row. */
    public static List<String> csvRows(String file, long ino, List<Extent> extents) {
        String f = csvField(file);
        List<String> rows = new ArrayList<>();
        if (extents.isEmpty()) {
            rows.add(f + "," + ino + ",-1,,,,,no-extents");
        }
        for (Extent e : extents) {
            rows.add(f + "," + ino + "," + e.index() + "," + e.logical() + "," + e.physical() + "," + e.length()
                    + ",0x" + Integer.toHexString(e.flags()) + "," + flagNames(e.flags()));
        }
        return rows;
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
