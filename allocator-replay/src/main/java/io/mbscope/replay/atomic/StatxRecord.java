package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of a capture's statx.txt: {@code when=... file=... ino=... key=value ...}. */
public record StatxRecord(String when, String file, long ino, Map<String, String> fields) {

    public long number(String key) {
        String v = fields.get(key);
        if (v == null) {
            return -1;
        }
        try {
            return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What the capture saw, in the form the rules predict. */
    public StatxPrediction observed() {
        return new StatxPrediction(number("statx_write_atomic_in_mask") == 1, number("atomic_write_unit_min"),
                number("atomic_write_unit_max"), number("atomic_write_segments_max"),
                number("attr_write_atomic") == 1);
    }

    public static List<StatxRecord> read(Path statxTxt) throws IOException {
        return parse(Files.readAllLines(statxTxt));
    }

    public static List<StatxRecord> parse(List<String> lines) {
        List<StatxRecord> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String tok : line.trim().split("\\s+")) {
                int eq = tok.indexOf('=');
                if (eq > 0) {
                    f.put(tok.substring(0, eq), tok.substring(eq + 1));
                }
            }
            if (!f.containsKey("file")) {
                continue;
            }
            long ino;
            try {
                ino = Long.parseLong(f.getOrDefault("ino", "-1"));
            } catch (NumberFormatException e) {
                ino = -1;
            }
            out.add(new StatxRecord(f.getOrDefault("when", ""), f.get("file"), ino, Map.copyOf(f)));
        }
        return out;
    }
}
