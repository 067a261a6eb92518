package io.mbscope.cli.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Mount table look-ups (/proc/self/mountinfo, proc(5)). */
public final class Mounts {
    /** One mountinfo line: majmin (field 3), root (4), mount point (5), fs type and source after " - ". */
    public record Mount(String majmin, String root, Path mountPoint, String options, String fsType, String source,
            String superOptions) {
        /** The options as /proc/mounts shows them (per-mount options, then the super block's). */
        public String procMountsOptions() {
            return options + "," + superOptions;
        }
    }

    private Mounts() {
    }

    public static List<Mount> parse(String mountinfo) {
        List<Mount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new Mount(f[2], unescape(f[3]), Path.of(unescape(f[4])), f[5], f[dash + 1], unescape(f[dash + 2]),
                    dash + 3 < f.length ? f[dash + 3] : ""));
        }
        return out;
    }

    /** The mount of the device's whole fs (root "/"), preferring the first such line. */
    public static Optional<Mount> of(BlockDevice dev, List<Mount> table) {
        Optional<Mount> any = Optional.empty();
        for (Mount m : table) {
            if (m.majmin().equals(dev.majmin())) {
                if (m.root().equals("/")) {
                    return Optional.of(m);
                }
                if (any.isEmpty()) {
                    any = Optional.of(m);
                }
            }
        }
        return any;
    }

    public static List<Mount> current() throws IOException {
        return parse(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code p} lives on the device: st_dev of p, decoded from glibc's makedev encoding
     * (major bits 8..19 and 32..43, minor bits 0..7 and 20..31).
     */
    public static boolean isOnDevice(Path p, BlockDevice dev) throws IOException {
        Path existing = p.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        long d = ((Number) Files.getAttribute(existing, "unix:dev")).longValue();
        long major = ((d >>> 8) & 0xfff) | ((d >>> 32) & ~0xfffL);
        long minor = (d & 0xff) | ((d >>> 12) & ~0xffL);
        return major == dev.major() && minor == dev.minor();
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
