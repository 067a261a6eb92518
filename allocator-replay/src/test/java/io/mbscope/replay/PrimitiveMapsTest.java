package io.mbscope.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LongLongMap and LongObjMap against java.util.HashMap on seeded random put/get/remove sequences
 * over a small key space (long probe runs, wrap-around at the table end, deletions in the middle of
 * runs, growth), and removeIf.
 */
class PrimitiveMapsTest {

    @Test
    void longLongMapBehavesLikeAHashMap() {
        for (long seed = 1; seed <= 50; seed++) {
            Random r = new Random(seed);
            LongLongMap m = new LongLongMap();
            Map<Long, Long> ref = new HashMap<>();
            int keySpace = 1 + r.nextInt(300);
            for (int step = 0; step < 3000; step++) {
                long k = r.nextInt(4) == 0 ? (long) r.nextInt(keySpace) << 32 : r.nextInt(keySpace) - keySpace / 2;
                long v = r.nextLong();
                String ctx = "seed " + seed + " step " + step + " key " + k;
                switch (r.nextInt(5)) {
                    case 0, 1 -> assertThat(m.put(k, v)).as(ctx).isEqualTo(ref.put(k, v) == null);
                    case 2 -> assertThat(m.remove(k)).as(ctx).isEqualTo(ref.remove(k) != null);
                    case 3 -> {
                        Long old = ref.remove(k);
                        assertThat(m.removeValue(k, -7)).as(ctx).isEqualTo(old == null ? -7 : old);
                    }
                    default -> {
                        assertThat(m.containsKey(k)).as(ctx).isEqualTo(ref.containsKey(k));
                        assertThat(m.get(k, 42)).as(ctx).isEqualTo(ref.getOrDefault(k, 42L));
                    }
                }
                assertThat(m.size()).as(ctx).isEqualTo(ref.size());
            }
            assertThat(m.keySet()).isEqualTo(ref.keySet());
            for (long v : ref.values()) {
                assertThat(m.containsValue(v)).isTrue();
            }
            long absent = r.nextLong();
            assertThat(m.containsValue(absent)).isEqualTo(ref.containsValue(absent));
            m.removeIf((k, v) -> (k & 1) == 0);
            ref.entrySet().removeIf(e -> (e.getKey() & 1) == 0);
            assertThat(m.keySet()).isEqualTo(ref.keySet());
            for (Map.Entry<Long, Long> e : ref.entrySet()) {
                assertThat(m.get(e.getKey(), 0)).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void longObjMapBehavesLikeAHashMap() {
        for (long seed = 1; seed <= 50; seed++) {
            Random r = new Random(seed);
            LongObjMap<String> m = new LongObjMap<>();
            Map<Long, String> ref = new HashMap<>();
            int keySpace = 1 + r.nextInt(300);
            for (int step = 0; step < 3000; step++) {
                long k = r.nextInt(keySpace) * 1024L;
                String v = "v" + r.nextInt(1000);
                String ctx = "seed " + seed + " step " + step + " key " + k;
                switch (r.nextInt(4)) {
                    case 0, 1 -> assertThat(m.put(k, v)).as(ctx).isEqualTo(ref.put(k, v));
                    case 2 -> assertThat(m.remove(k)).as(ctx).isEqualTo(ref.remove(k));
                    default -> {
                        assertThat(m.get(k)).as(ctx).isEqualTo(ref.get(k));
                        assertThat(m.containsKey(k)).as(ctx).isEqualTo(ref.containsKey(k));
                    }
                }
                assertThat(m.size()).as(ctx).isEqualTo(ref.size());
            }
            Map<Long, String> seen = new HashMap<>();
            m.forEach(seen::put);
            assertThat(seen).isEqualTo(ref);
        }
    }
}
