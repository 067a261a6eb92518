package io.mbscope.parsers.format;

import java.util.List;

/**
 * The {@code print fmt:} line of a format file, split into the C format string and its argument
 * expressions (as text). Text readers use it to read values back out of printed lines, and to
 * map symbolic spellings ({@code __print_symbolic}, {@code __print_flags}) to numbers.
 *
 * @param format the format string without its quotes, escapes kept as written
 * @param args   the argument expressions, split at top-level commas
 */
public record PrintFmt(String format, List<String> args) {
    public PrintFmt {
        args = List.copyOf(args);
    }
}
