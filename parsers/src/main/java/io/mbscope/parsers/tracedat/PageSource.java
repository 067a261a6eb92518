package io.mbscope.parsers.tracedat;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One CPU's ring-buffer pages, one at a time, in file order. The page lives in a buffer the source
 * reuses: it is valid until the next {@link #nextPage()}.
 */
interface PageSource {
    /** Moves to the next page; false at the end of this CPU's data. */
    boolean nextPage() throws IOException;

    /** Buffer holding the current page, in the file's byte order. */
    ByteBuffer buffer();

    /** Index of the current page's first byte in {@link #buffer()}. */
    int start();

    /** Bytes of the current page present: the page size, or less for a page cut short at the end. */
    int length();

    /** File offset for messages about the byte at {@code index} of {@link #buffer()}. */
    long fileOffset(int index);
}
