package io.mbscope.replay.atomic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream version of a kernel release string ("7.3.4+deb13-amd64", "6.18.44-fc-v657"): only the
 * numbers decide which atomic-write rules apply; the distribution suffix is ignored.
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    private static final Pattern RELEASE = Pattern.compile("^\\s*(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,5}))?");

    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version " + major + "." + minor + "." + patch);
        }
    }

    /** Parses the leading x.y[.z] of a release; throws IllegalArgumentException if there is none. */
    public static KernelVersion parse(String release) {
        if (release == null) {
            throw new IllegalArgumentException("no kernel release");
        }
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release: \"" + release + "\"");
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** True if this version is x.y.0 or later. */
    public boolean atLeast(int maj, int min) {
        return major != maj ? major > maj : minor >= min;
    }

    @Override
    public int compareTo(KernelVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
