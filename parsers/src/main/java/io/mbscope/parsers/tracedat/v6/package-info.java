/**
 * trace.dat version 6 (trace-cmd before 3.0, and {@code trace-cmd convert --file-version 6}): a
 * sequential header, options, and "flyrecord" per-CPU tables. See trace-cmd.dat.v6(5).
 */
package io.mbscope.parsers.tracedat.v6;
