package io.mbscope.parsers;

/**
 * The input is well formed but uses a format, version or compression that mbscope does not read.
 * The CLI maps it to exit code 4 (corrupt input is exit code 3).
 */
public class UnsupportedFormatException extends TraceFormatException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String file, long offset, String section, String problem) {
        super(file, offset, section, problem);
    }
}
