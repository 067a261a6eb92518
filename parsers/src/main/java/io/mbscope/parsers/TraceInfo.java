package io.mbscope.parsers;

import java.util.List;

/**
 * What a trace says about itself, known once its headers are read.
 *
 * @param source        the file name as the user gave it ("-" for stdin)
 * @param format        the container format
 * @param kernelRelease {@code uname -r} of the traced kernel (trace.dat UNAME option, perf OSRELEASE), or null
 * @param clock         the trace clock (e.g. "mono"), or null if the file does not say
 * @param cpus          number of CPUs the file holds data for, 0 if unknown
 * @param buffers       names of the ring-buffer instances read ("" is the top-level buffer)
 */
public record TraceInfo(String source, TraceFormat format, String kernelRelease, String clock, int cpus,
                        List<String> buffers) {
    public TraceInfo {
        buffers = List.copyOf(buffers);
    }
}
