package io.mbscope.parsers.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The C expressions that follow the format string of a {@code print fmt:} line, parsed into a small
 * tree so that {@link PrintFmtMatcher} can work out which field a printed value came from. Only the
 * subset the kernel's TRACE_EVENT macros emit is understood: {@code REC->field}, casts, integer
 * constants with U/L suffixes, the arithmetic/bit operators, {@code ?:}, calls such as
 * {@code __print_flags(...)} and their {@code { value, "name" }} tables.
 */
sealed interface PrintExpr {

    record Num(long value) implements PrintExpr {
    }

    record Str(String value) implements PrintExpr {
    }

    /** {@code REC->name}. */
    record Field(String name) implements PrintExpr {
    }

    /** A bare identifier: an enum constant the format file left unexpanded, or a macro argument like __get_str(x). */
    record Ident(String name) implements PrintExpr {
    }

    record Cast(String type, PrintExpr operand) implements PrintExpr {
    }

    record Unary(String op, PrintExpr operand) implements PrintExpr {
    }

    record Binary(String op, PrintExpr left, PrintExpr right) implements PrintExpr {
    }

    record Ternary(PrintExpr cond, PrintExpr then, PrintExpr otherwise) implements PrintExpr {
    }

    record Call(String name, List<PrintExpr> args) implements PrintExpr {
        public Call {
            args = List.copyOf(args);
        }
    }

    record Index(PrintExpr array, PrintExpr index) implements PrintExpr {
    }

    /** {@code { a, b, ... }}: one entry of a __print_symbolic / __print_flags table. */
    record Braces(List<PrintExpr> items) implements PrintExpr {
        public Braces {
            items = List.copyOf(items);
        }
    }

    /** Parses one argument expression; throws IllegalArgumentException on text it does not understand. */
    static PrintExpr parse(String text) {
        Parser p = new Parser(text);
        PrintExpr e = p.expr();
        p.skipWs();
        if (p.pos < p.s.length()) {
            throw new IllegalArgumentException("unexpected '" + p.s.substring(p.pos) + "' in " + text);
        }
        return e;
    }

    /** The value of a constant expression, or null if it reads a field or calls something. */
    static Long constant(PrintExpr e) {
        if (e instanceof Num n) {
            return n.value();
        }
        if (e instanceof Cast c) {
            Long v = constant(c.operand());
            return v == null ? null : castValue(c.type(), v);
        }
        if (e instanceof Unary u) {
            Long v = constant(u.operand());
            if (v == null) {
                return null;
            }
            switch (u.op()) {
                case "-":
                    return -v;
                case "~":
                    return ~v;
                case "!":
                    return v == 0 ? 1L : 0L;
                default:
                    return v;
            }
        }
        if (e instanceof Binary b) {
            Long l = constant(b.left());
            Long r = constant(b.right());
            if (l == null || r == null) {
                return null;
            }
            return binary(b.op(), l, r);
        }
        if (e instanceof Ternary t) {
            Long c = constant(t.cond());
            if (c == null) {
                return null;
            }
            return constant(c != 0 ? t.then() : t.otherwise());
        }
        return null;
    }

    static Long binary(String op, long l, long r) {
        switch (op) {
            case "+":
                return l + r;
            case "-":
                return l - r;
            case "*":
                return l * r;
            case "/":
                return r == 0 ? null : l / r;
            case "%":
                return r == 0 ? null : l % r;
            case "<<":
                return r < 0 || r > 63 ? null : l << r;
            case ">>":
                return r < 0 || r > 63 ? null : l >>> r;
            case "&":
                return l & r;
            case "|":
                return l | r;
            case "^":
                return l ^ r;
            case "&&":
                return (l != 0 && r != 0) ? 1L : 0L;
            case "||":
                return (l != 0 || r != 0) ? 1L : 0L;
            case "==":
                return l == r ? 1L : 0L;
            case "!=":
                return l != r ? 1L : 0L;
            case "<":
                return l < r ? 1L : 0L;
            case ">":
                return l > r ? 1L : 0L;
            case "<=":
                return l <= r ? 1L : 0L;
            case ">=":
                return l >= r ? 1L : 0L;
            default:
                return null;
        }
    }

    /** Bit width of a C integer type name as the x86-64 / arm64 LP64 ABI has it; 64 if unknown. */
    static int typeBits(String type) {
        String t = type.replace("const", "").replace("volatile", "").strip();
        if (t.endsWith("*")) {
            return 64;
        }
        if (t.contains("char") || t.equals("u8") || t.equals("s8") || t.equals("__u8") || t.equals("__s8")
                || t.equals("bool") || t.equals("_Bool")) {
            return 8;
        }
        if (t.contains("short") || t.endsWith("16") || t.equals("umode_t")) {
            return 16;
        }
        if (t.contains("long") || t.endsWith("64") || t.equals("size_t") || t.equals("ssize_t")
                || t.equals("loff_t") || t.equals("sector_t") || t.equals("blkcnt_t") || t.equals("ino_t")) {
            return 64;
        }
        if (t.equals("int") || t.equals("unsigned") || t.equals("signed") || t.contains("int")
                || t.endsWith("32") || t.equals("dev_t") || t.equals("gfp_t") || t.equals("pid_t")
                || t.equals("uid_t") || t.equals("gid_t") || t.equals("__kernel_rwf_t") || t.equals("rwf_t")) {
            return 32;
        }
        return 64;
    }

    static boolean typeSigned(String type) {
        String t = type.strip();
        if (t.contains("unsigned") || t.startsWith("u") || t.startsWith("__u") || t.endsWith("*")
                || t.equals("size_t") || t.equals("dev_t") || t.equals("bool") || t.equals("_Bool")
                || t.equals("sector_t") || t.equals("umode_t") || t.equals("gfp_t")) {
            return false;
        }
        return true;
    }

    static long castValue(String type, long v) {
        int bits = typeBits(type);
        if (bits >= 64) {
            return v;
        }
        long masked = v & ((1L << bits) - 1);
        if (typeSigned(type) && (masked & (1L << (bits - 1))) != 0) {
            masked |= -1L << bits;
        }
        return masked;
    }

    /** Recursive-descent parser over the C operator precedence levels the print fmts use. */
    final class Parser {
        private static final Set<String> TYPE_WORDS = Set.of("unsigned", "signed", "int", "long", "short",
                "char", "void", "bool", "_Bool", "const", "volatile", "struct", "enum", "float", "double");
        private static final java.util.regex.Pattern TYPE_TEXT =
                java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_ ]*[ *]*");
        private static final java.util.regex.Pattern FIXED_INT = java.util.regex.Pattern.compile("(__)?[us](8|16|32|64)");
        private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");
        private static final String[][] LEVELS = {
                {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"},
                {"+", "-"}, {"*", "/", "%"}};

        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        PrintExpr expr() {
            PrintExpr c = binary(0);
            skipWs();
            if (peek('?')) {
                pos++;
                PrintExpr a = expr();
                skipWs();
                expect(':');
                PrintExpr b = expr();
                return new Ternary(c, a, b);
            }
            return c;
        }

        private PrintExpr binary(int level) {
            if (level == LEVELS.length) {
                return unary();
            }
            PrintExpr left = binary(level + 1);
            while (true) {
                skipWs();
                String op = matchOp(LEVELS[level]);
                if (op == null) {
                    return left;
                }
                pos += op.length();
                PrintExpr right = binary(level + 1);
                left = new Binary(op, left, right);
            }
        }

        private String matchOp(String[] ops) {
            for (String op : ops) {
                if (s.startsWith(op, pos)) {
                    // "&" must not be the start of "&&", "|" of "||", "<" of "<<" and so on.
                    int end = pos + op.length();
                    if (op.length() == 1 && end < s.length()) {
                        char n = s.charAt(end);
                        char c = op.charAt(0);
                        if ((c == '&' || c == '|' || c == '<' || c == '>') && n == c) {
                            continue;
                        }
                        if ((c == '<' || c == '>' || c == '=' || c == '!') && n == '=') {
                            continue;
                        }
                        if (c == '-' && n == '>') {
                            continue;
                        }
                    }
                    if (op.equals("<<") || op.equals(">>")) {
                        if (end < s.length() && s.charAt(end) == '=') {
                            continue;
                        }
                    }
                    return op;
                }
            }
            return null;
        }

        private PrintExpr unary() {
            skipWs();
            if (pos >= s.length()) {
                throw new IllegalArgumentException("expression ends early: " + s);
            }
            char c = s.charAt(pos);
            if (c == '-' || c == '~' || c == '!' || c == '+') {
                pos++;
                return new Unary(String.valueOf(c), unary());
            }
            if (c == '(') {
                int save = pos;
                String type = tryCastType();
                if (type != null) {
                    return new Cast(type, unary());
                }
                pos = save;
            }
            return postfix(primary());
        }

        /** At '(': if the parenthesis holds only type words and '*' and an operand follows, consume it. */
        private String tryCastType() {
            int close = s.indexOf(')', pos);
            if (close < 0) {
                return null;
            }
            String inner = s.substring(pos + 1, close).strip();
            if (inner.isEmpty() || !TYPE_TEXT.matcher(inner).matches()) {
                return null;
            }
            String[] words = BLANKS.split(inner.replace("*", " ").strip());
            boolean typeLike = false;
            for (String w : words) {
                if (TYPE_WORDS.contains(w) || w.endsWith("_t") || FIXED_INT.matcher(w).matches()) {
                    typeLike = true;
                }
            }
            if (!typeLike && !inner.contains("*")) {
                return null;
            }
            int after = close + 1;
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            if (after >= s.length()) {
                return null;
            }
            char n = s.charAt(after);
            if (!(Character.isLetterOrDigit(n) || n == '_' || n == '(' || n == '-' || n == '~' || n == '!'
                    || n == '"')) {
                return null;
            }
            pos = close + 1;
            return BLANKS.matcher(inner).replaceAll(" ");
        }

        private PrintExpr postfix(PrintExpr e) {
            while (true) {
                skipWs();
                if (peek('[')) {
                    pos++;
                    PrintExpr idx = expr();
                    skipWs();
                    expect(']');
                    e = new Index(e, idx);
                } else if (s.startsWith("->", pos) && !(e instanceof Ident id && id.name().equals("REC"))) {
                    pos += 2;
                    skipWs();
                    ident();
                    // a member of something other than REC (never in tracepoints): keep the base
                } else {
                    return e;
                }
            }
        }

        private PrintExpr primary() {
            skipWs();
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                PrintExpr e = expr();
                skipWs();
                expect(')');
                return e;
            }
            if (c == '{') {
                pos++;
                List<PrintExpr> items = new ArrayList<>();
                skipWs();
                while (!peek('}')) {
                    items.add(expr());
                    skipWs();
                    if (peek(',')) {
                        pos++;
                        skipWs();
                    } else {
                        break;
                    }
                }
                skipWs();
                expect('}');
                return new Braces(items);
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                // adjacent string literals concatenate, as in C
                while (peek('"')) {
                    pos++;
                    while (pos < s.length() && s.charAt(pos) != '"') {
                        char ch = s.charAt(pos++);
                        if (ch == '\\' && pos < s.length()) {
                            ch = PrintFmtMatcher.unescape(s.charAt(pos++));
                        }
                        sb.append(ch);
                    }
                    expect('"');
                    skipWs();
                }
                return new Str(sb.toString());
            }
            if (c == '\'') {
                pos++;
                char ch = s.charAt(pos++);
                if (ch == '\\') {
                    ch = PrintFmtMatcher.unescape(s.charAt(pos++));
                }
                expect('\'');
                return new Num(ch);
            }
            if (Character.isDigit(c)) {
                return number();
            }
            if (Character.isLetter(c) || c == '_') {
                String name = ident();
                skipWs();
                if (name.equals("REC") && s.startsWith("->", pos)) {
                    pos += 2;
                    skipWs();
                    return new Field(ident());
                }
                if (name.equals("sizeof") && peek('(')) {
                    // sizeof(type): size unknown here, keep it opaque
                    int depth = 0;
                    do {
                        char ch = s.charAt(pos++);
                        if (ch == '(') {
                            depth++;
                        } else if (ch == ')') {
                            depth--;
                        }
                    } while (depth > 0 && pos < s.length());
                    return new Ident("sizeof");
                }
                if (peek('(')) {
                    pos++;
                    List<PrintExpr> args = new ArrayList<>();
                    skipWs();
                    while (!peek(')')) {
                        args.add(expr());
                        skipWs();
                        if (peek(',')) {
                            pos++;
                        } else {
                            break;
                        }
                    }
                    skipWs();
                    expect(')');
                    return new Call(name, args);
                }
                return new Ident(name);
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + " in " + s);
        }

        private PrintExpr number() {
            int start = pos;
            long v;
            if (s.startsWith("0x", pos) || s.startsWith("0X", pos)) {
                pos += 2;
                int ds = pos;
                while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0) {
                    pos++;
                }
                v = Long.parseUnsignedLong(s.substring(ds, pos), 16);
            } else {
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                String d = s.substring(start, pos);
                v = d.length() > 1 && d.startsWith("0") ? Long.parseUnsignedLong(d, 8) : Long.parseUnsignedLong(d);
            }
            while (pos < s.length() && "uUlL".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            return new Num(v);
        }

        private String ident() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a name at " + pos + " in " + s);
            }
            return s.substring(start, pos);
        }

        void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + s);
            }
            pos++;
        }
    }
}
