package io.mbscope.parsers.text;

import io.mbscope.parsers.ReadStats;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceInfo;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.EventTyper;
import io.mbscope.parsers.event.RawEvent;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.BuiltinFormats;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.FormatDirectory;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.parsers.format.PrintFmtMatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the three text renderings of a trace: {@code trace-cmd report} output, a raw ftrace
 * {@code trace} file, and default {@code perf script} output. The layout is detected from the first
 * lines; every payload is read back into field values with the event's print fmt (see
 * {@link PrintFmtMatcher}), so a text trace yields the same typed events as its trace.dat.
 *
 * <p>Formats: pass the trace's own (e.g. {@link FormatDirectory#load} of the {@code formats/} folder
 * saved with it). With {@code null}, the formats bundled for 7.3.4, 6.18.44 and 6.12.117
 * ({@link BuiltinFormats}) are used: the first {@value #WINDOW} lines are read with each kernel's
 * formats, the kernel whose formats read the most lines completely becomes the primary one (the
 * newest on a tie), and a later line the primary kernel cannot read is retried with the others.
 *
 * <p>Nothing is dropped silently: an event line whose payload does not fit its format becomes a
 * {@link TraceEvent.Generic} with what could be read and is counted in {@link ReadStats#skipped()};
 * an event with no known format becomes a Generic whose single field {@code payload} holds the text.
 * "LOST n EVENTS" lines add to {@link ReadStats#lostEvents()}. A line that is not an event, a comment
 * or a lost-events notice is corrupt input: {@link TraceFormatException} with the line number as
 * offset.
 *
 * <p>Memory stays flat: one line at a time, plus the fixed look-ahead window at the start.
 */
public final class TextTraceReader implements TraceReader {
    /** Lines read ahead at open to learn the instance names and, without formats, the kernel. */
    static final int WINDOW = 2000;
    private static final int MAX_PROBLEMS = 20;
    private static final Pattern LOST = Pattern.compile("LOST (\\d+) EVENTS");
    private static final Pattern CPUS = Pattern.compile("#P:(\\d+)");

    private record Line(long no, String text) {
    }

    private final LineSource src;
    private final BufferedReader closeable;
    private final String file;
    private final TextDialect dialect;
    private final FormatSource formats;
    private final ReadStats stats = new ReadStats();
    /** Lenient: a line that is not an event line is skipped and counted instead of ending the read. */
    private boolean lenient;
    private final ArrayDeque<Line> window = new ArrayDeque<>();
    private final LineHeader header = new LineHeader();
    /** For looking at a following line without losing the current line's header. */
    private final LineHeader probe = new LineHeader();
    private final TraceInfo info;
    private final Map<String, EventFormat> synthetic = new HashMap<>();
    private final Map<String, Long> unresolved = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long lineNo;
    /** True while the look-ahead window is read with each kernel's formats: nothing is counted then. */
    private boolean probing;

    private TextTraceReader(BufferedReader in, String file, FormatRegistry formats) throws IOException {
        this.closeable = in;
        this.file = file;
        this.src = new LineSource(in, file);
        this.formats = new FormatSource(formats);
        String first;
        do {
            first = src.next();
        } while (first != null && first.isBlank());
        if (first == null) {
            throw new TraceFormatException(file, 0, "text header",
                    "expected a text trace (trace-cmd report, ftrace trace or perf script), found an empty input");
        }
        int cpus = 0;
        TextDialect d;
        if (first.startsWith("cpus=")) {
            d = TextDialect.TRACE_CMD;
            try {
                cpus = Integer.parseInt(first.substring(5).strip());
            } catch (NumberFormatException e) {
                throw TraceFormatException.expected(file, src.lineNo(), "line " + src.lineNo(),
                        "'cpus=<number>'", quote(first));
            }
        } else if (first.startsWith("#")) {
            d = TextDialect.FTRACE;
            Matcher m = CPUS.matcher(first);
            if (m.find()) {
                cpus = Integer.parseInt(m.group(1));
            }
        } else {
            d = detect(first);
            if (d == null) {
                throw TraceFormatException.expected(file, src.lineNo(), "line " + src.lineNo(),
                        "'cpus=N' (trace-cmd report), '# tracer:' (ftrace trace) or an event line "
                                + "'comm-pid [cpu] secs.usecs: event: payload'", quote(first));
            }
            window.add(new Line(src.lineNo(), first));
        }
        this.dialect = d;
        // look ahead: ftrace's header comments, instance names, the kernel of the bundled formats
        Set<String> buffers = new LinkedHashSet<>();
        String s;
        while (window.size() < WINDOW && (s = src.next()) != null) {
            if (d == TextDialect.FTRACE && s.startsWith("#") && cpus == 0) {
                Matcher m = CPUS.matcher(s);
                if (m.find()) {
                    cpus = Integer.parseInt(m.group(1));
                }
            }
            window.add(new Line(src.lineNo(), s));
        }
        for (Line l : window) {
            if (header.parse(l.text(), d)) {
                buffers.add(header.instance == null ? "" : header.instance);
            }
        }
        if (buffers.isEmpty()) {
            buffers.add("");
        }
        if (this.formats.builtIn()) {
            choosePrimaryKernel();
        }
        this.info = new TraceInfo(file, d.format, null, null, cpus, new ArrayList<>(buffers));
    }

    /**
     * Opens a text trace.
     *
     * @param in          the text; closed by {@link #close()}
     * @param displayName file name for messages and {@link TraceInfo#source()}
     * @param formats     the traced kernel's formats, or null for the bundled ones
     */
    public static TextTraceReader open(BufferedReader in, String displayName, FormatRegistry formats)
            throws IOException {
        try {
            return new TextTraceReader(in, displayName, formats);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** As {@link #open(BufferedReader, String, FormatRegistry)}, lenient as in {@link #open(InputStream, String, Path, io.mbscope.parsers.ReadOptions)}. */
    public static TextTraceReader open(BufferedReader in, String displayName, FormatRegistry formats,
                                       io.mbscope.parsers.ReadOptions options) throws IOException {
        TextTraceReader r = open(in, displayName, formats);
        r.lenient = options.lenient();
        return r;
    }

    /** Opens UTF-8 text from a stream with the formats of a {@code formats/} folder (null: bundled). */
    public static TextTraceReader open(InputStream in, String displayName, Path formatsDir) throws IOException {
        FormatRegistry reg;
        try {
            reg = formatsDir == null ? null : FormatDirectory.load(formatsDir);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return open(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), displayName,
                reg);
    }

    /**
     * As {@link #open(InputStream, String, Path)}; lenient: a line that is not an event line (nor a
     * header, comment or lost-events notice) is skipped and counted in {@link #stats()} under a
     * "corrupt: " reason instead of ending the read.
     */
    public static TextTraceReader open(InputStream in, String displayName, Path formatsDir,
                                       io.mbscope.parsers.ReadOptions options) throws IOException {
        TextTraceReader r = open(in, displayName, formatsDir);
        r.lenient = options.lenient();
        return r;
    }

    /** The dialect of a first line that is an event line, or null. */
    private TextDialect detect(String line) {
        if (header.parse(line, TextDialect.PERF_SCRIPT) && header.system != null) {
            return TextDialect.PERF_SCRIPT;
        }
        if (header.parse(line, TextDialect.FTRACE)) {
            return header.flagsColumn || header.kind != LineHeader.Kind.EVENT ? TextDialect.FTRACE
                    : TextDialect.TRACE_CMD;
        }
        if (header.parse(line, TextDialect.TRACE_CMD)) {
            return TextDialect.TRACE_CMD;
        }
        return null;
    }

    private void choosePrimaryKernel() {
        probing = true;
        String best = null;
        int bestScore = -1;
        for (String k : BuiltinFormats.kernels()) {
            FormatRegistry reg = BuiltinFormats.registry(k);
            int score = 0;
            for (Line l : window) {
                if (!header.parse(l.text(), dialect)) {
                    continue;
                }
                String key = key(header);
                EventFormat f = reg.byName(key);
                if (f == null && header.system != null) {
                    f = reg.byName(header.name);
                }
                if (f == null) {
                    continue;
                }
                PrintFmtMatcher m = FormatSource.builtinMatcher(f);
                Object[] values = new Object[f.fields().size()];
                int nf = f.fields().size();
                if (read(f, m, l.text(), values, new long[nf], new boolean[nf]) == null) {
                    score++;
                }
            }
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        probing = false;
        formats.setPrimary(best);
    }

    @Override
    public TraceInfo info() {
        return info;
    }

    /** The trace's own formats, or the primary kernel's bundled ones. */
    @Override
    public FormatRegistry formats() {
        return formats.primary();
    }

    /** The kernel whose bundled formats are tried first, or null when the caller gave formats. */
    public String builtinKernel() {
        return formats.primaryKernel();
    }

    /**
     * Values that were read but cannot become field values again, by event name: a pointer printed
     * as a symbol, an expression with no inverse. Informational: these are not skips.
     */
    public Map<String, Long> unresolved() {
        return Collections.unmodifiableMap(unresolved);
    }

    /** The first few lines that did not fit their format, with line number and what did not fit. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    @Override
    public TraceEvent next() throws IOException {
        while (true) {
            String line;
            if (!window.isEmpty()) {
                Line l = window.poll();
                line = l.text();
                lineNo = l.no();
            } else {
                line = src.next();
                lineNo = src.lineNo();
                if (line == null) {
                    return null;
                }
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.contains("buffer started")) {
                    nonEventLine(line);
                }
                continue;
            }
            if (!header.parse(line, dialect)) {
                if (!nonEventLine(line)) {
                    TraceFormatException e = TraceFormatException.expected(file, lineNo, "line " + lineNo,
                            dialect.format.label() + " event line", quote(line));
                    if (!lenient) {
                        throw e;
                    }
                    // A line is the unit of a text trace: the next one starts afresh.
                    stats.skipCorrupt("text lines skipped: not an event line", line.length() + 1L, e.getMessage());
                }
                continue;
            }
            String key = key(header);
            line = joinContinuations(line, key);
            TraceEvent e = event(line, key);
            stats.countEvent();
            return e;
        }
    }

    /**
     * A few print fmts hold a newline (ext4_fc_stats: "reasons:\n%s:%u, ..."), so the event spans
     * lines; the following lines that are not event lines of their own are appended.
     */
    private String joinContinuations(String line, String key) throws IOException {
        FormatSource.Candidate[] cands = formats.candidates(key);
        if (cands.length == 0) {
            return line;
        }
        int breaks = cands[0].matcher().lineBreaks();
        if (breaks == 0) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line);
        for (int k = 0; k < breaks; k++) {
            if (window.isEmpty()) {
                String more = src.next();
                if (more == null) {
                    break;
                }
                window.add(new Line(src.lineNo(), more));
            }
            String more = window.peek().text();
            if (more.isBlank() || more.startsWith("#") || probe.parse(more, dialect)) {
                break;
            }
            sb.append('\n').append(window.poll().text());
        }
        return sb.toString();
    }

    /** Lost-event notices and repeated headers; false if the line is garbage. */
    private boolean nonEventLine(String line) {
        if (line.startsWith("cpus=") && dialect == TextDialect.TRACE_CMD) {
            return true;
        }
        Matcher m = LOST.matcher(line);
        if (m.find()) {
            try {
                stats.addLost(Long.parseLong(m.group(1)));
            } catch (NumberFormatException e) {
                stats.skip("lost events of unknown count");
            }
            return true;
        }
        if (line.contains("[LOST EVENTS]") || line.contains("LOST EVENTS")) {
            stats.skip("lost events of unknown count");
            return true;
        }
        if (line.contains("buffer started")) {
            // ftrace: this CPU's ring buffer overwrote everything before this point; how much is unknown
            stats.skip("lost events: a CPU ring buffer started after the trace began (count unknown)");
            return true;
        }
        return false;
    }

    private String key(LineHeader h) {
        switch (h.kind) {
            case SYSCALL_ENTER:
                return h.name.startsWith("sys_") ? "sys_enter_" + h.name.substring(4) : h.name;
            case SYSCALL_EXIT:
                return h.name.startsWith("sys_") ? "sys_exit_" + h.name.substring(4) : h.name;
            default:
                if (dialect == TextDialect.FTRACE && h.name.equals("tracing_mark_write")) {
                    return "print";
                }
                return h.system == null ? h.name : h.system + ":" + h.name;
        }
    }

    private TraceEvent event(String line, String key) {
        LineHeader h = header;
        EventHeader eh = new EventHeader(h.tsNs, h.cpu, h.pid, h.comm);
        FormatSource.Candidate[] cands = formats.candidates(key);
        if (cands.length == 0) {
            EventFormat f = synthetic.computeIfAbsent(key, k -> new EventFormat(-1,
                    h.system == null ? "" : h.system, h.name,
                    List.of(new FieldFormat("char[]", "payload", 0, 0, false, false, 0)), null));
            stats.skip("no format for event " + key + " (kept as text)");
            problem("no format for event " + key);
            return new TraceEvent.Generic(eh, new RawEvent(f, eh, new Object[] {line.substring(
                    Math.min(h.payloadStart, line.length()))}));
        }
        Object[] firstValues = null;
        long[] firstNums = null;
        boolean[] firstIsNum = null;
        String firstProblem = null;
        for (int i = 0; i < cands.length; i++) {
            FormatSource.Candidate c = cands[i];
            int n = c.format().fields().size();
            Object[] values = new Object[n];
            // integers the print fmt yields go straight to an unboxed store (no Long per field)
            long[] nums = new long[n];
            boolean[] isNum = new boolean[n];
            String problem = read(c.format(), c.matcher(), line, values, nums, isNum);
            if (problem == null) {
                if (i > 0) {
                    formats.prefer(key, i);
                }
                return EventTyper.type(raw(c.format(), eh, values, nums, isNum));
            }
            if (i == 0) {
                firstValues = values;
                firstNums = nums;
                firstIsNum = isNum;
                firstProblem = problem;
            }
        }
        stats.skip(key + ": payload does not match its print fmt");
        problem(key + ": " + firstProblem);
        return new TraceEvent.Generic(eh, raw(cands[0].format(), eh, firstValues, firstNums, firstIsNum));
    }

    private void problem(String what) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("line " + lineNo + ": " + what);
        }
    }

    /**
     * The event from what the line gave: {@code values[i]} when set (strings, arrays, and the Longs
     * of the special payload readers), else {@code nums[i]} when {@code isNum[i]}, else absent.
     */
    private RawEvent raw(EventFormat f, EventHeader eh, Object[] values, long[] nums, boolean[] isNum) {
        int pid = f.indexOf("common_pid");
        if (pid >= 0) {
            values[pid] = null;
            nums[pid] = eh.pid();
            isNum[pid] = true;
        }
        int type = f.indexOf("common_type");
        if (type >= 0 && f.id() >= 0) {
            values[type] = null;
            nums[type] = f.id();
            isNum[type] = true;
        }
        boolean[] absent = null;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Long l) {
                nums[i] = l;
                values[i] = null;
            } else if (v == null && !isNum[i]) {
                if (absent == null) {
                    absent = new boolean[values.length];
                }
                absent[i] = true;
            }
        }
        return RawEvent.of(f, eh, nums, values, absent);
    }

    /** Reads the payload of the line in {@link #header} into values; null if it fits, else what did not. */
    private String read(EventFormat f, PrintFmtMatcher m, String line, Object[] values, long[] nums,
                        boolean[] isNum) {
        LineHeader h = header;
        int p = Math.min(h.payloadStart, line.length());
        switch (h.kind) {
            case SYSCALL_ENTER:
                return SpecialPayloads.syscallEnter(f, line, p, values) ? null : "syscall arguments do not fit";
            case SYSCALL_EXIT:
                return SpecialPayloads.syscallExit(f, line, p, values) ? null : "syscall return does not fit";
            default:
                break;
        }
        if (dialect == TextDialect.FTRACE && h.name.equals("tracing_mark_write") && f.name().equals("print")) {
            // ftrace prints a marker as "<ip symbol>: <text>": the symbol stands where the event name would
            // (the address behind the symbol is gone: ip stays null)
            int buf = f.indexOf("buf");
            if (buf >= 0) {
                values[buf] = line.substring(p);
            }
            return null;
        }
        if (line.startsWith(SpecialPayloads.FAILED_TO_PARSE, p)) {
            return SpecialPayloads.keyValues(f, line, p + SpecialPayloads.FAILED_TO_PARSE.length(), values) ? null
                    : "[FAILED TO PARSE] fields do not fit";
        }
        PrintFmtMatcher.Result r = m.match(line, p, values, nums, isNum,
                dialect == TextDialect.PERF_SCRIPT ? PrintFmtMatcher.QUIRK_PERF_ZD_32BIT : 0);
        if (r.unresolved() > 0 && !probing) {
            unresolved.merge(f.name(), (long) r.unresolved(), Long::sum);
        }
        return r.complete() ? null : r.problem();
    }

    private static String quote(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + t + "'";
    }

    @Override
    public void close() throws IOException {
        closeable.close();
    }
}
