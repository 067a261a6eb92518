package io.mbscope.parsers.format;

import io.mbscope.parsers.TraceFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the text of a tracepoint {@code format} file (tracefs events/SYSTEM/NAME/format, as
 * embedded in trace.dat EVENT_FORMATS/FTRACE_EVENTS and perf HEADER_TRACING_DATA).
 */
public final class FormatFileParser {
    private FormatFileParser() {
    }

    /** Array dimensions in a declaration; compiled once, every field of every format goes through it. */
    private static final java.util.regex.Pattern ARRAY_DIMS = java.util.regex.Pattern.compile("\\[[^\\]]*\\]");

    /**
     * @param system system name when the container gives it separately (trace.dat, perf); the
     *               file's own "system" is not in the file, so this is required for a proper name
     * @param text   the format file text
     * @param source where the text came from, for error messages (file name and section)
     * @param offset byte offset of the text in its file, for error messages (-1 if unknown)
     */
    public static EventFormat parse(String system, String text, String source, long offset)
            throws TraceFormatException {
        String name = null;
        int id = -1;
        List<FieldFormat> fields = new ArrayList<>();
        PrintFmt printFmt = null;
        String[] lines = text.split("\n");
        for (int li = 0; li < lines.length; li++) {
            String line = lines[li].strip();
            if (line.startsWith("name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("ID:")) {
                try {
                    id = Integer.parseInt(line.substring(3).strip());
                } catch (NumberFormatException e) {
                    throw TraceFormatException.expected(source, offset, "format of " + name, "numeric ID", line);
                }
            } else if (line.startsWith("field:")) {
                fields.add(parseField(line, source, offset, name));
            } else if (line.startsWith("print fmt:")) {
                // The print fmt is the last entry and may span lines: a few events (ext4_fc_stats,
                // ext4_fsmap_*) put a real newline inside the format string.
                StringBuilder pf = new StringBuilder(line.substring("print fmt:".length()).strip());
                while (li + 1 < lines.length) {
                    pf.append('\n').append(lines[++li]);
                }
                printFmt = parsePrintFmt(pf.toString().strip());
            }
        }
        if (name == null || id < 0) {
            throw TraceFormatException.expected(source, offset, "event format",
                    "a format file with 'name:' and 'ID:' lines", abbreviate(text));
        }
        return new EventFormat(id, system == null ? "" : system, name, fields, printFmt);
    }

    /** Name and ID of a format file, read without parsing its fields. */
    public record Peek(String name, int id) {
    }

    /**
     * The name and ID {@link #parse} would give {@code text}, found by scanning only for the
     * "name:" and "ID:" lines; null when they are missing or the ID is not a number (then parse
     * reports the problem).
     */
    public static Peek peek(String text) {
        String name = null;
        int id = -1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                eol = n;
            }
            int s = i;
            while (s < eol && Character.isWhitespace(text.charAt(s))) {
                s++;
            }
            if (text.startsWith("name:", s)) {
                name = text.substring(s + 5, eol).strip();
            } else if (text.startsWith("ID:", s)) {
                try {
                    id = Integer.parseInt(text.substring(s + 3, eol).strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (text.startsWith("print fmt:", s)) {
                break; // the print fmt runs to the end of the file
            }
            i = eol + 1;
        }
        return name == null || id < 0 ? null : new Peek(name, id);
    }

    private static FieldFormat parseField(String line, String source, long offset, String event)
            throws TraceFormatException {
        // field:unsigned int foo[4];	offset:8;	size:16;	signed:0;
        String decl = null;
        int off = -1;
        int size = -1;
        boolean signed = false;
        for (String part : line.split(";")) {
            String p = part.strip();
            if (p.startsWith("field:")) {
                decl = p.substring(6).strip();
            } else if (p.startsWith("offset:")) {
                off = parseInt(p.substring(7), source, offset, event, line);
            } else if (p.startsWith("size:")) {
                size = parseInt(p.substring(5), source, offset, event, line);
            } else if (p.startsWith("signed:")) {
                signed = parseInt(p.substring(7), source, offset, event, line) != 0;
            }
        }
        if (decl == null || off < 0 || size < 0) {
            throw TraceFormatException.expected(source, offset, "format of " + event,
                    "field line with offset and size", line);
        }
        boolean dataLoc = false;
        if (decl.startsWith("__data_loc ")) {
            dataLoc = true;
            decl = decl.substring("__data_loc ".length()).strip();
        } else if (decl.startsWith("__rel_loc ")) {
            dataLoc = true;
            decl = decl.substring("__rel_loc ".length()).strip();
        }
        int arrayLength = -1;
        String typeAndName = decl;
        int bracket = decl.indexOf('[');
        if (bracket >= 0 && decl.lastIndexOf(' ') > bracket) {
            // "__data_loc char[] name": the brackets belong to the type, the name is the last word
            int sp = decl.lastIndexOf(' ');
            String type = ARRAY_DIMS.matcher(decl.substring(0, sp).strip()).replaceAll("[]");
            return new FieldFormat(dataLoc ? "__data_loc " + type : type, decl.substring(sp + 1), off, size, signed,
                    dataLoc, 0);
        }
        String arraySuffix = "";
        if (bracket >= 0) {
            int close = decl.indexOf(']', bracket);
            String inner = close > bracket ? decl.substring(bracket + 1, close).strip() : "";
            arraySuffix = decl.substring(bracket, close < 0 ? decl.length() : close + 1);
            typeAndName = decl.substring(0, bracket).strip();
            if (inner.isEmpty()) {
                arrayLength = 0;
            } else {
                try {
                    arrayLength = Integer.parseInt(inner);
                } catch (NumberFormatException e) {
                    // An array sized by a macro the format file did not expand: size / element size is unknown
                    arrayLength = 0;
                }
            }
        }
        int sp = Math.max(typeAndName.lastIndexOf(' '), typeAndName.lastIndexOf('*'));
        String fieldName = typeAndName.substring(sp + 1);
        String type = typeAndName.substring(0, sp + 1).strip() + ARRAY_DIMS.matcher(arraySuffix).replaceAll("[]");
        if (dataLoc) {
            type = "__data_loc " + type;
            if (arrayLength < 0) {
                arrayLength = 0;
            }
        }
        return new FieldFormat(type, fieldName, off, size, signed, dataLoc, arrayLength);
    }

    private static int parseInt(String s, String source, long offset, String event, String line)
            throws TraceFormatException {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw TraceFormatException.expected(source, offset, "format of " + event, "a number", line);
        }
    }

    /** Splits {@code "fmt", arg1, arg2(...)} at top-level commas. */
    static PrintFmt parsePrintFmt(String s) {
        String fmt = "";
        int i = 0;
        if (s.startsWith("\"")) {
            int j = 1;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\\') {
                    j += 2;
                    continue;
                }
                if (c == '"') {
                    break;
                }
                j++;
            }
            fmt = s.substring(1, Math.min(j, s.length()));
            i = Math.min(j + 1, s.length());
        }
        List<String> args = new ArrayList<>();
        int depth = 0;
        boolean inStr = false;
        StringBuilder cur = new StringBuilder();
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inStr) {
                cur.append(c);
                if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (c == '"') {
                    inStr = false;
                }
                continue;
            }
            if (c == '"') {
                inStr = true;
                cur.append(c);
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
                cur.append(c);
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
                cur.append(c);
            } else if (c == ',' && depth == 0) {
                if (cur.length() > 0 && !cur.toString().isBlank()) {
                    args.add(cur.toString().strip());
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            args.add(cur.toString().strip());
        }
        return new PrintFmt(fmt, args);
    }

    private static String abbreviate(String text) {
        String t = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return "'" + t.replace("\n", "\\n") + "'";
    }
}
