package io.mbscope.parsers.text;

import io.mbscope.parsers.format.BuiltinFormats;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.FormatRegistry;
import io.mbscope.parsers.format.PrintFmtMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which format (and compiled matcher) to read an event line with. With formats from the trace's own
 * kernel there is one candidate per event. Without, the bundled formats of every kernel are
 * candidates, the primary kernel's first; a line the preferred candidate cannot read is tried with
 * the others and the one that reads it becomes the preferred one for that event name, so a trace of
 * a kernel between the bundled ones (a table entry more or less) still reads completely.
 */
final class FormatSource {
    /** One way to read an event. */
    record Candidate(EventFormat format, PrintFmtMatcher matcher, String kernel) {
    }

    private static final Candidate[] NONE = new Candidate[0];
    /** Matchers of the bundled formats, shared by all readers (the bundled EventFormats are singletons). */
    private static final Map<EventFormat, PrintFmtMatcher> BUILTIN_MATCHERS = new ConcurrentHashMap<>();

    private final FormatRegistry user;
    private List<String> kernelOrder;
    private final Map<String, Candidate[]> cache = new HashMap<>();

    /** @param user the trace's own formats, or null to use the bundled ones */
    FormatSource(FormatRegistry user) {
        this.user = user;
        this.kernelOrder = BuiltinFormats.kernels();
    }

    boolean builtIn() {
        return user == null;
    }

    /** Puts {@code kernel}'s bundled formats first (before any lookup is cached). */
    void setPrimary(String kernel) {
        List<String> order = new ArrayList<>();
        order.add(kernel);
        for (String k : BuiltinFormats.kernels()) {
            if (!k.equals(kernel)) {
                order.add(k);
            }
        }
        kernelOrder = order;
        cache.clear();
    }

    String primaryKernel() {
        return user == null ? kernelOrder.get(0) : null;
    }

    FormatRegistry primary() {
        return user != null ? user : BuiltinFormats.registry(kernelOrder.get(0));
    }

    /**
     * Candidates for an event: {@code key} is "name" or "system:name". Formats the user gave win; the
     * bundled ones fill in events the user's folder lacks (ftrace/print is often not saved).
     */
    Candidate[] candidates(String key) {
        Candidate[] c = cache.get(key);
        if (c != null) {
            return c;
        }
        List<Candidate> list = new ArrayList<>();
        if (user != null) {
            EventFormat f = lookup(user, key);
            if (f != null) {
                list.add(new Candidate(f, PrintFmtMatcher.of(f), null));
            }
        }
        if (list.isEmpty()) {
            for (String k : kernelOrder) {
                EventFormat f = lookup(BuiltinFormats.registry(k), key);
                if (f != null && list.stream().noneMatch(o -> sameText(o.format(), f))) {
                    list.add(new Candidate(f, builtinMatcher(f), k));
                }
            }
        }
        c = list.isEmpty() ? NONE : list.toArray(new Candidate[0]);
        cache.put(key, c);
        return c;
    }

    /** The shared matcher of a bundled format. */
    static PrintFmtMatcher builtinMatcher(EventFormat f) {
        return BUILTIN_MATCHERS.computeIfAbsent(f, PrintFmtMatcher::of);
    }

    /** Makes candidate {@code i} of {@code key} the first one tried. */
    void prefer(String key, int i) {
        Candidate[] c = cache.get(key);
        if (c == null || i <= 0 || i >= c.length) {
            return;
        }
        Candidate[] re = c.clone();
        Candidate chosen = re[i];
        System.arraycopy(c, 0, re, 1, i);
        re[0] = chosen;
        cache.put(key, re);
    }

    private static EventFormat lookup(FormatRegistry reg, String key) {
        EventFormat f = reg.byName(key);
        if (f == null) {
            int colon = key.indexOf(':');
            if (colon >= 0) {
                f = reg.byName(key.substring(colon + 1));
            }
        }
        return f;
    }

    /** Two formats print the same text when their print fmts and field names are equal. */
    private static boolean sameText(EventFormat a, EventFormat b) {
        if (!Objects.equals(a.printFmt(), b.printFmt()) || a.fields().size() != b.fields().size()) {
            return false;
        }
        for (int i = 0; i < a.fields().size(); i++) {
            FieldFormat x = a.fields().get(i);
            FieldFormat y = b.fields().get(i);
            if (!x.name().equals(y.name()) || x.size() != y.size() || x.signed() != y.signed()) {
                return false;
            }
        }
        return true;
    }
}
