/**
 * trace.dat version 7 (trace-cmd 3.0 and later): sections located through chained options
 * sections, optionally compressed with zstd or zlib. See trace-cmd.dat.v7(5).
 */
package io.mbscope.parsers.tracedat.v7;
