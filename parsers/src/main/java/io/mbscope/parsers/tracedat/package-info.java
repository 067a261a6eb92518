/**
 * trace-cmd {@code trace.dat} reader, file versions 6 and 7. The API is {@link
 * io.mbscope.parsers.tracedat.TraceDatReader#open}; the other public types here are shared by the
 * per-generation header readers in {@code .v6} and {@code .v7} and are not meant for other callers.
 *
 * <p>Layout: {@link io.mbscope.parsers.tracedat.CommonHeader} reads what every version starts with and
 * picks the generation; the generation's header reader returns a
 * {@link io.mbscope.parsers.tracedat.TraceDatHeader} (formats, comms, page layout, buffers and their
 * per-CPU data); the reader then walks each CPU's ring-buffer pages (raw, or v7 compressed chunks)
 * and merges CPUs and buffers by timestamp with a small heap.
 */
package io.mbscope.parsers.tracedat;
