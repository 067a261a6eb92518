package io.mbscope.parsers.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately separate, small re-implementation of what the kernel does with a print fmt, for
 * the round-trip property: it understands only the argument shapes that occur in the ext4, iomap,
 * syscalls and ftrace formats (by regular expression, not by the matcher's expression parser) and
 * prints like vsnprintf + trace_print_flags_seq / trace_print_symbols_seq. {@link #supports}
 * tells whether a format uses only those shapes.
 */
final class PrintfFormatter {
    private static final Pattern CONV = Pattern.compile("%([-+ #0]*)(\\d*)(?:\\.\\d+)?(hh|h|ll|l|z)?(p[sS]?|[diuxXosc])");
    private static final Pattern MAJOR = Pattern.compile("\\(\\(unsigned int\\) \\(\\(REC->(\\w+)\\) >> 20\\)\\)");
    private static final Pattern MINOR = Pattern.compile(
            "\\(\\(unsigned int\\) \\(\\(REC->(\\w+)\\) & \\(\\(1U << 20\\) - 1\\)\\)\\)");
    private static final Pattern POW2 = Pattern.compile("REC->(\\w+) \\? 1 << REC->\\1 : 0");
    private static final Pattern SELF = Pattern.compile("REC->(\\w+) \\? REC->\\1 : 0");
    private static final Pattern FIELD = Pattern.compile("REC->(\\w+)");
    private static final Pattern CAST = Pattern.compile(
            "\\(\\s*(unsigned long long|unsigned long|unsigned int|unsigned short|unsigned|long long|long|int|u64|u32|void \\*)\\s*\\)\\s*(.*)",
            Pattern.DOTALL);
    private static final Pattern FLAGS = Pattern.compile("__print_flags\\((.*?), \"([^\"]*)\", (\\{.*\\})\\)",
            Pattern.DOTALL);
    private static final Pattern SYMBOLIC = Pattern.compile("__print_symbolic\\((REC->\\w+), (\\{.*\\})\\)",
            Pattern.DOTALL);
    private static final Pattern GET_STR = Pattern.compile("__get_str\\((\\w+)\\)");
    private static final Pattern ENTRY = Pattern.compile("\\{\\s*([^{}]*?)\\s*,\\s*\"([^\"]*)\"\\s*\\}");

    private PrintfFormatter() {
    }

    /** Whether every argument of the print fmt has a shape this formatter knows. */
    static boolean supports(EventFormat f) {
        if (f.printFmt() == null || f.printFmt().format().contains("\n")) {
            return false;
        }
        for (String a : f.printFmt().args()) {
            if (!known(a.strip())) {
                return false;
            }
        }
        return true;
    }

    private static boolean known(String a) {
        if (MAJOR.matcher(a.strip()).matches() || MINOR.matcher(a.strip()).matches()) {
            return true;
        }
        a = unparen(a);
        Matcher c = CAST.matcher(a);
        if (c.matches()) {
            return known(c.group(2));
        }
        if (MAJOR.matcher(a).matches() || MINOR.matcher(a).matches() || POW2.matcher(a).matches()
                || SELF.matcher(a).matches() || GET_STR.matcher(a).matches()) {
            return true;
        }
        if (FIELD.matcher(a).matches()) {
            return true;
        }
        Matcher fl = FLAGS.matcher(a);
        if (fl.matches()) {
            return known(fl.group(1));
        }
        return SYMBOLIC.matcher(a).matches();
    }

    /** The printed payload for field values by name (Long or String). */
    static String format(EventFormat f, Map<String, Object> values) {
        String fmt = unescape(f.printFmt().format());
        List<String> args = f.printFmt().args();
        StringBuilder out = new StringBuilder();
        Matcher m = CONV.matcher(fmt);
        int pos = 0;
        int argi = 0;
        while (m.find()) {
            out.append(fmt, pos, m.start());
            pos = m.end();
            String flags = m.group(1);
            int width = m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
            String len = m.group(3) == null ? "" : m.group(3);
            char conv = m.group(4).charAt(0);
            Object v = eval(args.get(argi++).strip(), values);
            String s;
            if (conv == 's' || v instanceof String) {
                s = String.valueOf(v);
            } else {
                long x = (Long) v;
                int bits = len.equals("l") || len.equals("ll") || len.equals("z") || conv == 'p' ? 64
                        : len.equals("h") ? 16 : len.equals("hh") ? 8 : 32;
                long mask = bits == 64 ? -1L : (1L << bits) - 1;
                switch (conv) {
                    case 'd':
                    case 'i':
                        s = Long.toString(bits == 64 ? x : (x << (64 - bits)) >> (64 - bits));
                        break;
                    case 'u':
                        s = Long.toUnsignedString(x & mask);
                        break;
                    case 'x':
                        s = Long.toHexString(x & mask);
                        break;
                    case 'X':
                        s = Long.toHexString(x & mask).toUpperCase();
                        break;
                    case 'o':
                        s = Long.toOctalString(x & mask);
                        break;
                    case 'p':
                        s = "0x" + Long.toHexString(x);
                        break;
                    default:
                        s = String.valueOf((char) x);
                        break;
                }
                if (flags.contains("#") && (conv == 'x' || conv == 'X')) {
                    s = "0x" + s;
                }
                if (flags.contains("0") && !flags.contains("-")) {
                    while (s.length() < width) {
                        s = "0" + s;
                    }
                }
            }
            while (s.length() < width) {
                s = flags.contains("-") ? s + " " : " " + s;
            }
            out.append(s);
        }
        out.append(fmt.substring(pos).replace("%%", "%"));
        return out.toString();
    }

    private static Object eval(String a, Map<String, Object> values) {
        Matcher m;
        if ((m = MAJOR.matcher(a.strip())).matches()) {
            return (num(values, m.group(1)) & 0xffffffffL) >>> 20;
        }
        if ((m = MINOR.matcher(a.strip())).matches()) {
            return num(values, m.group(1)) & 0xfffff;
        }
        a = unparen(a);
        if ((m = POW2.matcher(a)).matches()) {
            long b = num(values, m.group(1));
            return b == 0 ? 0L : (long) (1 << b);
        }
        if ((m = SELF.matcher(a)).matches()) {
            return num(values, m.group(1));
        }
        if ((m = GET_STR.matcher(a)).matches()) {
            return values.get(m.group(1));
        }
        if ((m = FLAGS.matcher(a)).matches()) {
            long v = (Long) eval(m.group(1), values);
            String delim = m.group(2);
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (Map.Entry<Long, String> e : table(m.group(3)).entrySet()) {
                if (v == 0) {
                    break;
                }
                long mask = e.getKey();
                if ((v & mask) != mask) {
                    continue;
                }
                v &= ~mask;
                if (!first) {
                    sb.append(delim);
                }
                first = false;
                sb.append(e.getValue());
            }
            if (v != 0) {
                if (!first) {
                    sb.append(delim);
                }
                sb.append("0x").append(Long.toHexString(v));
            }
            return sb.toString();
        }
        if ((m = SYMBOLIC.matcher(a)).matches()) {
            long v = (Long) eval(m.group(1), values);
            String name = table(m.group(2)).get(v);
            return name != null ? name : "0x" + Long.toHexString(v);
        }
        if ((m = CAST.matcher(a)).matches()) {
            Object v = eval(m.group(2), values);
            if (v instanceof Long l) {
                switch (m.group(1)) {
                    case "unsigned int":
                    case "unsigned":
                    case "u32":
                        return l & 0xffffffffL;
                    case "int":
                        return (long) (int) (long) l;
                    case "unsigned short":
                        return l & 0xffff;
                    default:
                        return l;
                }
            }
            return v;
        }
        if ((m = FIELD.matcher(a)).matches()) {
            return values.get(m.group(1));
        }
        throw new IllegalArgumentException("unsupported argument " + a);
    }

    private static long num(Map<String, Object> values, String field) {
        return (Long) values.get(field);
    }

    /** "{ 0x1, "A" }, { (1U << 3), "B" }" in table order. */
    static Map<Long, String> table(String entries) {
        Map<Long, String> t = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(entries);
        while (e.find()) {
            t.putIfAbsent(constant(e.group(1)), e.group(2));
        }
        return t;
    }

    private static long constant(String s) {
        String v = s.replaceAll("\\(\\s*(int|__kernel_rwf_t|unsigned|unsigned int|unsigned long)\\s*\\)", "")
                .replaceAll("[()]", "").replaceAll("(?<=[0-9a-fA-F])[UL]+\\b", "").strip();
        if (v.contains("<<")) {
            String[] p = v.split("<<");
            return parse(p[0].strip()) << parse(p[1].strip());
        }
        return parse(v);
    }

    private static long parse(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** Strips parentheses that enclose the whole expression. */
    private static String unparen(String a) {
        a = a.strip();
        while (a.startsWith("(") && a.endsWith(")") && closes(a)) {
            a = a.substring(1, a.length() - 1).strip();
        }
        return a;
    }

    private static boolean closes(String a) {
        int depth = 0;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0 && i < a.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** Fields that appear in a {@code x ? 1 << x : 0} argument: their values must stay below 31. */
    static List<String> pow2Fields(EventFormat f) {
        List<String> out = new ArrayList<>();
        for (String a : f.printFmt().args()) {
            Matcher m = POW2.matcher(unparen(a));
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Fields printed whole (REC->x through casts that do not narrow it, or a table lookup of it). */
    static List<String> wholeFields(EventFormat f) {
        List<String> out = new ArrayList<>();
        List<String> convs = new ArrayList<>();
        Matcher cm = CONV.matcher(unescape(f.printFmt().format()));
        while (cm.find()) {
            convs.add(cm.group(4));
        }
        for (int ai = 0; ai < f.printFmt().args().size(); ai++) {
            String a = f.printFmt().args().get(ai);
            String s = unparen(a.strip());
            boolean table = FLAGS.matcher(s).matches() || SYMBOLIC.matcher(s).matches();
            if (ai < convs.size() && convs.get(ai).equals("s") && !table && !GET_STR.matcher(s).matches()) {
                Matcher fm = FIELD.matcher(s);
                if (!fm.matches() || f.field(fm.group(1)) == null || !f.field(fm.group(1)).isString()) {
                    continue; // %s of a char * pointer (ext4_error's function): the text is not the field
                }
            }
            Matcher m;
            if ((m = FLAGS.matcher(s)).matches() || (m = SYMBOLIC.matcher(s)).matches()) {
                s = unparen(m.group(1));
            }
            Matcher c = CAST.matcher(s);
            String cast = null;
            if (c.matches()) {
                cast = c.group(1);
                s = unparen(c.group(2));
            }
            if ((m = FIELD.matcher(s)).matches() || (m = POW2.matcher(s)).matches() || (m = SELF.matcher(s)).matches()) {
                FieldFormat ff = f.field(m.group(1));
                if (ff != null && (cast == null || cast.contains("long") || cast.contains("64") || ff.size() <= 4
                        && !cast.contains("short"))) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
