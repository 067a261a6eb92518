package io.mbscope.parsers.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trip over every bundled format whose arguments {@link PrintfFormatter} can evaluate: print
 * random field values with the print fmt, read the text back with {@link PrintFmtMatcher}, and
 * require (1) a complete match, (2) the same text when the read values are printed again, and
 * (3) the original value for every field the print fmt prints whole.
 */
class PrintFmtMatcherPropertyTest {

    static List<EventFormat> supported() {
        List<EventFormat> out = new ArrayList<>();
        for (String k : BuiltinFormats.kernels()) {
            for (EventFormat f : BuiltinFormats.registry(k).all()) {
                if (PrintfFormatter.supports(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<EventFormat> formats() {
        return Arbitraries.of(supported());
    }

    @Example
    void coversTheAllocatorEvents() {
        List<String> names = supported().stream().map(EventFormat::name).distinct().toList();
        assertThat(names).contains("ext4_mballoc_alloc", "ext4_mballoc_prealloc", "ext4_request_blocks",
                "ext4_allocate_blocks", "ext4_ext_map_blocks_exit", "ext4_free_blocks", "ext4_remove_blocks",
                "iomap_iter", "iomap_iter_dstmap", "iomap_dio_rw_begin", "sys_enter_pwritev2", "sys_exit_pwrite64");
        assertThat(names.size()).as("distinct supported events").isGreaterThan(150);
    }

    @Property(tries = 2000)
    void printedValuesReadBack(@ForAll("formats") EventFormat f, @ForAll long seed) {
        Random rnd = new Random(seed);
        Map<String, Object> values = randomValues(f, rnd);
        String text = PrintfFormatter.format(f, values);

        PrintFmtMatcher m = PrintFmtMatcher.of(f);
        Object[] read = new Object[f.fields().size()];
        PrintFmtMatcher.Result r = m.match(text, 0, read);
        assertThat(r.complete()).as("%s: '%s' -> %s", f.name(), text, r.problem()).isTrue();

        Map<String, Object> back = new HashMap<>(values);
        for (int i = 0; i < read.length; i++) {
            if (read[i] != null) {
                back.put(f.fields().get(i).name(), read[i]);
            }
        }
        assertThat(PrintfFormatter.format(f, back)).as("%s re-printed", f.name()).isEqualTo(text);
        for (String name : PrintfFormatter.wholeFields(f)) {
            assertThat(read[f.indexOf(name)]).as("%s.%s from '%s'", f.name(), name, text).isEqualTo(values.get(name));
        }
    }

    /** Values as RawEvent holds them: Long normalized to the field's size and sign, String for char arrays. */
    static Map<String, Object> randomValues(EventFormat f, Random rnd) {
        Map<String, Object> v = new HashMap<>();
        List<String> pow2 = PrintfFormatter.pow2Fields(f);
        for (FieldFormat ff : f.fields()) {
            if (ff.isString()) {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(13);
                for (int i = 0; i < n; i++) {
                    sb.append("abcdefghijklmnopqrstuvwxyz0123456789_".charAt(rnd.nextInt(37)));
                }
                v.put(ff.name(), sb.toString());
                continue;
            }
            long x;
            if (pow2.contains(ff.name())) {
                x = rnd.nextInt(31);
            } else {
                switch (rnd.nextInt(4)) {
                    case 0:
                        x = rnd.nextInt(16);
                        break;
                    case 1:
                        x = rnd.nextInt(1 << 20);
                        break;
                    case 2:
                        x = -1 - rnd.nextInt(4);
                        break;
                    default:
                        x = rnd.nextLong();
                        break;
                }
                Map<Long, String> table = tableOf(f, ff.name());
                if (!table.isEmpty() && rnd.nextBoolean()) {
                    // a value the table names, or an OR of several names for a flag set
                    List<Long> keys = new ArrayList<>(table.keySet());
                    x = keys.get(rnd.nextInt(keys.size()));
                    if (rnd.nextBoolean()) {
                        x |= keys.get(rnd.nextInt(keys.size()));
                    }
                }
            }
            v.put(ff.name(), PrintFmtMatcher.normalize(x, ff.size(), ff.signed()));
        }
        return v;
    }

    private static Map<Long, String> tableOf(EventFormat f, String field) {
        PrintFmtMatcher m = PrintFmtMatcher.of(f);
        Map<Long, String> t = new HashMap<>(m.symbols(field));
        t.putAll(m.flags(field));
        return t;
    }
}
