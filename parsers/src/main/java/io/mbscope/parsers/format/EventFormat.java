package io.mbscope.parsers.format;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One tracepoint's format file: id, system, name, fields and print fmt. Immutable. */
public final class EventFormat {
    private final int id;
    private final String system;
    private final String name;
    private final List<FieldFormat> fields;
    private final PrintFmt printFmt;
    private final Map<String, Integer> index = new HashMap<>();
    /** PayloadDecoder's per-format field plan, built on first decode (immutable; a racy rebuild is harmless). */
    PayloadDecoder.Plan plan;
    /** EventTyper's per-format field indexes, built on first use (immutable, final fields: safely published). */
    private Object typerPlan;

    public EventFormat(int id, String system, String name, List<FieldFormat> fields, PrintFmt printFmt) {
        this.id = id;
        this.system = system;
        this.name = name;
        this.fields = List.copyOf(fields);
        this.printFmt = printFmt;
        for (int i = 0; i < this.fields.size(); i++) {
            index.putIfAbsent(this.fields.get(i).name(), i);
        }
    }

    public int id() {
        return id;
    }

    /** e.g. "ext4"; for ftrace's own events (print) "ftrace". */
    public String system() {
        return system;
    }

    /** e.g. "ext4_mballoc_alloc". */
    public String name() {
        return name;
    }

    /** All fields in file order, common ones included. */
    public List<FieldFormat> fields() {
        return fields;
    }

    /** Index of the named field in {@link #fields()}, or -1. */
    public int indexOf(String fieldName) {
        Integer i = index.get(fieldName);
        return i == null ? -1 : i;
    }

    public FieldFormat field(String fieldName) {
        int i = indexOf(fieldName);
        return i < 0 ? null : fields.get(i);
    }

    /**
     * Per-format state of {@code io.mbscope.parsers.event.EventTyper} (its field indexes, resolved once
     * so that typing an event never looks a field up by name); opaque to everything else.
     */
    public Object typerPlan() {
        return typerPlan;
    }

    /** Sets {@link #typerPlan()}; only EventTyper calls this. */
    public void typerPlan(Object plan) {
        this.typerPlan = plan;
    }

    /** May be null when the format file had no print fmt line. */
    public PrintFmt printFmt() {
        return printFmt;
    }

    @Override
    public String toString() {
        return system + ":" + name + " (id " + id + ", " + fields.size() + " fields)";
    }
}
