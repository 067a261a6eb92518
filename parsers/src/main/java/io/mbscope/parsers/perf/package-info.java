/**
 * perf.data reader: {@link io.mbscope.parsers.perf.PerfDataReader#open} for files written by
 * {@code perf record} (PERFILE2, either byte order, optionally zstd-compressed with {@code -z}) and
 * {@link io.mbscope.parsers.perf.PerfDataReader#openPipe} for {@code perf record -o -} streams.
 * Tracepoint samples are decoded with the format files of the trace's own HEADER_TRACING_DATA and
 * emitted in timestamp order under perf's FINISHED_ROUND contract, so memory is bounded by one
 * round of the recording's ring buffers. Facts come from the kernel's
 * tools/perf/Documentation/perf.data-file-format.txt, include/uapi/linux/perf_event.h and perf's
 * util/header.c, session.c, zstd.c and trace-event-info.c; no perf code is used.
 */
package io.mbscope.parsers.perf;
