package io.mbscope.parsers.text;

import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.PrintFmtMatcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Payloads that are not printed by the event's print fmt:
 * <ul>
 *   <li>ftrace's own syscall output (kernel/trace/trace_syscalls.c print_syscall_enter/exit):
 *       {@code sys_pwrite64(fd: 8, buf: 7fed40fe3000, count: 1000, pos: 0)} in 6.12 (every value in hex
 *       without 0x); since 6.19 values below 10 in decimal, others as 0x-hex, user buffers dumped as
 *       {@code (00:07:...[, ...]) "text"[...]}; and {@code sys_pwrite64 -> 0x1000};</li>
 *   <li>libtraceevent's fallback when it cannot evaluate a print fmt (trace-cmd report and perf script on
 *       7.x syscalls): {@code [FAILED TO PARSE] __syscall_nr=18 fd=8 buf=0x7f2cc89c5000 count=4096 pos=0 __buf_val=}.</li>
 * </ul>
 * Each returns whether every field it expected was found.
 */
final class SpecialPayloads {
    static final String FAILED_TO_PARSE = "[FAILED TO PARSE] ";

    private SpecialPayloads() {
    }

    /** {@code arg: value, arg: value)}; values into the fields of the same name. */
    static boolean syscallEnter(EventFormat f, String line, int p, Object[] values) {
        int n = line.length();
        int expected = 0;
        for (FieldFormat ff : f.fields()) {
            if (!ff.isCommon() && !ff.name().startsWith("__")) {
                expected++;
            }
        }
        int found = 0;
        if (p < n && line.charAt(p) == ')') {
            return expected == 0;
        }
        while (p < n) {
            int colon = line.indexOf(": ", p);
            if (colon < 0) {
                return false;
            }
            // verbose mode prints "type name: value": the name is the last word
            int ns = colon;
            while (ns > p && !Character.isWhitespace(line.charAt(ns - 1))) {
                ns--;
            }
            String arg = line.substring(ns, colon);
            p = colon + 2;
            int vs = p;
            if (line.startsWith("0x", p)) {
                p += 2;
                vs = p;
            }
            long v = 0;
            while (p < n && Character.digit(line.charAt(p), 16) >= 0) {
                v = (v << 4) | Character.digit(line.charAt(p), 16);
                p++;
            }
            if (p == vs) {
                return false;
            }
            int idx = f.indexOf(arg);
            if (idx >= 0) {
                FieldFormat ff = f.fields().get(idx);
                values[idx] = PrintFmtMatcher.normalize(v, ff.size(), ff.signed());
                found++;
            }
            // a user buffer: " (hex:bytes[, ...])" then optionally " \"text\"" or " \"text\"..."
            int len = -1;
            if (line.startsWith(" (", p)) {
                int close = line.indexOf(')', p);
                if (close < 0) {
                    return false;
                }
                String hex = line.substring(p + 2, close);
                int comma = hex.indexOf(", ");
                if (comma >= 0) {
                    hex = hex.substring(0, comma);
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                len = 0;
                for (String b : hex.split(":")) {
                    if (b.length() != 2) {
                        continue;
                    }
                    int hi = Character.digit(b.charAt(0), 16);
                    int lo = Character.digit(b.charAt(1), 16);
                    if (hi < 0 || lo < 0) {
                        return false;
                    }
                    bytes.write(hi * 16 + lo);
                    len++;
                }
                setUserBuffer(f, arg, bytes.toByteArray(), values);
                p = close + 1;
            }
            if (line.startsWith(" \"", p)) {
                p += 2;
                if (len >= 0) {
                    p += len; // exactly the dumped bytes, printed or as '.'
                } else {
                    int q = line.indexOf('"', p);
                    p = q < 0 ? n : q;
                }
                if (p < n && line.charAt(p) == '"') {
                    p++;
                }
                if (line.startsWith("\"...", p - 1) || line.startsWith("...", p)) {
                    p = line.startsWith("...", p) ? p + 3 : p;
                }
            }
            if (line.startsWith(", ", p)) {
                p += 2;
            } else if (p < n && line.charAt(p) == ')') {
                return found == expected && p + 1 == n;
            } else {
                return false;
            }
        }
        return false;
    }

    /** The user buffer field 7.x adds next to a pointer argument: "__buf_val" for "buf". */
    private static void setUserBuffer(EventFormat f, String arg, byte[] bytes, Object[] values) {
        int idx = f.indexOf("__" + arg + "_val");
        if (idx < 0) {
            return;
        }
        FieldFormat ff = f.fields().get(idx);
        if (ff.isString()) {
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            values[idx] = new String(bytes, 0, end, StandardCharsets.UTF_8);
        } else {
            long[] a = new long[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                a[i] = bytes[i] & 0xff;
            }
            values[idx] = a;
        }
    }

    /** {@code 0xret} after "sys_x -> ". */
    static boolean syscallExit(EventFormat f, String line, int p, Object[] values) {
        int idx = f.indexOf("ret");
        if (idx < 0) {
            return false;
        }
        String s = line.substring(p).strip();
        if (!s.startsWith("0x") || s.length() == 2 || s.length() > 18) {
            return false;
        }
        long v = 0;
        for (int i = 2; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return false;
            }
            v = (v << 4) | d;
        }
        FieldFormat ff = f.fields().get(idx);
        values[idx] = PrintFmtMatcher.normalize(v, ff.size(), ff.signed());
        return true;
    }

    /** libtraceevent's "[FAILED TO PARSE] name=value ..." over the non-common fields, in format order. */
    static boolean keyValues(EventFormat f, String line, int p, Object[] values) {
        int n = line.length();
        boolean all = true;
        var fields = f.fields();
        for (int i = 0; i < fields.size(); i++) {
            FieldFormat ff = fields.get(i);
            if (ff.isCommon()) {
                continue;
            }
            String key = ff.name() + "=";
            if (!line.startsWith(key, p)) {
                int at = line.indexOf(" " + key, p);
                if (at < 0) {
                    all = false;
                    continue;
                }
                p = at + 1;
            }
            p += key.length();
            // the value runs to the next " field=" of a later field, or the end
            int end = n;
            for (int j = i + 1; j < fields.size(); j++) {
                int at = line.indexOf(" " + fields.get(j).name() + "=", p);
                if (at >= 0) {
                    end = at;
                    break;
                }
            }
            String v = line.substring(p, end);
            p = end < n ? end + 1 : n;
            if (ff.isString()) {
                values[i] = v;
            } else if (ff.isArray()) {
                values[i] = null;
                if (!v.isEmpty()) {
                    all = false;
                }
            } else {
                Long num = parseNum(v.strip());
                if (num == null) {
                    all = false;
                } else {
                    values[i] = PrintFmtMatcher.normalize(num, ff.size(), ff.signed());
                }
            }
        }
        return all;
    }

    private static Long parseNum(String s) {
        try {
            if (s.startsWith("0x")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.startsWith("-")) {
                return Long.parseLong(s);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
