package io.mbscope.parsers.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tracepoint formats of one trace, looked up by numeric id (binary) or by name (text). */
public final class FormatRegistry {
    private final Map<Integer, EventFormat> byId = new HashMap<>();
    private final Map<String, EventFormat> byName = new HashMap<>();
    private final List<EventFormat> all = new ArrayList<>();

    public void add(EventFormat f) {
        byId.put(f.id(), f);
        byName.put(f.name(), f);
        byName.put(f.system() + ":" + f.name(), f);
        all.add(f);
    }

    public EventFormat byId(int id) {
        return byId.get(id);
    }

    /** By bare name ("ext4_mballoc_alloc") or "system:name". */
    public EventFormat byName(String name) {
        return byName.get(name);
    }

    public Collection<EventFormat> all() {
        return List.copyOf(all);
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }
}
