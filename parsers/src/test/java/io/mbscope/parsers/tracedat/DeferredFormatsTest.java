package io.mbscope.parsers.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FormatFileParser;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format files are parsed when their event first turns up: a broken format of an event the trace
 * does not hold is no error, a broken one that is used fails at that event with the format file's
 * offset, and the quick name/ID scan agrees with the full parser on every real format file.
 */
class DeferredFormatsTest {
    @TempDir
    Path tmp;

    /** A format whose field has offset "zz": FormatFileParser rejects it. */
    static String broken(int id) {
        return "name: broken_event\nID: " + id + "\nformat:\n"
                + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
                + "\tfield:int common_pid;\toffset:zz;\tsize:4;\tsigned:1;\n\n"
                + "print fmt: \"x\"\n";
    }

    @Test
    void aBrokenFormatOfAnAbsentEventIsNoError() throws IOException {
        DatWriter w = SyntheticTraceDatTest.sample(new DatWriter());
        w.extraFormats.add(broken(300));
        Path p = Files.write(tmp.resolve("unused.dat"), w.build());
        try (TraceReader r = TraceDatReader.open(p, "unused.dat")) {
            assertThat(SyntheticTraceDatTest.read(r)).containsExactlyElementsOf(SyntheticTraceDatTest.expected());
            assertThat(r.stats().skipped()).containsOnlyKeys("unknown event id 999");
            // asking for it is where it fails
            assertThatThrownBy(() -> r.formats().byName("broken_event"))
                    .isInstanceOf(FormatRegistry.UnparsableFormatException.class)
                    .hasMessageContaining("unused.dat");
        }
    }

    @Test
    void aBrokenFormatFailsAtItsFirstEvent() throws IOException {
        DatWriter w = new DatWriter();
        w.extraFormats.add(broken(999));
        w.cpu(w.page(100).event(1, 1048, 1).event(1, 1048, 2).eventWithId(1, 999).event(1, 1048, 3));
        byte[] bytes = w.build();
        Path p = Files.write(tmp.resolve("used.dat"), bytes);
        try (TraceReader r = TraceDatReader.open(p, "used.dat")) {
            assertThat(r.next().raw().getLong("value")).isEqualTo(1);
            assertThat(r.next().raw().getLong("value")).isEqualTo(2);
            // The events section is zlib-compressed: the offset names the section's uncompressed
            // position of the format file, as an error at open did.
            assertThatThrownBy(r::next)
                    .isExactlyInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("used.dat at offset")
                    .hasMessageContaining("broken_event")
                    .hasMessageContaining("zz");
        }
    }

    @Test
    void deferredFormatsAreParsedOnceAndOnlyWhenAsked() throws TraceFormatException {
        FormatRegistry reg = new FormatRegistry();
        AtomicInteger parsed = new AtomicInteger();
        String good = "name: ok_event\nID: 7\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;"
                + "\tsigned:0;\n\nprint fmt: \"\"\n";
        reg.addDeferred(7, "t", "ok_event", () -> {
            parsed.incrementAndGet();
            return FormatFileParser.parse("t", good, "f", 0);
        });
        AtomicInteger failed = new AtomicInteger();
        reg.addDeferred(8, "t", "broken_event", () -> {
            failed.incrementAndGet();
            return FormatFileParser.parse("t", broken(8), "f", 123);
        });
        assertThat(reg.heads()).extracting(FormatRegistry.Head::name).containsExactly("ok_event", "broken_event");
        assertThat(parsed).hasValue(0);
        EventFormat a = reg.byId(7);
        assertThat(reg.byName("t:ok_event")).isSameAs(a);
        assertThat(a.name()).isEqualTo("ok_event");
        assertThat(parsed).hasValue(1);
        assertThat(failed).hasValue(0);
        FormatRegistry.UnparsableFormatException first = null;
        for (int i = 0; i < 2; i++) {
            try {
                reg.byId(8);
            } catch (FormatRegistry.UnparsableFormatException e) {
                if (first != null) {
                    assertThat(e.formatError()).isSameAs(first.formatError());
                }
                first = e;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.formatError().getMessage()).contains("f at offset 123");
        assertThat(failed).hasValue(1);
        assertThatThrownBy(reg::all).isInstanceOf(FormatRegistry.UnparsableFormatException.class);
    }

    @Test
    void peekAgreesWithTheParserOnEveryRealFormatFile() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SampleTraces.root())) {
            s.filter(f -> f.getFileName().toString().equals("format") && f.toString().contains("/formats/"))
                    .forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThan(500);
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            EventFormat full = FormatFileParser.parse("s", text, f.toString(), 0);
            FormatFileParser.Peek peek = FormatFileParser.peek(text);
            assertThat(peek).as(f.toString()).isEqualTo(new FormatFileParser.Peek(full.name(), full.id()));
        }
        assertThat(FormatFileParser.peek("name: x\nformat:\n")).isNull();
        assertThat(FormatFileParser.peek("name: x\nID: 1a\n")).isNull();
        assertThat(FormatFileParser.peek("name: x\nID: 12\nprint fmt: \"\\nID: 13\"\n"))
                .isEqualTo(new FormatFileParser.Peek("x", 12));
    }
}
