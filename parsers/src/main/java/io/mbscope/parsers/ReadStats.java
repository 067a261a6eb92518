package io.mbscope.parsers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private long corruptBytes;
    private long corruptUnits;
    private final List<String> corruptPlaces = new ArrayList<>();
    /** Where the first few skips happened (file, offset, section, expected/found); more are only counted. */
    public static final int MAX_PLACES = 8;

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

    /**
     * Counts corrupt data a lenient reader skipped to resynchronise: one unit (a ring-buffer page, a
     * compressed chunk, a perf record, a text line) under {@link ReadOptions#CORRUPT_PREFIX} +
     * {@code reason}. The reason names the unit and why ("trace.dat pages skipped: commit size past
     * the page end"); {@code bytes} is how much input was passed over, {@code where} the error
     * message (file, offset, section, expected/found) of the skip, kept for the first few.
     */
    public void skipCorrupt(String reason, long bytes, String where) {
        skip(ReadOptions.CORRUPT_PREFIX + reason, 1);
        corruptUnits++;
        corruptBytes += Math.max(0, bytes);
        if (corruptPlaces.size() < MAX_PLACES) {
            corruptPlaces.add(where);
        }
    }

    /** Units (pages, chunks, records, lines) counted by {@link #skipCorrupt}. */
    public long corruptUnits() {
        return corruptUnits;
    }

    /** Input bytes passed over by {@link #skipCorrupt}. */
    public long corruptBytes() {
        return corruptBytes;
    }

    /** The error messages of the first {@link #MAX_PLACES} skips of corrupt data. */
    public List<String> corruptPlaces() {
        return Collections.unmodifiableList(corruptPlaces);
    }

    /** Skips whose reason starts with {@link ReadOptions#CORRUPT_PREFIX}: damage, not a limitation. */
    public long corruptTotal() {
        long t = 0;
        for (Map.Entry<String, Long> e : skipped.entrySet()) {
            if (e.getKey().startsWith(ReadOptions.CORRUPT_PREFIX)) {
                t += e.getValue();
            }
        }
        return t;
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
