package io.mbscope.parsers.event;

import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event decoded by its format file but not yet typed: one value per field of the format, in the
 * format's field order. Integers are {@link Long} (sign- or zero-extended as the field declares;
 * an unsigned 64-bit value keeps its bits), strings are {@link String}, other arrays are
 * {@code long[]}. A value a text line did not print is null.
 *
 * <p>Integers are stored unboxed: binary readers build the event from a {@code long[]} (see
 * {@link #ofLongs}), and {@link #getLong(int, long)} reads them without allocating. {@link #get}
 * boxes on demand.
 */
public final class RawEvent {
    /** Marks a field without a value in {@link #refs} (a text line that did not print it). */
    private static final Object ABSENT = new Object();

    private final EventFormat format;
    private final EventHeader header;
    /** Integer values by field index (0 where the field is not an integer). */
    private final long[] nums;
    /** Null when every field is an integer; else per field null (integer in nums), ABSENT, or the value. */
    private final Object[] refs;

    public RawEvent(EventFormat format, EventHeader header, Object[] values) {
        int n = checkCount(format, values.length);
        this.format = format;
        this.header = header;
        this.nums = new long[n];
        Object[] r = null;
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            if (v instanceof Long l) {
                nums[i] = l;
            } else {
                if (r == null) {
                    r = new Object[n];
                }
                r[i] = v == null ? ABSENT : v;
            }
        }
        this.refs = r;
    }

    private RawEvent(EventFormat format, EventHeader header, long[] nums, Object[] refs) {
        this.format = format;
        this.header = header;
        this.nums = nums;
        this.refs = refs;
    }

    private static int checkCount(EventFormat format, int n) {
        if (n != format.fields().size()) {
            throw new IllegalArgumentException("expected " + format.fields().size() + " values for "
                    + format.name() + ", got " + n);
        }
        return n;
    }

    /**
     * An event whose fields are all integers, {@code values[i]} for field i. The array is kept, not
     * copied: the caller hands it over.
     */
    public static RawEvent ofLongs(EventFormat format, EventHeader header, long[] values) {
        checkCount(format, values.length);
        return new RawEvent(format, header, values, null);
    }

    /**
     * An event with integers in {@code nums} and, where {@code others[i]} is non-null, a string or
     * {@code long[]} value instead; {@code absent[i]} (may be null) marks fields without a value.
     * Both arrays are kept, not copied.
     */
    public static RawEvent of(EventFormat format, EventHeader header, long[] nums, Object[] others,
                              boolean[] absent) {
        int n = checkCount(format, nums.length);
        checkCount(format, others.length);
        if (absent != null) {
            for (int i = 0; i < n; i++) {
                if (absent[i]) {
                    others[i] = ABSENT;
                }
            }
        }
        return new RawEvent(format, header, nums, others);
    }

    public EventFormat format() {
        return format;
    }

    public EventHeader header() {
        return header;
    }

    public String name() {
        return format.name();
    }

    /** Number of fields (the format's field count). */
    public int size() {
        return nums.length;
    }

    public boolean has(String field) {
        return has(format.indexOf(field));
    }

    /** Whether field {@code index} has a value; false for -1 (a field the format does not have). */
    public boolean has(int index) {
        return index >= 0 && (refs == null || refs[index] != ABSENT);
    }

    /** Whether field {@code index} holds an integer (false for strings, arrays, absent values, -1). */
    public boolean isLong(int index) {
        return index >= 0 && (refs == null || refs[index] == null);
    }

    public Object get(String field) {
        int i = format.indexOf(field);
        return i < 0 ? null : get(i);
    }

    public Object get(int index) {
        if (refs != null) {
            Object r = refs[index];
            if (r != null) {
                return r == ABSENT ? null : r;
            }
        }
        return nums[index];
    }

    /** The integer value of field {@code index}, or {@code dflt} when it is -1, absent or not numeric. */
    public long getLong(int index, long dflt) {
        if (index < 0 || (refs != null && refs[index] != null)) {
            return dflt;
        }
        return nums[index];
    }

    /** The integer value of a field, or {@code dflt} when the field is absent or not numeric. */
    public long getLong(String field, long dflt) {
        return getLong(format.indexOf(field), dflt);
    }

    public long getLong(String field) {
        return getLong(field, 0L);
    }

    public String getString(String field) {
        Object v = get(field);
        return v == null ? null : v instanceof long[] a ? java.util.Arrays.toString(a) : v.toString();
    }

    /** Non-common fields by name, in format order: what users see in {@code mbscope events}. */
    public Map<String, Object> payload() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nums.length; i++) {
            FieldFormat f = format.fields().get(i);
            if (!f.isCommon()) {
                m.put(f.name(), get(i));
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return format.name() + "@" + header.timestampNs() + " cpu " + header.cpu() + " " + payload();
    }
}
