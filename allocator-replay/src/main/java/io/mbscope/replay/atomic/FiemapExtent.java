package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of a capture's fiemap.csv: the final FIEMAP extents, in bytes. */
public record FiemapExtent(String file, long ino, int extent, long logical, long physical, long length, long flags) {

    /** FIEMAP_EXTENT_UNWRITTEN. */
    public static final long UNWRITTEN = 0x800;

    public boolean covers(long logicalByte) {
        return logicalByte >= logical && logicalByte < logical + length;
    }

    public static List<FiemapExtent> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<FiemapExtent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("file,")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 7) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected 8 columns, found " + f.length);
            }
            if (f[2].equals("-1") || f[4].isEmpty()) {
                continue; // "no-extents": the file has no blocks
            }
            try {
                String hex = f[6].startsWith("0x") ? f[6].substring(2) : f[6];
                out.add(new FiemapExtent(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5]), hex.isEmpty() ? 0 : Long.parseLong(hex, 16)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected numbers in \"" + line + "\"", e);
            }
        }
        return out;
    }
}
