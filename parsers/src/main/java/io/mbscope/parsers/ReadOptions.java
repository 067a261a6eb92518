package io.mbscope.parsers;

/**
 * How a reader treats corrupt input.
 *
 * @param lenient false (the default): the first corrupt byte ends the read with a
 *     {@link TraceFormatException}. true: a reader skips the unit that holds the damage and goes on
 *     with the next one (a trace.dat ring-buffer page or v7 compressed chunk, a perf.data record or
 *     the bytes up to the next plausible record header, a text line) and reads an interrupted
 *     recording up to its cut; every skip is counted with {@link ReadStats#skipCorrupt} under a
 *     reason starting with {@link #CORRUPT_PREFIX}. A header that cannot be read still fails: there
 *     is nothing to read past it. docs/fuzzing.md lists the units and reasons per reader.
 */
public record ReadOptions(boolean lenient) {
    public static final ReadOptions STRICT = new ReadOptions(false);
    public static final ReadOptions LENIENT = new ReadOptions(true);

    /** Prefix of every {@link ReadStats} reason that comes from corrupt data skipped in lenient mode. */
    public static final String CORRUPT_PREFIX = "corrupt: ";
}
