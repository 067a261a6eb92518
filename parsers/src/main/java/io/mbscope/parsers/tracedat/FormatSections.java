package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FormatFileParser;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The metadata blocks whose layout v6 and v7 share: v6 writes them one after the other at the
 * start of the file, v7 puts each in its own (possibly compressed) section, with the same content.
 *
 * <p>Shared by the v6 and v7 readers; not part of mbscope's public API.
 */
public final class FormatSections {
    /** A format file is a few KiB; this only stops a corrupt size from allocating gigabytes. */
    private static final int MAX_FORMAT_FILE = 1 << 20;
    private static final int MAX_COUNT = 1 << 20;
    /** saved_cmdlines holds at most a few hundred thousand lines. */
    private static final int MAX_CMDLINES = 64 << 20;

    private FormatSections() {
    }

    /** {@code "header_page\0"} u64 size, text, {@code "header_event\0"} u64 size, text. */
    public static PageLayout readHeaderInfo(Cursor c, int longSize) throws IOException {
        long at = c.offset();
        String tag = c.cstring(32, "\"header_page\" tag");
        if (!tag.equals("header_page")) {
            throw c.error("\"header_page\"", "'" + tag + "'");
        }
        String page = c.text(c.size(capped(c, c.u64("header_page size"), "header_page size"), "header_page text"),
                "header_page text");
        tag = c.cstring(32, "\"header_event\" tag");
        if (!tag.equals("header_event")) {
            throw c.error("\"header_event\"", "'" + tag + "'");
        }
        String event = c.text(c.size(capped(c, c.u64("header_event size"), "header_event size"),
                "header_event text"), "header_event text");
        return PageLayout.parse(page, event, longSize, c.file(), at);
    }

    /** u32 count, then count x (u64 size, format file) of the "ftrace" system (print, function, ...). */
    public static void readFtraceEvents(Cursor c, FormatRegistry into) throws IOException {
        int n = count(c, "ftrace event count");
        for (int i = 0; i < n; i++) {
            readFormat(c, "ftrace", into);
        }
    }

    /** u32 systems; per system: name, u32 count, count x (u64 size, format file). */
    public static void readEventSystems(Cursor c, FormatRegistry into) throws IOException {
        int systems = count(c, "event system count");
        for (int s = 0; s < systems; s++) {
            String system = c.cstring(256, "event system name");
            int n = count(c, "event count of system " + system);
            for (int i = 0; i < n; i++) {
                readFormat(c, system, into);
            }
        }
    }

    private static long capped(Cursor c, long size, String what) throws TraceFormatException {
        if (size < 0 || size > MAX_FORMAT_FILE) {
            throw c.error(what + " up to " + MAX_FORMAT_FILE, Long.toUnsignedString(size));
        }
        return size;
    }

    private static int count(Cursor c, String what) throws IOException {
        long n = c.u32(what);
        // Every entry takes at least its 8-byte size field: a count beyond that is corrupt.
        if (n > MAX_COUNT || n * 8 > c.remaining()) {
            throw c.error(what + " that fits the " + c.remaining() + " bytes left", n);
        }
        return (int) n;
    }

    private static void readFormat(Cursor c, String system, FormatRegistry into) throws IOException {
        long size = c.u64("format file size");
        if (size < 0 || size > MAX_FORMAT_FILE) {
            throw c.error("format file size up to " + MAX_FORMAT_FILE, Long.toUnsignedString(size));
        }
        long at = c.offset();
        String text = c.text(c.size(size, "format file"), "format file of system " + system);
        String file = c.file();
        // Only the formats of events the trace holds get parsed (on first use); a file whose name
        // or ID cannot even be found is parsed now, so that error still comes at open.
        FormatFileParser.Peek peek = FormatFileParser.peek(text);
        if (peek == null) {
            into.add(parseFormat(system, text, file, at));
        } else {
            into.addDeferred(peek.id(), system, peek.name(), () -> parseFormat(system, text, file, at));
        }
    }

    private static EventFormat parseFormat(String system, String text, String file, long at)
            throws TraceFormatException {
        try {
            return FormatFileParser.parse(system, text, file, at);
        } catch (RuntimeException e) {
            throw new TraceFormatException(file, at, "format file of system " + system,
                    "unparsable format file: " + e, e);
        }
    }

    /** The saved_cmdlines text: {@code "<pid> <comm>\n"} lines. */
    public static Map<Integer, String> parseCmdlines(String text) {
        Map<Integer, String> m = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                eol = n;
            }
            int sp = text.indexOf(' ', i);
            if (sp > i && sp < eol) {
                try {
                    m.put(Integer.parseInt(text.substring(i, sp).strip()), text.substring(sp + 1, eol));
                } catch (NumberFormatException e) {
                    // Not a "<pid> <comm>" line: saved_cmdlines has no other kind, ignore it
                }
            }
            i = eol + 1;
        }
        return m;
    }

    public static int maxCmdlines() {
        return MAX_CMDLINES;
    }

    /**
     * trace-cmd stores {@code "<sysname> <nodename> <release> <machine>"} (trace-record.c, from
     * uname(2)); the release is the third word.
     */
    public static String kernelRelease(String uname) {
        if (uname == null) {
            return null;
        }
        String[] w = uname.strip().split("\\s+");
        return w.length >= 3 ? w[2] : null;
    }

    /** The selected clock of a trace_clock file ("local global [mono] ..."), or the text if it has one word. */
    public static String selectedClock(String traceClock) {
        if (traceClock == null) {
            return null;
        }
        int a = traceClock.indexOf('[');
        int b = traceClock.indexOf(']', a + 1);
        if (a >= 0 && b > a) {
            return traceClock.substring(a + 1, b);
        }
        String t = traceClock.strip();
        return t.isEmpty() || t.contains(" ") ? null : t;
    }

    /** Reads an option's NUL-terminated text payload. */
    public static String optionText(byte[] data) {
        int n = 0;
        while (n < data.length && data[n] != 0) {
            n++;
        }
        return new String(data, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

}
