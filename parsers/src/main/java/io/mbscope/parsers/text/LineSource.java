package io.mbscope.parsers.text;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a text trace with their numbers. Unlike BufferedReader.readLine it refuses a line longer
 * than {@link #MAX_LINE} characters, so a binary file fed to the text reader fails fast instead of
 * filling the heap.
 */
final class LineSource {
    /** The longest real lines are 7.x syscall lines with a user buffer dump, a few hundred characters. */
    static final int MAX_LINE = 1 << 20;

    private final Reader in;
    private final String file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private long lineNo;
    private boolean eof;
    private boolean lastHadNewline = true;
    private final StringBuilder sb = new StringBuilder(256);

    LineSource(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    /** Number of the line last returned (1-based), 0 before the first. */
    long lineNo() {
        return lineNo;
    }

    /** Whether the last line returned ended with a newline (false for a file cut mid-line). */
    boolean lastHadNewline() {
        return lastHadNewline;
    }

    /** The next line without its terminator ("\n" or "\r\n"), or null at the end. */
    String next() throws IOException {
        if (eof && pos >= lim) {
            return null;
        }
        sb.setLength(0);
        while (true) {
            if (pos >= lim) {
                if (eof || !fill()) {
                    eof = true;
                    if (sb.length() == 0) {
                        return null;
                    }
                    lineNo++;
                    lastHadNewline = false;
                    return trimCr(sb);
                }
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            if (sb.length() + (pos - start) > MAX_LINE) {
                throw new TraceFormatException(file, lineNo + 1, "line " + (lineNo + 1),
                        "expected a text line of at most " + MAX_LINE + " characters, found a longer one "
                                + "(binary data?)");
            }
            if (pos < lim) {
                lineNo++;
                lastHadNewline = true;
                if (sb.length() == 0) {
                    // the whole line is in the buffer: one copy instead of two
                    int end = pos > start && buf[pos - 1] == '\r' ? pos - 1 : pos;
                    pos++;
                    return new String(buf, start, end - start);
                }
                sb.append(buf, start, pos - start);
                pos++;
                return trimCr(sb);
            }
            sb.append(buf, start, pos - start);
        }
    }

    private static String trimCr(StringBuilder sb) {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
            n--;
        }
        return sb.substring(0, n);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }
}
