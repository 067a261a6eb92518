package io.mbscope.parsers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The sample-traces corpus and its catalogue (sample-traces/catalog.json), for tests. */
public final class SampleTraces {
    private SampleTraces() {
    }

    /** One catalogue entry: folder, kernel, lost events and event counts per type (from trace-cmd report). */
    public record Capture(String folder, String kernel, String mkfsOptions, long lostEvents, Map<String, Long> counts) {
        public Path dir() {
            return root().resolve("sample-traces").resolve(folder);
        }

        @Override
        public String toString() {
            return folder;
        }
    }

    public static Path root() {
        String p = System.getProperty("mbscope.root");
        Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-traces"))) {
                return d;
            }
        }
        throw new IllegalStateException("sample-traces/ not found above " + start);
    }

    public static List<Capture> captures() {
        Path catalog = root().resolve("sample-traces/catalog.json");
        List<Capture> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(catalog.toFile())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "captures".equals(p.currentName())) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        out.add(readCapture(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + catalog, e);
        }
        return out;
    }

    private static Capture readCapture(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> counts = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("counts")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String ev = p.currentName();
                    p.nextToken();
                    counts.put(ev, p.getLongValue());
                }
            } else if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                p.skipChildren();
            } else {
                m.put(name, t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getValueAsString());
            }
        }
        return new Capture((String) m.get("folder"), (String) m.get("kernel"), (String) m.get("mkfs_options"),
                (Long) m.get("lost_events"), counts);
    }
}
