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
 */
public final class RawEvent {
    private final EventFormat format;
    private final EventHeader header;
    private final Object[] values;

    public RawEvent(EventFormat format, EventHeader header, Object[] values) {
        if (values.length != format.fields().size()) {
            throw new IllegalArgumentException("expected " + format.fields().size() + " values for "
                    + format.name() + ", got " + values.length);
        }
        this.format = format;
        this.header = header;
        this.values = values;
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

    public boolean has(String field) {
        int i = format.indexOf(field);
        return i >= 0 && values[i] != null;
    }

    public Object get(String field) {
        int i = format.indexOf(field);
        return i < 0 ? null : values[i];
    }

    public Object get(int index) {
        return values[index];
    }

    /** The integer value of a field, or {@code dflt} when the field is absent or not numeric. */
    public long getLong(String field, long dflt) {
        Object v = get(field);
        return v instanceof Long l ? l : dflt;
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
        for (int i = 0; i < values.length; i++) {
            FieldFormat f = format.fields().get(i);
            if (!f.isCommon()) {
                m.put(f.name(), values[i]);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return format.name() + "@" + header.timestampNs() + " cpu " + header.cpu() + " " + payload();
    }
}
