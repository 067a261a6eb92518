package io.mbscope.parsers;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reader could not turn into events, counted by reason: nothing is dropped silently.
 * Lost events are those the kernel itself reported as missed (ring-buffer overruns, perf LOST
 * records); skipped ones are data the reader saw but could not decode (a page cut short at the end
 * of an interrupted recording, an event whose format is unknown, ...).
 */
public final class ReadStats {
    private final Map<String, Long> skipped = new TreeMap<>();
    private long lostEvents;
    private long events;

    public void countEvent() {
        events++;
    }

    public void skip(String reason) {
        skip(reason, 1);
    }

    public void skip(String reason, long n) {
        skipped.merge(reason, n, Long::sum);
    }

    public void addLost(long n) {
        lostEvents += n;
    }

    public long events() {
        return events;
    }

    public long lostEvents() {
        return lostEvents;
    }

    /** Reason to count, sorted by reason. */
    public Map<String, Long> skipped() {
        return Collections.unmodifiableMap(skipped);
    }

    public long skippedTotal() {
        long t = 0;
        for (long v : skipped.values()) {
            t += v;
        }
        return t;
    }
}
