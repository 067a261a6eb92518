package io.mbscope.parsers;

/**
 * How a reader treats corrupt input.
 *
 * @param lenient false (the default): the first corrupt byte ends the read with a
 *     {@link TraceFormatException}. true: a reader keeps going where it can resynchronise (the next
 *     page, record or chunk) and, where it cannot (a file cut short by an interrupted recording),
 *     ends the trace there; either way every event it could not read is counted in
 *     {@link ReadStats#skipped()} under a reason that names file, offset and section. A header that
 *     cannot be read still fails: there is nothing to read past it.
 */
public record ReadOptions(boolean lenient) {
    public static final ReadOptions STRICT = new ReadOptions(false);
    public static final ReadOptions LENIENT = new ReadOptions(true);

    /** Prefix of every {@link ReadStats} reason that comes from corrupt data skipped in lenient mode. */
    public static final String CORRUPT_PREFIX = "corrupt: ";
}
