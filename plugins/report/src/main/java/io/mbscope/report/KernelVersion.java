package io.mbscope.report;

/** Major/minor out of a {@code uname -r} string such as "6.12.117+deb13-amd64". */
final class KernelVersion {
    private KernelVersion() {
    }

    /** {major, minor}, or null when the string does not start with "N.N". */
    static int[] parse(String release) {
        int i = 0;
        int n = release.length();
        int major = 0;
        int minor = 0;
        int start = i;
        while (i < n && Character.isDigit(release.charAt(i))) {
            major = major * 10 + (release.charAt(i++) - '0');
            if (major > 100_000) {
                return null;
            }
        }
        if (i == start || i >= n || release.charAt(i) != '.') {
            return null;
        }
        start = ++i;
        while (i < n && Character.isDigit(release.charAt(i))) {
            minor = minor * 10 + (release.charAt(i++) - '0');
            if (minor > 100_000) {
                return null;
            }
        }
        return i == start ? null : new int[] {major, minor};
    }
}
