package io.mbscope.replay.fs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** major.minor.patch of a `uname -r` string such as "6.12.117+deb13-amd64" or "6.18.44-fc-v657". */
record KernelRelease(int major, int minor, int patch) implements Comparable<KernelRelease> {
    private static final Pattern P = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,6}))?");

    static KernelRelease parse(String release) {
        Matcher m = P.matcher(release == null ? "" : release.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release (expected major.minor[.patch]...): '"
                    + release + "'");
        }
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(KernelRelease o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }
}
