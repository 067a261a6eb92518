package io.mbscope.parsers;

import java.io.IOException;

/**
 * The input is not what its format promises: truncated, corrupt or inconsistent.
 * The message always names the file, the byte offset, the section (or CPU) and what was
 * expected against what was found, so a user can look at the bytes themselves.
 */
public class TraceFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String section;

    public TraceFormatException(String file, long offset, String section, String problem) {
        this(file, offset, section, problem, null);
    }

    public TraceFormatException(String file, long offset, String section, String problem, Throwable cause) {
        super(format(file, offset, section, problem), cause);
        this.file = file;
        this.offset = offset;
        this.section = section;
    }

    /** Convenience for the usual "expected X, found Y" shape. */
    public static TraceFormatException expected(String file, long offset, String section, String expected, Object found) {
        return new TraceFormatException(file, offset, section, "expected " + expected + ", found " + found);
    }

    private static String format(String file, long offset, String section, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<input>" : file);
        if (offset >= 0) {
            sb.append(" at offset ").append(offset);
        }
        if (section != null && !section.isEmpty()) {
            sb.append(" (").append(section).append(')');
        }
        return sb.append(": ").append(problem).toString();
    }

    public String file() {
        return file;
    }

    /** Byte offset in the file (or line number for text inputs, see {@link #section()}); -1 if unknown. */
    public long offset() {
        return offset;
    }

    public String section() {
        return section;
    }
}
