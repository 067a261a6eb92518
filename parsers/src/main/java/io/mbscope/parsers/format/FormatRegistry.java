package io.mbscope.parsers.format;

import io.mbscope.parsers.TraceFormatException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracepoint formats of one trace, looked up by numeric id (binary) or by name (text).
 *
 * <p>A trace.dat or perf.data header can carry hundreds of format files of which a trace uses a
 * few dozen, so readers register them with {@link #addDeferred}: the id and name are known at once
 * (a cheap scan of the text), the fields and print fmt are parsed when the format is first looked
 * up. A format file that does not parse then fails where it is used: the lookup throws
 * {@link UnparsableFormatException} holding the {@link TraceFormatException} (file, offset, what
 * was wrong) that parsing it at open would have given.
 */
public final class FormatRegistry {
    /** How a deferred format is parsed. */
    @FunctionalInterface
    public interface Parser {
        EventFormat parse() throws TraceFormatException;
    }

    /** A registered format's identity, known without parsing it. */
    public record Head(int id, String system, String name) {
    }

    /** A deferred format file that did not parse, thrown by the lookup that needed it. */
    public static final class UnparsableFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnparsableFormatException(TraceFormatException cause) {
            super(cause.getMessage(), cause);
        }

        /** The error parsing the format file gave: file, offset, section and what was wrong. */
        public TraceFormatException formatError() {
            return (TraceFormatException) getCause();
        }
    }

    private static final class Entry {
        final Head head;
        private EventFormat format;
        private Parser parser;
        private TraceFormatException error;

        Entry(Head head, EventFormat format, Parser parser) {
            this.head = head;
            this.format = format;
            this.parser = parser;
        }

        synchronized EventFormat get() {
            if (format == null) {
                if (error == null) {
                    try {
                        format = parser.parse();
                        parser = null;
                    } catch (TraceFormatException e) {
                        error = e;
                    }
                }
                if (error != null) {
                    throw new UnparsableFormatException(error);
                }
            }
            return format;
        }
    }

    private final Map<Integer, Entry> byId = new HashMap<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private final List<Entry> all = new ArrayList<>();

    public void add(EventFormat f) {
        put(new Entry(new Head(f.id(), f.system(), f.name()), f, null));
    }

    /**
     * Registers a format parsed on first lookup; {@code id} and {@code name} must be what
     * {@code parser} will give (see {@link FormatFileParser#peek}).
     */
    public void addDeferred(int id, String system, String name, Parser parser) {
        put(new Entry(new Head(id, system, name), null, parser));
    }

    private void put(Entry e) {
        byId.put(e.head.id(), e);
        byName.put(e.head.name(), e);
        byName.put(e.head.system() + ":" + e.head.name(), e);
        all.add(e);
    }

    /** The format with this id, or null; parses a deferred one (see {@link UnparsableFormatException}). */
    public EventFormat byId(int id) {
        Entry e = byId.get(id);
        return e == null ? null : e.get();
    }

    /** By bare name ("ext4_mballoc_alloc") or "system:name"; parses a deferred one. */
    public EventFormat byName(String name) {
        Entry e = byName.get(name);
        return e == null ? null : e.get();
    }

    /** Every format, in registration order; parses all deferred ones (see {@link UnparsableFormatException}). */
    public Collection<EventFormat> all() {
        List<EventFormat> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            out.add(e.get());
        }
        return out;
    }

    /** Id, system and name of every format, in registration order, without parsing any. */
    public List<Head> heads() {
        List<Head> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            out.add(e.head);
        }
        return out;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }
}
