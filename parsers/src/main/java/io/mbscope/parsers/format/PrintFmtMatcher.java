package io.mbscope.parsers.format;

import io.mbscope.parsers.format.PrintExpr.Binary;
import io.mbscope.parsers.format.PrintExpr.Braces;
import io.mbscope.parsers.format.PrintExpr.Call;
import io.mbscope.parsers.format.PrintExpr.Cast;
import io.mbscope.parsers.format.PrintExpr.Field;
import io.mbscope.parsers.format.PrintExpr.Ident;
import io.mbscope.parsers.format.PrintExpr.Index;
import io.mbscope.parsers.format.PrintExpr.Num;
import io.mbscope.parsers.format.PrintExpr.Str;
import io.mbscope.parsers.format.PrintExpr.Ternary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a printed tracepoint payload (the text after "event_name: " in ftrace, trace-cmd report or
 * perf script output) back into the field values of its {@link EventFormat}, by running the
 * event's {@code print fmt} backwards.
 *
 * <p>Each conversion of the format string is tied to its argument expression. Arguments that are a
 * field ({@code REC->x}, through any casts) set that field; bit-field pieces such as MAJOR/MINOR
 * ({@code (REC->dev) >> 20} and {@code (REC->dev) & ((1U << 20) - 1)}) are shifted and masked back
 * into one value; {@code __print_symbolic} and {@code __print_flags} names are mapped back through
 * the tables written in the print fmt itself (so an older kernel's table is used for an older
 * kernel's trace), accepting the {@code 0x...} tail the kernel prints for bits no entry covers and
 * plain numbers; {@code x ? 1 << x : 0} (ext4_mballoc_alloc's "broken", the buddy order) is
 * inverted with log2. Expressions that cannot be inverted leave their field null and are counted in
 * {@link Result#unresolved()}; so does a pointer printed as a kernel symbol ({@code %ps}/{@code %pS},
 * resolved by trace-cmd and by ftrace itself), which cannot become an address again (perf script
 * prints the address, which is kept).
 *
 * <p>Instances are immutable and thread-safe; build one per format and reuse it.
 */
public final class PrintFmtMatcher {

    /**
     * Outcome of one {@link #match} call.
     *
     * @param complete   every literal matched and every conversion parsed: the line is what the print fmt prints
     * @param unresolved conversions whose value was read but cannot be turned back into a field value
     *                   (non-invertible expression, symbol for an address, log2 of a non-power of two)
     * @param problem    for an incomplete match, what did not fit (for diagnostics), else null
     */
    public record Result(boolean complete, int unresolved, String problem) {
    }

    private static final Result NO_FORMAT = new Result(false, 0, "event format has no print fmt");

    private enum Kind { NUM, SYMBOLIC, FLAGS, STRING, POINTER, SKIP }

    /** How a value read from the text goes back into the fields. */
    private enum SinkKind { BITS, LOG2, ELEMENT, STRING, CONST, NONE }

    /**
     * Where a value goes. {@code cond} >= 0 marks {@code c ? x : 0} with another field c as the
     * condition: a non-zero value is x; a zero is x = 0 only if c was read and is non-zero.
     */
    private record Sink(SinkKind kind, int field, int shift, long mask, int element, String why, int cond) {
        Sink(SinkKind kind, int field, int shift, long mask, int element, String why) {
            this(kind, field, shift, mask, element, why, -1);
        }

        static Sink none(String why) {
            return new Sink(SinkKind.NONE, -1, 0, 0, 0, why);
        }

        Sink when(int condField) {
            return new Sink(kind, field, shift, mask, element, why, condField);
        }
    }

    /** One conversion: how to read it ({@code conv} char, flags, width) and where it goes. */
    private record Conv(Kind kind, char conv, boolean leftAlign, int width, Sink sink,
                        Map<String, Long> names, String delim, String[] namesByLength, boolean signedSizeT) {
        Conv(Kind kind, char conv, boolean leftAlign, int width, Sink sink, Map<String, Long> names, String delim,
             String[] namesByLength) {
            this(kind, conv, leftAlign, width, sink, names, delim, namesByLength, false);
        }

        Conv sizeT(boolean z) {
            return new Conv(kind, conv, leftAlign, width, sink, names, delim, namesByLength,
                    z && (conv == 'd' || conv == 'i'));
        }
    }

    /**
     * perf script 6.1's bundled libtraceevent prints {@code %zd} as a 32-bit unsigned number
     * ({@code ret 4294967274} for -22 in iomap_dio_complete); with this quirk a %zd value in
     * [2^31, 2^32) is read as the negative 32-bit number it was.
     */
    public static final int QUIRK_PERF_ZD_32BIT = 1;

    private final EventFormat format;
    /** Alternating literal (String) and Conv entries; literals are unescaped and never empty. */
    private final Object[] tokens;
    private final List<String> problems;
    private final Map<String, Map<Long, String>> symbolTables;
    private final Map<String, Map<Long, String>> flagTables;
    private final Map<String, String> flagDelims;
    private final boolean usable;
    /** {@link #lineBreaks()}, -1 until computed. */
    private int lineBreaks = -1;

    private PrintFmtMatcher(EventFormat format, Object[] tokens, List<String> problems,
                            Map<String, Map<Long, String>> symbolTables, Map<String, Map<Long, String>> flagTables,
                            Map<String, String> flagDelims, boolean usable) {
        this.format = format;
        this.tokens = tokens;
        this.problems = List.copyOf(problems);
        this.symbolTables = Collections.unmodifiableMap(symbolTables);
        this.flagTables = Collections.unmodifiableMap(flagTables);
        this.flagDelims = Collections.unmodifiableMap(flagDelims);
        this.usable = usable;
    }

    /** Builds the matcher of a format; never throws: what it cannot understand is listed in {@link #problems()}. */
    public static PrintFmtMatcher of(EventFormat format) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<Long, String>> symbolTables = new LinkedHashMap<>();
        Map<String, Map<Long, String>> flagTables = new LinkedHashMap<>();
        Map<String, String> flagDelims = new LinkedHashMap<>();
        PrintFmt pf = format.printFmt();
        if (pf == null) {
            problems.add("no print fmt");
            return new PrintFmtMatcher(format, new Object[0], problems, symbolTables, flagTables, flagDelims, false);
        }
        List<PrintExpr> args = new ArrayList<>();
        for (String a : pf.args()) {
            try {
                args.add(PrintExpr.parse(a));
            } catch (RuntimeException e) {
                problems.add("cannot parse argument '" + a + "': " + e.getMessage());
                args.add(null);
            }
        }
        List<Object> tokens = new ArrayList<>();
        String f = pf.format();
        StringBuilder lit = new StringBuilder();
        int argi = 0;
        boolean usable = true;
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == '\\' && i + 1 < f.length()) {
                lit.append(unescape(f.charAt(++i)));
                continue;
            }
            if (c != '%') {
                lit.append(c);
                continue;
            }
            if (i + 1 < f.length() && f.charAt(i + 1) == '%') {
                lit.append('%');
                i++;
                continue;
            }
            // %[flags][width][.precision][length]conv
            int j = i + 1;
            boolean left = false;
            boolean alt = false;
            while (j < f.length() && "-+ #0".indexOf(f.charAt(j)) >= 0) {
                left |= f.charAt(j) == '-';
                alt |= f.charAt(j) == '#';
                j++;
            }
            int width = 0;
            if (j < f.length() && f.charAt(j) == '*') {
                argi++; // the width comes from an argument we do not need
                j++;
            }
            while (j < f.length() && Character.isDigit(f.charAt(j))) {
                width = width * 10 + (f.charAt(j++) - '0');
            }
            if (j < f.length() && f.charAt(j) == '.') {
                j++;
                if (j < f.length() && f.charAt(j) == '*') {
                    argi++;
                    j++;
                }
                while (j < f.length() && Character.isDigit(f.charAt(j))) {
                    j++;
                }
            }
            boolean z = false;
            while (j < f.length() && "hlLqjzt".indexOf(f.charAt(j)) >= 0) {
                z |= f.charAt(j) == 'z';
                j++;
            }
            if (j >= f.length()) {
                problems.add("format string ends inside a conversion");
                usable = false;
                break;
            }
            char conv = f.charAt(j);
            String pext = "";
            if (conv == 'p' && j + 1 < f.length() && Character.isLetter(f.charAt(j + 1))) {
                // kernel pointer extensions: %ps %pS %pB %pK %pV %pU %pI4 ... (one letter, then digits)
                int k = j + 2;
                while (k < f.length() && Character.isDigit(f.charAt(k))) {
                    k++;
                }
                pext = f.substring(j + 1, k);
                j = k - 1;
            }
            i = j;
            if (lit.length() > 0) {
                tokens.add(lit.toString());
                lit.setLength(0);
            }
            PrintExpr arg = argi < args.size() ? args.get(argi) : null;
            if (argi >= args.size()) {
                problems.add("conversion %" + conv + " has no argument");
            }
            argi++;
            tokens.add(conversion(format, conv, pext, alt, left, width, arg, problems, symbolTables, flagTables,
                    flagDelims).sizeT(z));
        }
        if (lit.length() > 0) {
            tokens.add(lit.toString());
        }
        return new PrintFmtMatcher(format, tokens.toArray(), problems, symbolTables, flagTables, flagDelims, usable);
    }

    private static Conv conversion(EventFormat format, char conv, String pext, boolean alt, boolean left, int width,
                                   PrintExpr arg, List<String> problems, Map<String, Map<Long, String>> symbolTables,
                                   Map<String, Map<Long, String>> flagTables, Map<String, String> flagDelims) {
        if (arg == null) {
            return new Conv(conv == 's' ? Kind.SKIP : kindOf(conv), conv, left, width, Sink.none("no argument"),
                    null, null, null);
        }
        if (arg instanceof Call call && (call.name().equals("__print_symbolic")
                || call.name().equals("__print_symbolic_u64")) && !call.args().isEmpty()) {
            Sink sink = invert(format, call.args().get(0));
            Map<Long, String> table = table(call.args().subList(1, call.args().size()), problems);
            register(format, sink, table, symbolTables);
            return new Conv(Kind.SYMBOLIC, conv, left, width, sink, reverse(table), null, null);
        }
        if (arg instanceof Call call && (call.name().equals("__print_flags")
                || call.name().equals("__print_flags_u64")) && call.args().size() >= 2) {
            Sink sink = invert(format, call.args().get(0));
            String delim = call.args().get(1) instanceof Str s ? s.value() : "|";
            Map<Long, String> table = table(call.args().subList(2, call.args().size()), problems);
            register(format, sink, table, flagTables);
            if (sink.field() >= 0) {
                flagDelims.putIfAbsent(format.fields().get(sink.field()).name(), delim);
            }
            Map<String, Long> names = reverse(table);
            String[] byLength = names.keySet().stream().filter(n -> !n.isEmpty())
                    .sorted((a, b) -> b.length() - a.length()).toArray(String[]::new);
            return new Conv(Kind.FLAGS, conv, left, width, sink, names, delim, byLength);
        }
        Sink sink = invert(format, arg);
        if (sink.kind() == SinkKind.NONE) {
            problems.add("cannot invert '" + arg + "': " + sink.why());
        }
        Kind kind;
        if (conv == 'p') {
            kind = Kind.POINTER;
        } else if (conv == 's') {
            kind = sink.kind() == SinkKind.STRING ? Kind.STRING : Kind.SKIP;
            if (sink.kind() != SinkKind.STRING && sink.kind() != SinkKind.NONE) {
                // a %s of something that is not a string field: read it, but it cannot become a number
                sink = Sink.none("%s of a non-string expression");
            }
        } else {
            kind = kindOf(conv);
            if (kind == Kind.SKIP) {
                problems.add("unsupported conversion %" + conv);
            }
        }
        return new Conv(kind, conv, left, width, sink, null, null, null);
    }

    private static Kind kindOf(char conv) {
        switch (conv) {
            case 'd':
            case 'i':
            case 'u':
            case 'x':
            case 'X':
            case 'o':
            case 'c':
                return Kind.NUM;
            case 'p':
                return Kind.POINTER;
            default:
                return Kind.SKIP;
        }
    }

    private static void register(EventFormat format, Sink sink, Map<Long, String> table,
                                 Map<String, Map<Long, String>> into) {
        if (sink.field() >= 0) {
            into.putIfAbsent(format.fields().get(sink.field()).name(), Collections.unmodifiableMap(table));
        }
    }

    private static Map<String, Long> reverse(Map<Long, String> table) {
        Map<String, Long> m = new HashMap<>();
        for (Map.Entry<Long, String> e : table.entrySet()) {
            m.putIfAbsent(e.getValue(), e.getKey());
        }
        return m;
    }

    /** The {@code { value, "name" }} entries, in table order; entries whose value is not a constant are dropped. */
    private static Map<Long, String> table(List<PrintExpr> entries, List<String> problems) {
        Map<Long, String> t = new LinkedHashMap<>();
        for (PrintExpr e : entries) {
            if (e instanceof Braces b && b.items().size() == 2 && b.items().get(1) instanceof Str name) {
                Long v = PrintExpr.constant(b.items().get(0));
                if (v == null) {
                    problems.add("table entry '" + name.value() + "' has no constant value: " + b.items().get(0));
                    continue;
                }
                t.putIfAbsent(v, name.value());
            } else {
                problems.add("unexpected table entry " + e);
            }
        }
        return t;
    }

    private static PrintExpr stripCasts(PrintExpr e) {
        while (e instanceof Cast c) {
            e = c.operand();
        }
        return e;
    }

    /** Works out which field bits a printed value of {@code e} carries. */
    private static Sink invert(EventFormat format, PrintExpr e) {
        e = stripCasts(e);
        if (e instanceof Field fe) {
            int idx = format.indexOf(fe.name());
            if (idx < 0) {
                return Sink.none("no field " + fe.name());
            }
            FieldFormat ff = format.fields().get(idx);
            if (ff.isString()) {
                return new Sink(SinkKind.STRING, idx, 0, 0, 0, null);
            }
            return new Sink(SinkKind.BITS, idx, 0, -1L, 0, null);
        }
        if (e instanceof Num) {
            return new Sink(SinkKind.CONST, -1, 0, 0, 0, "constant");
        }
        if (e instanceof Binary b) {
            Long rc = PrintExpr.constant(b.right());
            Long lc = PrintExpr.constant(b.left());
            switch (b.op()) {
                case ">>": {
                    Sink s = invert(format, b.left());
                    if (s.kind() == SinkKind.BITS && rc != null && rc >= 0 && rc < 64) {
                        int k = (int) (long) rc;
                        return new Sink(SinkKind.BITS, s.field(), s.shift() + k, s.mask() >>> k, 0, null);
                    }
                    break;
                }
                case "&": {
                    PrintExpr other = rc != null ? b.left() : b.right();
                    Long c = rc != null ? rc : lc;
                    if (c != null) {
                        Sink s = invert(format, other);
                        if (s.kind() == SinkKind.BITS) {
                            return new Sink(SinkKind.BITS, s.field(), s.shift(), s.mask() & c, 0, null);
                        }
                    }
                    break;
                }
                case "<<": {
                    if (lc != null && lc == 1) {
                        Sink s = invert(format, b.right());
                        if (s.kind() == SinkKind.BITS && s.shift() == 0 && s.mask() == -1L) {
                            return new Sink(SinkKind.LOG2, s.field(), 0, -1L, 0, null);
                        }
                    }
                    break;
                }
                default:
                    break;
            }
            return Sink.none("operator " + b.op());
        }
        if (e instanceof Ternary t) {
            // x ? f(x) : 0 prints 0 exactly when x is 0, so f's inverse also covers the 0 case
            Long other = PrintExpr.constant(t.otherwise());
            PrintExpr cond = stripCasts(t.cond());
            if (other != null && other == 0 && cond instanceof Field cf) {
                Sink s = invert(format, t.then());
                int idx = format.indexOf(cf.name());
                if (s.field() == idx && (s.kind() == SinkKind.BITS || s.kind() == SinkKind.LOG2)) {
                    return s;
                }
                if (idx >= 0 && s.kind() == SinkKind.BITS && s.cond() < 0) {
                    // found ? pblk : 0 (ext4_es_lookup_extent_exit)
                    return s.when(idx);
                }
            }
            return Sink.none("conditional expression");
        }
        if (e instanceof Call c) {
            String n = c.name();
            if ((n.equals("__get_str") || n.equals("__get_rel_str") || n.equals("__get_dynamic_array")
                    || n.equals("__get_rel_dynamic_array")) && c.args().size() == 1
                    && c.args().get(0) instanceof Ident id) {
                int idx = format.indexOf(id.name());
                if (idx < 0) {
                    return Sink.none("no field " + id.name());
                }
                return format.fields().get(idx).isString() ? new Sink(SinkKind.STRING, idx, 0, 0, 0, null)
                        : Sink.none("dynamic array " + id.name());
            }
            return Sink.none("call " + n);
        }
        if (e instanceof Index ix && stripCasts(ix.array()) instanceof Field af) {
            Long i = PrintExpr.constant(ix.index());
            int idx = format.indexOf(af.name());
            if (idx >= 0 && i != null && i >= 0 && i < 4096) {
                return new Sink(SinkKind.ELEMENT, idx, 0, -1L, (int) (long) i, null);
            }
            return Sink.none("array index");
        }
        if (e instanceof Ident id) {
            return Sink.none("name " + id.name());
        }
        return Sink.none(e.getClass().getSimpleName().toLowerCase());
    }

    /** The event format this matcher reads. */
    public EventFormat format() {
        return format;
    }

    /** False when the format has no print fmt (or a broken one): every match then fails. */
    public boolean usable() {
        return usable && tokens.length > 0;
    }

    /** What could not be understood or inverted when the matcher was built (empty for ext4 events). */
    public List<String> problems() {
        return problems;
    }

    /** {@code __print_symbolic} tables by field name, value to name in table order. */
    public Map<String, Map<Long, String>> symbolTables() {
        return symbolTables;
    }

    /** {@code __print_flags} tables by field name, bit mask to name in table order. */
    public Map<String, Map<Long, String>> flagTables() {
        return flagTables;
    }

    /** The __print_symbolic table of one field, or an empty map. */
    public Map<Long, String> symbols(String field) {
        return symbolTables.getOrDefault(field, Map.of());
    }

    /** The __print_flags table of one field, or an empty map. */
    public Map<Long, String> flags(String field) {
        return flagTables.getOrDefault(field, Map.of());
    }

    /**
     * Newlines inside the print fmt (not counting a trailing one): how many following text lines
     * belong to one event (ext4_fc_stats prints "reasons:\n..."). Computed once per format.
     */
    public int lineBreaks() {
        int b = lineBreaks;
        if (b < 0) {
            b = 0;
            String fmt = format.printFmt() == null ? "" : format.printFmt().format();
            for (int i = fmt.indexOf('\n'); i >= 0 && i < fmt.length() - 1; i = fmt.indexOf('\n', i + 1)) {
                b++;
            }
            lineBreaks = b;
        }
        return b;
    }

    /** The delimiter __print_flags puts between names for that field ("|" for most, "" for letter sets). */
    public String flagDelimiter(String field) {
        return flagDelims.get(field);
    }

    /**
     * Parses {@code text} from {@code from} to its end into {@code values} (one slot per field of the
     * format, as {@link io.mbscope.parsers.event.RawEvent} holds them). Slots of fields the line does
     * not print are left untouched. On a mismatch the matcher skips to the next literal it can find
     * and goes on, so what could be read is still filled in.
     */
    public Result match(String text, int from, Object[] values) {
        return match(text, from, values, 0);
    }

    /** {@link #match(String, int, Object[])} for text from a tool with known printing bugs ({@code QUIRK_*}). */
    public Result match(String text, int from, Object[] values, int quirks) {
        return match(text, from, values, null, null, quirks);
    }

    /**
     * {@link #match(String, int, Object[], int)} without boxing: when {@code nums} is non-null, an
     * integer read for field i goes to {@code nums[i]} with {@code isNum[i]} set (both zeroed by the
     * caller, one slot per field), and {@code values[i]} is left alone; strings and arrays still go
     * to {@code values}, which then wins over {@code nums}.
     */
    public Result match(String text, int from, Object[] values, long[] nums, boolean[] isNum, int quirks) {
        if (!usable()) {
            return NO_FORMAT;
        }
        int n = format.fields().size();
        boolean direct = nums != null;
        long[] acc = direct ? nums : new long[n];
        boolean[] touched = direct ? isNum : new boolean[n];
        long[][] arrays = null;
        long[] num = new long[1];
        List<Sink> pendingZero = null;
        int p = from;
        int end = text.length();
        boolean complete = true;
        String problem = null;
        int unresolved = 0;
        for (int t = 0; t < tokens.length; t++) {
            Object tok = tokens[t];
            if (tok instanceof String lit) {
                if (text.startsWith(lit, p)) {
                    p += lit.length();
                    continue;
                }
                if (t == tokens.length - 1 && lit.isBlank() && text.substring(p).isBlank()) {
                    // tools that strip trailing blanks lose a print fmt's trailing space
                    p = end;
                    continue;
                }
                complete = false;
                if (problem == null) {
                    problem = "expected '" + lit + "' at column " + (p - from) + ", found '" + clip(text, p) + "'";
                }
                int at = text.indexOf(lit, p);
                if (at < 0) {
                    break;
                }
                p = at + lit.length();
                continue;
            }
            Conv c = (Conv) tok;
            String next = t + 1 < tokens.length && tokens[t + 1] instanceof String s ? s : null;
            boolean last = t + 1 == tokens.length;
            int stop;
            long value = 0;
            String str = null;
            boolean ok = true;
            switch (c.kind()) {
                case NUM: {
                    int q = p;
                    if (c.width() > 0 && !c.leftAlign()) {
                        while (q < end && text.charAt(q) == ' ') {
                            q++;
                        }
                    }
                    long r = scanNumber(text, q, end, c.conv(), num);
                    if (r < 0) {
                        ok = false;
                        stop = p;
                        break;
                    }
                    stop = (int) r;
                    value = num[0];
                    if (c.signedSizeT() && (quirks & QUIRK_PERF_ZD_32BIT) != 0 && (value >>> 31) == 1) {
                        value = (int) value;
                    }
                    if (c.width() > 0 && c.leftAlign()) {
                        while (stop < end && stop - p < c.width() && text.charAt(stop) == ' ') {
                            stop++;
                        }
                    }
                    break;
                }
                default: {
                    stop = stringEnd(text, p, end, next, last, c);
                    if (stop < 0) {
                        ok = false;
                        stop = p;
                        break;
                    }
                    str = text.substring(p, stop);
                    if (c.kind() == Kind.SYMBOLIC || c.kind() == Kind.FLAGS) {
                        Long v = c.kind() == Kind.SYMBOLIC ? decodeSymbol(str, c.names()) : decodeFlags(str, c);
                        if (v == null) {
                            ok = false;
                        } else {
                            value = v;
                            str = null;
                        }
                    } else if (c.kind() == Kind.POINTER) {
                        int q = str.startsWith("0x") ? 2 : 0;
                        long r = scanNumber(str, q, str.length(), 'x', num);
                        if (r == str.length() && str.length() > q) {
                            value = num[0];
                            str = null;
                        }
                    }
                    break;
                }
            }
            if (!ok) {
                complete = false;
                if (problem == null) {
                    problem = "cannot read %" + c.conv() + " at column " + (p - from) + ": '" + clip(text, p) + "'";
                }
                // resynchronise on the next literal
                if (next == null) {
                    break;
                }
                int at = text.indexOf(next, p);
                if (at < 0) {
                    break;
                }
                p = at;
                continue;
            }
            p = stop;
            Sink s = c.sink();
            if (s.cond() >= 0 && str == null && (value & s.mask()) == 0) {
                // zero: either the condition was false or the value is 0; decided once the line is read
                if (pendingZero == null) {
                    pendingZero = new ArrayList<>();
                }
                pendingZero.add(s);
                continue;
            }
            switch (s.kind()) {
                case BITS:
                    if (str != null) {
                        // a pointer printed as a symbol: the address is gone, the field stays null
                        unresolved++;
                        break;
                    }
                    acc[s.field()] |= (value & s.mask()) << s.shift();
                    touched[s.field()] = true;
                    break;
                case LOG2:
                    if (str != null) {
                        unresolved++;
                    } else if (value == 0) {
                        touched[s.field()] = true;
                    } else if (Long.bitCount(value) == 1) {
                        acc[s.field()] |= Long.numberOfTrailingZeros(value);
                        touched[s.field()] = true;
                    } else {
                        unresolved++;
                    }
                    break;
                case ELEMENT: {
                    FieldFormat ff = format.fields().get(s.field());
                    int len = Math.max(ff.arrayLength(), s.element() + 1);
                    if (arrays == null) {
                        arrays = new long[n][];
                    }
                    if (arrays[s.field()] == null) {
                        arrays[s.field()] = values[s.field()] instanceof long[] old && old.length >= len ? old
                                : new long[len];
                    }
                    if (s.element() < arrays[s.field()].length && str == null) {
                        arrays[s.field()][s.element()] = value;
                    }
                    break;
                }
                case STRING:
                    values[s.field()] = str != null ? str : Long.toString(value);
                    break;
                case CONST:
                    break;
                default:
                    unresolved++;
                    break;
            }
        }
        if (pendingZero != null) {
            for (Sink s : pendingZero) {
                if (touched[s.cond()] && acc[s.cond()] != 0) {
                    touched[s.field()] = true;
                } else {
                    unresolved++;
                }
            }
        }
        if (complete && p < end && !text.substring(p).isBlank()) {
            complete = false;
            problem = "unexpected text after the print fmt: '" + clip(text, p) + "'";
        }
        for (int i = 0; i < n; i++) {
            if (touched[i]) {
                FieldFormat ff = format.fields().get(i);
                long v = normalize(acc[i], ff.size(), ff.signed());
                if (direct) {
                    // as in the boxed form, the integer wins over a string the same field got
                    acc[i] = v;
                    values[i] = null;
                } else {
                    values[i] = v;
                }
            }
            if (arrays != null && arrays[i] != null) {
                values[i] = arrays[i];
            }
        }
        return new Result(complete, unresolved, problem);
    }

    /** Truncates to the field's size and sign- or zero-extends as the field declares, like the binary decoder. */
    public static long normalize(long v, int size, boolean signed) {
        if (size <= 0 || size >= 8) {
            return v;
        }
        int bits = size * 8;
        long m = v & ((1L << bits) - 1);
        if (signed && (m & (1L << (bits - 1))) != 0) {
            m |= -1L << bits;
        }
        return m;
    }

    private static String clip(String text, int p) {
        String rest = p >= text.length() ? "" : text.substring(p);
        return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
    }

    /** Where a %s-like value ends: at the next literal, or the end of the text for the last token. */
    private static int stringEnd(String text, int p, int end, String next, boolean last, Conv c) {
        if (last) {
            return end;
        }
        if (next != null) {
            int at = text.indexOf(next, p);
            if (at >= 0) {
                return at;
            }
            if (next.isBlank()) {
                return end;
            }
            return -1;
        }
        // two conversions back to back: a table name or number, else one word
        if (c.names() != null) {
            String best = null;
            for (String name : c.names().keySet()) {
                if (!name.isEmpty() && text.startsWith(name, p) && (best == null || name.length() > best.length())) {
                    best = name;
                }
            }
            if (best != null) {
                return p + best.length();
            }
        }
        int q = p;
        while (q < end && !Character.isWhitespace(text.charAt(q))) {
            q++;
        }
        return q;
    }

    private static Long decodeSymbol(String s, Map<String, Long> names) {
        Long v = names.get(s);
        if (v != null) {
            return v;
        }
        return parseNumber(s.strip());
    }

    private static Long decodeFlags(String s, Conv c) {
        if (s.isEmpty()) {
            return 0L;
        }
        Map<String, Long> names = c.names();
        Long whole = names.get(s);
        if (whole != null) {
            return whole;
        }
        String delim = c.delim();
        long v = 0;
        if (delim.isEmpty()) {
            // letters run together (show_mflags "NM"): longest table name first, then a 0x tail
            int p = 0;
            outer:
            while (p < s.length()) {
                if (s.startsWith("0x", p)) {
                    Long tail = parseNumber(s.substring(p));
                    if (tail == null) {
                        return null;
                    }
                    return v | tail;
                }
                for (String name : c.namesByLength()) {
                    if (s.startsWith(name, p)) {
                        v |= names.get(name);
                        p += name.length();
                        continue outer;
                    }
                }
                return null;
            }
            return v;
        }
        int p = 0;
        while (p <= s.length()) {
            int q = s.indexOf(delim, p);
            if (q < 0) {
                q = s.length();
            }
            String part = s.substring(p, q);
            Long bits = names.get(part);
            if (bits == null) {
                bits = parseNumber(part.strip());
                if (bits == null) {
                    return null;
                }
            }
            v |= bits;
            p = q + delim.length();
        }
        return v;
    }

    /** 0x-hex, or decimal with an optional minus; null if the text is not a number. */
    static Long parseNumber(String s) {
        if (s.isEmpty()) {
            return null;
        }
        long[] out = new long[1];
        if (s.startsWith("0x") || s.startsWith("0X")) {
            long r = scanNumber(s, 2, s.length(), 'x', out);
            return r == s.length() && s.length() > 2 ? out[0] : null;
        }
        long r = scanNumber(s, 0, s.length(), 'd', out);
        return r == s.length() ? out[0] : null;
    }

    /**
     * Scans a number of conversion {@code conv} at {@code p}; returns the end index, or -1. The value is
     * left in {@code out[0]}. Values wrap modulo 2^64, so %llu and %llx keep all 64 bits.
     */
    private static long scanNumber(String s, int p, int end, char conv, long[] out) {
        int q = p;
        long v = 0;
        switch (conv) {
            case 'c':
                if (q >= end) {
                    return -1;
                }
                out[0] = s.charAt(q);
                return q + 1;
            case 'x':
            case 'X': {
                while (q < end) {
                    int d = Character.digit(s.charAt(q), 16);
                    if (d < 0) {
                        break;
                    }
                    v = (v << 4) | d;
                    q++;
                }
                break;
            }
            case 'o': {
                while (q < end) {
                    char ch = s.charAt(q);
                    if (ch < '0' || ch > '7') {
                        break;
                    }
                    v = (v << 3) | (ch - '0');
                    q++;
                }
                break;
            }
            default: {
                boolean neg = false;
                if (q < end && (s.charAt(q) == '-' || s.charAt(q) == '+')) {
                    neg = s.charAt(q) == '-';
                    q++;
                    p = q;
                }
                while (q < end) {
                    char ch = s.charAt(q);
                    if (ch < '0' || ch > '9') {
                        break;
                    }
                    v = v * 10 + (ch - '0');
                    q++;
                }
                if (neg) {
                    v = -v;
                }
                break;
            }
        }
        if (q == p || tooLong(s, p, q, conv)) {
            return -1;
        }
        out[0] = v;
        return q;
    }

    /** A number that does not fit 64 bits is not something a print fmt printed. */
    private static boolean tooLong(String s, int p, int q, char conv) {
        while (p < q - 1 && s.charAt(p) == '0') {
            p++;
        }
        int n = q - p;
        switch (conv) {
            case 'x':
            case 'X':
                return n > 16;
            case 'o':
                return n > 22 || (n == 22 && s.charAt(p) > '1');
            case 'c':
                return false;
            default:
                return n > 20 || (n == 20 && s.substring(p, q).compareTo("18446744073709551615") > 0);
        }
    }

    static char unescape(char c) {
        switch (c) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case '0':
                return '\0';
            default:
                return c;
        }
    }
}
