package io.mbscope.parsers.text;

/**
 * The part of a text event line before the payload, in the three dialects:
 * <pre>
 * trace-cmd report: [instance: ]           comm-pid   [cpu] [flags] secs.usecs: name:&lt;pad&gt; payload
 * ftrace trace:                            comm-pid   [cpu] flags   secs.usecs: name: payload
 *                   (syscalls: "sys_x(arg: v, ...)" and "sys_x -&gt; 0xret"; markers: "tracing_mark_write: text")
 * perf script:                             comm  pid  [cpu]         secs.usecs:   system:name: payload
 * </pre>
 * The comm may hold spaces and dashes, so the pid is taken after the last dash (or the last blank,
 * for perf) before the [cpu] column. One instance is reused line after line.
 */
final class LineHeader {
    enum Kind {
        /** "name: payload" */
        EVENT,
        /** ftrace's own syscall enter print: "sys_x(args)" */
        SYSCALL_ENTER,
        /** ftrace's own syscall exit print: "sys_x -> 0xret" */
        SYSCALL_EXIT
    }

    String instance;
    String comm;
    int pid;
    int cpu;
    long tsNs;
    String system;
    String name;
    Kind kind;
    boolean flagsColumn;
    int payloadStart;

    /**
     * Parses {@code line} as a line of {@code dialect}; false if it is not an event line. The fields
     * keep the previous line's values until a line parses.
     */
    boolean parse(String line, TextDialect dialect) {
        int n = line.length();
        int br = findCpuBracket(line);
        if (br < 0) {
            return false;
        }
        int close = line.indexOf(']', br);
        int cpuV = 0;
        for (int i = br + 1; i < close; i++) {
            cpuV = cpuV * 10 + (line.charAt(i) - '0');
            if (cpuV > 1_000_000) {
                return false;
            }
        }
        // comm and pid
        int preEnd = br;
        while (preEnd > 0 && Character.isWhitespace(line.charAt(preEnd - 1))) {
            preEnd--;
        }
        int preStart = 0;
        String inst = null;
        if (dialect == TextDialect.TRACE_CMD && n > 0 && !Character.isWhitespace(line.charAt(0))) {
            // "ext4lab-tc-148:   comm-pid": an instance name is flush left, comms are padded right
            int colon = line.indexOf(':');
            if (colon > 0 && colon + 1 < preEnd && Character.isWhitespace(line.charAt(colon + 1))) {
                inst = line.substring(0, colon);
                preStart = colon + 1;
            }
        }
        while (preStart < preEnd && Character.isWhitespace(line.charAt(preStart))) {
            preStart++;
        }
        if (preStart >= preEnd) {
            return false;
        }
        int pidStart;
        int commEnd;
        if (dialect == TextDialect.PERF_SCRIPT) {
            pidStart = preEnd;
            while (pidStart > preStart && !Character.isWhitespace(line.charAt(pidStart - 1))) {
                pidStart--;
            }
            commEnd = pidStart;
            while (commEnd > preStart && Character.isWhitespace(line.charAt(commEnd - 1))) {
                commEnd--;
            }
        } else {
            pidStart = line.lastIndexOf('-', preEnd - 1) + 1;
            if (pidStart <= preStart) {
                return false;
            }
            commEnd = pidStart - 1;
        }
        int pidV = parsePid(line, pidStart, preEnd);
        if (pidV == Integer.MIN_VALUE) {
            return false;
        }
        // [flags] timestamp
        int q = close + 1;
        q = skipWs(line, q);
        boolean flags = false;
        if (q < n && !Character.isDigit(line.charAt(q))) {
            while (q < n && !Character.isWhitespace(line.charAt(q))) {
                q++;
            }
            flags = true;
            q = skipWs(line, q);
        }
        long secs = 0;
        int ds = q;
        while (q < n && Character.isDigit(line.charAt(q))) {
            secs = secs * 10 + (line.charAt(q++) - '0');
            if (secs > 9_000_000_000L) {
                return false;
            }
        }
        if (q == ds || q >= n || line.charAt(q) != '.') {
            return false;
        }
        q++;
        long frac = 0;
        int digits = 0;
        while (q < n && Character.isDigit(line.charAt(q))) {
            if (digits < 9) {
                frac = frac * 10 + (line.charAt(q) - '0');
                digits++;
            }
            q++;
        }
        if (digits == 0 || q >= n || line.charAt(q) != ':') {
            return false;
        }
        for (int d = digits; d < 9; d++) {
            frac *= 10;
        }
        q = skipWs(line, q + 1);
        // event name
        int ns = q;
        while (q < n && isNameChar(line.charAt(q))) {
            q++;
        }
        if (q == ns) {
            return false;
        }
        String sys = null;
        if (dialect == TextDialect.PERF_SCRIPT && q + 1 < n && line.charAt(q) == ':' && isNameChar(line.charAt(q + 1))) {
            sys = line.substring(ns, q);
            ns = ++q;
            while (q < n && isNameChar(line.charAt(q))) {
                q++;
            }
        }
        String nm = line.substring(ns, q);
        Kind k;
        int payload;
        if (q < n && line.charAt(q) == ':') {
            k = Kind.EVENT;
            int afterColon = q + 1;
            int spaces = 0;
            while (afterColon + spaces < n && line.charAt(afterColon + spaces) == ' ') {
                spaces++;
            }
            // trace-cmd left-aligns "name:" in 21 columns, then one blank; the others print one blank
            int expected = dialect == TextDialect.TRACE_CMD ? Math.max(0, 21 - (q + 1 - ns)) + 1 : 1;
            payload = afterColon + Math.min(spaces, expected);
        } else if (dialect == TextDialect.FTRACE && q < n && line.charAt(q) == '(') {
            k = Kind.SYSCALL_ENTER;
            payload = q + 1;
        } else if (dialect == TextDialect.FTRACE && line.startsWith(" -> ", q)) {
            k = Kind.SYSCALL_EXIT;
            payload = q + 4;
        } else {
            return false;
        }
        instance = inst;
        comm = line.substring(preStart, commEnd).strip();
        pid = pidV;
        cpu = cpuV;
        tsNs = secs * 1_000_000_000L + frac;
        system = sys;
        name = nm;
        kind = k;
        flagsColumn = flags;
        payloadStart = payload;
        return true;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                || c == '.' || c == '-';
    }

    private static int skipWs(String s, int q) {
        while (q < s.length() && Character.isWhitespace(s.charAt(q))) {
            q++;
        }
        return q;
    }

    /** pid digits, or perf's "pid/tid" (the tid is the kernel's common_pid). */
    private static int parsePid(String s, int from, int to) {
        int slash = s.indexOf('/', from);
        if (slash >= 0 && slash < to) {
            from = slash + 1;
        }
        if (from >= to || to - from > 10) {
            return Integer.MIN_VALUE;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Integer.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    /** Index of the '[' of " [digits]", or -1. */
    static int findCpuBracket(String line) {
        int i = line.indexOf('[');
        while (i >= 0) {
            if (i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                int j = i + 1;
                while (j < line.length() && Character.isDigit(line.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && j < line.length() && line.charAt(j) == ']') {
                    return i;
                }
            }
            i = line.indexOf('[', i + 1);
        }
        return -1;
    }
}
