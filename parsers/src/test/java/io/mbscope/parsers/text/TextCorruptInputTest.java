package io.mbscope.parsers.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.TraceFormat;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.FormatDirectory;
import io.mbscope.parsers.format.FormatRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Bad text: clear TraceFormatException with the line number, or a counted skip; never anything else. */
class TextCorruptInputTest {
    static final String HEAD = "cpus=2\n";
    static final String ALLOC = "ext4lab-tc-148:           ext4wl-1048  [001]    15.008784: ext4_mballoc_alloc:   "
            + "dev 8,0 inode 12 orig 0/0/1@0 goal 0/0/1@0 result 0/4139/1@0 blks 1 grps 1 cr CR_GOAL_LEN_FAST flags  "
            + "tail 0 broken 0\n";
    static final String MAP = "ext4lab-tc-148:           ext4wl-1048  [001]    15.001552: ext4_ext_map_blocks_enter: "
            + "dev 8,0 ino 2 lblk 0 len 1 flags \n";

    static final String JUNK = "[]:-|0x9 \n(),/@";

    private static FormatRegistry own;

    static synchronized FormatRegistry own() throws IOException {
        if (own == null) {
            own = FormatDirectory.load(TextCorpusTest.root().resolve("7.3.4-4k/formats"));
        }
        return own;
    }

    static TextTraceReader open(String text, FormatRegistry f) throws IOException {
        return TextTraceReader.open(new BufferedReader(new StringReader(text)), "test.txt", f);
    }

    static List<TraceEvent> readAll(TextTraceReader r) throws IOException {
        List<TraceEvent> out = new ArrayList<>();
        TraceEvent e;
        while ((e = r.next()) != null) {
            out.add(e);
        }
        return out;
    }

    @Test
    void noneOfTheThree() {
        assertThatThrownBy(() -> open("hello world\nthis is not a trace\n", null))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("test.txt")
                .hasMessageContaining("line 1")
                .hasMessageContaining("hello world")
                .satisfies(e -> assertThat(((TraceFormatException) e).offset()).isEqualTo(1));
    }

    @Test
    void emptyInput() {
        assertThatThrownBy(() -> open("\n\n", null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void binaryWithoutNewlines() {
        char[] junk = new char[LineSource.MAX_LINE + 10];
        new Random(1).ints(junk.length, 32, 127).forEach(new java.util.function.IntConsumer() {
            int i;

            @Override
            public void accept(int c) {
                junk[i++] = (char) c;
            }
        });
        assertThatThrownBy(() -> open(new String(junk), null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("line 1").hasMessageContaining("longer");
    }

    @Test
    void garbageLineInTheMiddle() throws IOException {
        try (TextTraceReader r = open(HEAD + MAP + ALLOC + "@@ this is garbage @@\n" + ALLOC, own())) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.TEXT_TRACE_CMD_REPORT);
            assertThat(r.next()).isInstanceOf(TraceEvent.MapBlocksEnter.class);
            assertThat(r.next()).isInstanceOf(TraceEvent.MballocAlloc.class);
            assertThatThrownBy(r::next).isInstanceOf(TraceFormatException.class)
                    .hasMessageContaining("line 4")
                    .hasMessageContaining("@@ this is garbage @@")
                    .satisfies(e -> assertThat(((TraceFormatException) e).offset()).isEqualTo(4));
        }
    }

    @Test
    void lineCutInsideTheHeader() throws IOException {
        try (TextTraceReader r = open(HEAD + MAP + "ext4lab-tc-148:           ext4wl-1048  [001]    15.00", own())) {
            assertThat(r.next()).isNotNull();
            assertThatThrownBy(r::next).isInstanceOf(TraceFormatException.class).hasMessageContaining("line 3");
        }
    }

    @Test
    void lineCutInsideThePayloadKeepsWhatWasRead() throws IOException {
        String cut = ALLOC.substring(0, ALLOC.indexOf("goal 0/0") + 8);
        for (FormatRegistry f : new FormatRegistry[] {own(), null}) {
            try (TextTraceReader r = open(HEAD + MAP + cut, f)) {
                List<TraceEvent> evs = readAll(r);
                assertThat(evs).hasSize(2);
                TraceEvent e = evs.get(1);
                assertThat(e).isInstanceOf(TraceEvent.Generic.class);
                assertThat(e.raw().getLong("dev", -1)).isEqualTo(8 << 20);
                assertThat(e.raw().getLong("ino", -1)).isEqualTo(12);
                assertThat(e.raw().getLong("orig_start", -1)).isZero();
                assertThat(e.raw().get("result_start")).isNull();
                assertThat(r.stats().skipped()).containsEntry("ext4_mballoc_alloc: payload does not match its print fmt", 1L);
                assertThat(r.stats().events()).isEqualTo(2);
                assertThat(r.problems()).singleElement().asString().startsWith("line 3: ext4_mballoc_alloc");
            }
        }
    }

    @Test
    void unknownFlagNameIsASkipNotAGuess() throws IOException {
        String bad = ALLOC.replace("flags  tail", "flags HINT_DATA|NO_SUCH_FLAG tail");
        for (FormatRegistry f : new FormatRegistry[] {own(), null}) {
            try (TextTraceReader r = open(HEAD + bad, f)) {
                TraceEvent e = r.next();
                assertThat(e).isInstanceOf(TraceEvent.Generic.class);
                assertThat(e.raw().get("flags")).isNull();
                // the reader resynchronises after the bad value
                assertThat(e.raw().getLong("tail", -1)).isZero();
                assertThat(r.stats().skippedTotal()).isEqualTo(1);
            }
        }
    }

    @Test
    void numberTooLargeForSixtyFourBits() throws IOException {
        String bad = ALLOC.replace("inode 12 ", "inode 99999999999999999999999 ");
        try (TextTraceReader r = open(HEAD + bad, own())) {
            TraceEvent e = r.next();
            assertThat(e).isInstanceOf(TraceEvent.Generic.class);
            assertThat(e.raw().get("ino")).isNull();
            assertThat(r.stats().skippedTotal()).isEqualTo(1);
        }
    }

    @Test
    void unknownEventKeepsItsText() throws IOException {
        String line = "ext4lab-tc-148:           ext4wl-1048  [001]    15.1: sched_switch:  prev_comm=a next_comm=b\n";
        try (TextTraceReader r = open(HEAD + line, own())) {
            TraceEvent e = r.next();
            assertThat(e).isInstanceOf(TraceEvent.Generic.class);
            assertThat(e.name()).isEqualTo("sched_switch");
            assertThat(e.raw().getString("payload")).isEqualTo("prev_comm=a next_comm=b");
            assertThat(e.timestampNs()).isEqualTo(15_100_000_000L);
            assertThat(r.stats().skipped()).containsKey("no format for event sched_switch (kept as text)");
        }
    }

    @Test
    void lostEventsAndLateBuffers() throws IOException {
        String ftrace = "# tracer: nop\n#\n"
                + "          ext4wl-1048    [001] .....    15.001292: ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 0 len 1 flags \n"
                + "CPU:1 [LOST 42 EVENTS]\n"
                + "##### CPU 0 buffer started ####\n"
                + "          ext4wl-1048    [000] .....    15.001293: ext4_ext_map_blocks_enter: dev 8,0 ino 3 lblk 0 len 1 flags \n";
        try (TextTraceReader r = open(ftrace, null)) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.TEXT_FTRACE);
            assertThat(readAll(r)).hasSize(2);
            assertThat(r.stats().lostEvents()).isEqualTo(42);
            assertThat(r.stats().skipped()).hasSize(1);
        }
    }

    @Test
    void ftraceWithoutHeaderAndCommWithSpacesAndDashes() throws IOException {
        String ftrace = "   my worker-thread-2-4242    [003] d..1.    15.5: ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 7 len 1 flags CREATE\n";
        try (TextTraceReader r = open(ftrace, own())) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.TEXT_FTRACE);
            TraceEvent.MapBlocksEnter e = (TraceEvent.MapBlocksEnter) r.next();
            assertThat(e.header().comm()).isEqualTo("my worker-thread-2");
            assertThat(e.header().pid()).isEqualTo(4242);
            assertThat(e.cpu()).isEqualTo(3);
            assertThat(e.lblk()).isEqualTo(7);
            assertThat(e.flags()).isEqualTo(1);
            assertThat(e.timestampNs()).isEqualTo(15_500_000_000L);
        }
    }

    @Test
    void perfScriptWithSpacesInComm() throws IOException {
        String perf = "  my worker  4242 [002]    15.000001:                ext4:ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 0 len 1 flags \n";
        try (TextTraceReader r = open(perf, null)) {
            assertThat(r.info().format()).isEqualTo(TraceFormat.TEXT_PERF_SCRIPT);
            TraceEvent e = r.next();
            assertThat(e.header().comm()).isEqualTo("my worker");
            assertThat(e.header().pid()).isEqualTo(4242);
            assertThat(e.timestampNs()).isEqualTo(15_000_001_000L);
        }
    }

    @Test
    void eventPrintedOnTwoLines() throws IOException {
        // ext4_fc_stats's print fmt has "reasons:\n": ftrace prints it on two lines
        String ftrace = "# tracer: nop\n"
                + "     jbd2/sda-8-87      [000] .....    20.000001: ext4_fc_stats: dev 8,0 fc ineligible reasons:\n"
                + "XATTR:1, CROSS_RENAME:0, JOURNAL_FLAG_CHANGE:0, NO_MEM:0, SWAP_BOOT:0, RESIZE:0, RENAME_DIR:0, "
                + "FALLOC_RANGE:3, INODE_JOURNAL_DATA:0, ENCRYPTED_FILENAME:2num_commits:5, ineligible: 1, numblks: 7\n"
                + "          ext4wl-1048    [001] .....    20.000002: ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 0 len 1 flags \n";
        try (TextTraceReader r = open(ftrace, null)) {
            TraceEvent e = r.next();
            assertThat(e.name()).isEqualTo("ext4_fc_stats");
            assertThat(e.header().comm()).isEqualTo("jbd2/sda-8");
            assertThat(e.raw().getLong("fc_commits", -1)).isEqualTo(5);
            assertThat(e.raw().getLong("fc_numblks", -1)).isEqualTo(7);
            long[] rc = (long[]) e.raw().get("fc_ineligible_rc");
            assertThat(rc).hasSize(13);
            assertThat(rc[0]).isEqualTo(1);
            assertThat(rc[7]).isEqualTo(3);
            assertThat(rc[9]).isEqualTo(2);
            assertThat(r.next()).isInstanceOf(TraceEvent.MapBlocksEnter.class);
            assertThat(r.next()).isNull();
            assertThat(r.stats().skippedTotal()).isZero();
        }
    }

    @Test
    void reportWithoutInstancePrefix() throws IOException {
        String rep = HEAD + "          ext4wl-1048  [001]    15.001552: ext4_ext_map_blocks_enter: dev 8,0 ino 2 lblk 0 len 1 flags \n";
        try (TextTraceReader r = open(rep, null)) {
            assertThat(r.info().buffers()).containsExactly("");
            assertThat(r.next()).isInstanceOf(TraceEvent.MapBlocksEnter.class);
            assertThat(r.stats().skippedTotal()).isZero();
        }
    }

    /**
     * Real lines with random damage (cut, characters replaced or inserted): the reader returns events
     * (typed or Generic with a counted skip) or throws TraceFormatException, nothing else.
     */
    @Property(tries = 300)
    void damagedLinesNeverCrash(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int dialect) throws IOException {
        String[] samples = {
                HEAD + MAP + ALLOC + ALLOC.replace("ext4_mballoc_alloc:   dev", "iomap_iter:           dev")
                        + "ext4lab-tc-148:           ext4wl-1048  [001]    15.046392: sys_enter_pwrite64:   "
                        + "[FAILED TO PARSE] __syscall_nr=18 fd=8 buf=0x7f2cc89c5000 count=4096 pos=0 __buf_val=\n",
                "# tracer: nop\n          ext4wl-1048    [001] .....    15.046372: sys_pwrite64(fd: 8, buf: 0x7f2cc89c5000 "
                        + "(00:07:0e, ...) \"...\"..., count: 0x1000, pos: 0)\n"
                        + "          ext4wl-1048    [001] .....    15.056208: sys_pwrite64 -> 0x1000\n"
                        + "          ext4wl-1048    [001] ...1.    15.043483: tracing_mark_write: ext4wl phase=dio\n",
                "          ext4wl  1048 [001]    15.047406:                              iomap:iomap_iter: dev 8:0 ino 0xe "
                        + "pos 0x0 length 0x0 status 0 flags WRITE|DIRECT (0x11) ops 0xffffffffc00ed970 caller 0xffffffff91686bc0\n"
                        + "          ext4wl  1048 [001]    15.008841:                       ext4:ext4_mballoc_alloc: dev 8,0 "
                        + "inode 12 orig 0/0/1@0 goal 0/0/1@0 result 0/4139/1@0 blks 1 grps 1 cr CR_GOAL_LEN_FAST flags  tail 0 broken 0\n"};
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(samples[dialect]);
        int damage = 1 + rnd.nextInt(4);
        for (int i = 0; i < damage && sb.length() > 0; i++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0:
                    sb.setLength(at);
                    break;
                case 1:
                    sb.setCharAt(at, JUNK.charAt(rnd.nextInt(JUNK.length())));
                    break;
                case 2:
                    sb.insert(at, JUNK.charAt(rnd.nextInt(JUNK.length())));
                    break;
                default:
                    sb.deleteCharAt(at);
                    break;
            }
        }
        try (TextTraceReader r = open(sb.toString(), rnd.nextBoolean() ? own() : null)) {
            long n = 0;
            TraceEvent e;
            while ((e = r.next()) != null) {
                assertThat(e.raw()).isNotNull();
                n++;
            }
            assertThat(r.stats().events()).isEqualTo(n);
        } catch (TraceFormatException expected) {
            assertThat(expected.getMessage()).contains("test.txt");
        }
    }
}
