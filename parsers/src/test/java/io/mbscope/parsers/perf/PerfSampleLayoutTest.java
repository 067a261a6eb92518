package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sample layouts and record kinds the corpus does not hold, made from the real pipe capture by
 * rewriting its records: samples that also carry ADDR, ID, STREAM_ID, READ (group) and CALLCHAIN
 * before RAW (perf record -d -g --read-format style), LOST / LOST_SAMPLES records, unknown types.
 */
class PerfSampleLayoutTest {
    // perf_event_sample_format bits (include/uapi/linux/perf_event.h)
    private static final long ADDR = 1 << 3;
    private static final long READ = 1 << 4;
    private static final long CALLCHAIN = 1 << 5;
    private static final long ID = 1 << 6;
    private static final long STREAM_ID = 1 << 9;
    private static final long RAW = 1 << 10;
    private static byte[] pipe;
    private static List<TraceEvent> expected;

    @BeforeAll
    static void load() throws IOException {
        pipe = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf-pipe.data.zst"));
        expected = read(pipe, null);
    }

    private static List<TraceEvent> read(byte[] b, long[] lostOut) throws IOException {
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(b), "-")) {
            List<TraceEvent> l = PerfScriptText.readAll(r);
            if (lostOut != null) {
                lostOut[0] = r.stats().lostEvents();
                lostOut[1] = r.stats().skipped().getOrDefault("perf: unknown record type 120", 0L);
                lostOut[2] = r.stats().skippedTotal();
            }
            return l;
        }
    }

    /** Rewrites every record of the pipe stream with {@code f(type, record)} (null drops it). */
    private static byte[] rewrite(BiFunction<Integer, ByteBuffer, byte[]> f) {
        ByteBuffer in = ByteBuffer.wrap(pipe).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pipe, 0, 16);
        int off = 16;
        while (off < pipe.length) {
            int type = in.getInt(off);
            int size = in.getShort(off + 6) & 0xffff;
            int total = size + (type == 66 ? in.getInt(off + 8) : 0);
            ByteBuffer rec = ByteBuffer.wrap(pipe, off, total).slice().order(ByteOrder.LITTLE_ENDIAN);
            byte[] r = type == 66 ? null : f.apply(type, rec);
            if (type == 66) {
                out.write(pipe, off, total);
            } else if (r != null) {
                out.write(r, 0, r.length);
            }
            off += total;
        }
        return out.toByteArray();
    }

    private static byte[] copy(ByteBuffer rec) {
        byte[] b = new byte[rec.remaining()];
        rec.duplicate().get(b);
        return b;
    }

    private static boolean isTracepointAttr(ByteBuffer rec) {
        return rec.getInt(8) == 2;
    }

    @Test
    void fieldsBeforeRawAreSkippedByTheirLayout() throws IOException {
        long extra = ADDR | ID | STREAM_ID | READ | CALLCHAIN;
        byte[] changed = rewrite((type, rec) -> {
            byte[] b = copy(rec);
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            if (type == 64 && isTracepointAttr(rec)) {
                bb.putLong(8 + 24, bb.getLong(8 + 24) | extra);
                bb.putLong(8 + 32, 8 | 4 | 1); // read_format GROUP|ID|TOTAL_TIME_ENABLED
                return b;
            }
            if (type != 9) {
                return b;
            }
            // original: IDENTIFIER IP TID TIME CPU PERIOD RAW; new order per perf_event.h:
            // IDENTIFIER IP TID TIME ADDR ID STREAM_ID CPU PERIOD READ CALLCHAIN RAW
            int size = b.length;
            int add = 8 + 8 + 8 + (8 + 8 + 2 * 16) + (8 + 3 * 8);
            ByteBuffer n = ByteBuffer.allocate(size + add).order(ByteOrder.LITTLE_ENDIAN);
            n.putInt(9).putShort(bb.getShort(4)).putShort((short) (size + add));
            long id = bb.getLong(8);
            n.putLong(id).putLong(bb.getLong(16)).putLong(bb.getLong(24)).putLong(bb.getLong(32));
            n.putLong(0xdead0000L).putLong(id).putLong(0x5151);
            n.putLong(bb.getLong(40)).putLong(bb.getLong(48));
            n.putLong(2).putLong(1234).putLong(1).putLong(id).putLong(2).putLong(id + 1);
            n.putLong(3).putLong(0xffffffff81000000L).putLong(0xffffffff81000010L).putLong(0xffffffff81000020L);
            n.put(b, 56, size - 56);
            return n.array();
        });
        List<TraceEvent> got = read(changed, null);
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).header()).isEqualTo(expected.get(i).header());
            assertThat(got.get(i).raw().payload()).isEqualTo(expected.get(i).raw().payload());
        }
    }

    @Test
    void lostRecordsAreCountedAndUnknownTypesSkipped() throws IOException {
        boolean[] done = {false};
        byte[] changed = rewrite((type, rec) -> {
            byte[] b = copy(rec);
            if (type != 68 || done[0]) {
                return b;
            }
            done[0] = true;
            // PERF_RECORD_LOST {id, lost} and LOST_SAMPLES {lost}, each with the dummy event's
            // 32-byte sample_id (TID, TIME, CPU, IDENTIFIER); the identifier 0 matches no attr
            ByteBuffer n = ByteBuffer.allocate(8 + 56 + 48 + 16).order(ByteOrder.LITTLE_ENDIAN);
            n.put(b);
            n.putInt(2).putShort((short) 0).putShort((short) 56).putLong(0).putLong(7).put(new byte[32]);
            n.putInt(13).putShort((short) 0).putShort((short) 48).putLong(5).put(new byte[32]);
            n.putInt(120).putShort((short) 0).putShort((short) 16).putLong(42);
            return n.array();
        });
        long[] st = new long[3];
        List<TraceEvent> got = read(changed, st);
        assertThat(got).hasSameSizeAs(expected);
        assertThat(st[0]).isEqualTo(12);
        assertThat(st[1]).isEqualTo(1);
        assertThat(st[2]).isEqualTo(1);
    }

    @Test
    void samplesOfANonTracepointEventAreCounted() throws IOException {
        // turn the tracepoint attrs' RAW bit off: every sample is then "without tracepoint data"
        byte[] changed = rewrite((type, rec) -> {
            byte[] b = copy(rec);
            if (type == 64 && isTracepointAttr(rec)) {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                bb.putLong(8 + 24, bb.getLong(8 + 24) & ~RAW);
            }
            return b;
        });
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(changed), "-")) {
            assertThat(r.next()).isNull();
            assertThat(r.stats().skippedTotal()).isEqualTo(1824);
        }
    }

    /**
     * Without FINISHED_ROUND records the reader can only sort within its pending cap: past it, the
     * oldest half is emitted (as perf's ordered_events does) and any later, older event is emitted
     * where it is and counted. Checked with a cap of 64 against the order actually produced.
     */
    @Test
    void withoutRoundsThePendingCapBoundsMemoryAndCountsDisorder() throws IOException {
        byte[] noRounds = rewrite((type, rec) -> type == 68 ? null : copy(rec));
        for (int cap : new int[] {64, 1 << 21}) {
            try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(noRounds), "-")) {
                ((PerfDataReader) r).maxPending(cap);
                List<TraceEvent> got = PerfScriptText.readAll(r);
                assertThat(got).hasSameSizeAs(expected);
                long max = Long.MIN_VALUE;
                long older = 0;
                for (TraceEvent e : got) {
                    if (e.timestampNs() < max) {
                        older++;
                    } else {
                        max = e.timestampNs();
                    }
                }
                assertThat(r.stats().skipped().getOrDefault(
                        "perf: event older than one already emitted (left in file order)", 0L)).isEqualTo(older);
                if (cap == 64) {
                    // CPU buffers hold hundreds of events each: a 64-record window cannot sort them
                    assertThat(older).isPositive();
                }
                if (cap > expected.size()) {
                    assertThat(older).isZero(); // everything fits: fully sorted at the end
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(got.get(i).header()).isEqualTo(expected.get(i).header());
                    }
                }
            }
        }
    }
}
