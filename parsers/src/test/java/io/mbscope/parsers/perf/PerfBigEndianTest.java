package io.mbscope.parsers.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.format.EventFormat;
import io.mbscope.parsers.format.FieldFormat;
import io.mbscope.parsers.format.FormatFileParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No big-endian capture exists here (s390x / ppc64 BE), so the real pipe capture is rewritten the
 * way a big-endian machine would have written it: every header, attr (with its bitfield laid out
 * from the most significant bit), feature, record, tracing-data number and tracepoint field in
 * big-endian order. The reader must produce the same events from both.
 */
class PerfBigEndianTest {

    @Test
    void bigEndianPipeDecodesLikeTheLittleEndianOriginal() throws IOException {
        byte[] le = PerfScriptText.unzstdBytes(PerfScriptText.testResource("perf-modes-6.18-4k/perf-pipe.data.zst"));
        byte[] be = new Converter(le).convert();
        assertThat(new String(be, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("2ELIFREP");
        List<TraceEvent> expected;
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(le), "le")) {
            expected = PerfScriptText.readAll(r);
        }
        try (TraceReader r = PerfDataReader.openPipe(new ByteArrayInputStream(be), "be")) {
            assertThat(r.info().kernelRelease()).startsWith("6.18.44");
            assertThat(r.info().clock()).isEqualTo("mono");
            assertThat(r.info().cpus()).isEqualTo(2);
            List<TraceEvent> got = PerfScriptText.readAll(r);
            assertThat(r.stats().skipped()).isEmpty();
            assertThat(got).hasSize(1824).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).header()).isEqualTo(expected.get(i).header());
                assertThat(got.get(i).name()).isEqualTo(expected.get(i).name());
                assertThat(got.get(i).raw().payload()).isEqualTo(expected.get(i).raw().payload());
            }
        }
    }

    /** LE pipe stream to BE, for the record kinds this capture holds (others are dropped). */
    private static final class Converter {
        private final ByteBuffer in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<Integer, EventFormat> formats = new HashMap<>();

        Converter(byte[] le) {
            in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        }

        byte[] convert() throws IOException {
            out.write("2ELIFREP".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer h = be(8).putLong(16);
            out.write(h.array());
            int off = 16;
            while (off < in.capacity()) {
                int type = in.getInt(off);
                int size = in.getShort(off + 6) & 0xffff;
                int next = off + size + (type == 66 ? in.getInt(off + 8) : 0);
                ByteBuffer r = be(size);
                r.putInt(type).putShort(in.getShort(off + 4)).putShort((short) size);
                boolean keep = true;
                switch (type) {
                    case 64 -> attr(r, off, size);
                    case 80 -> keep = feature(r, off, size);
                    case 66 -> {
                        r.putInt(in.getInt(off + 8)).putInt(0);
                        out.write(r.array());
                        tracingData(off + size, in.getInt(off + 8));
                        off = next;
                        continue;
                    }
                    case 9 -> sample(r, off, size);
                    case 3 -> {
                        r.putInt(in.getInt(off + 8)).putInt(in.getInt(off + 12));
                        copy(r, off + 16, size - 16 - 32);
                        sampleId(r, off + size - 32);
                    }
                    case 4, 7 -> {
                        for (int k = 0; k < 4; k++) {
                            r.putInt(in.getInt(off + 8 + 4 * k));
                        }
                        r.putLong(in.getLong(off + 24));
                        sampleId(r, off + 32);
                    }
                    case 68 -> { }
                    default -> keep = false;
                }
                if (keep) {
                    assertThat(r.position()).as("record type " + type).isEqualTo(size);
                    out.write(r.array());
                }
                off = next;
            }
            return out.toByteArray();
        }

        private static ByteBuffer be(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.BIG_ENDIAN);
        }

        private void copy(ByteBuffer r, int at, int n) {
            for (int i = 0; i < n; i++) {
                r.put(in.get(at + i));
            }
        }

        /** perf_event_attr (include/uapi/linux/perf_event.h layout) then u64 ids. */
        private void attr(ByteBuffer r, int off, int size) {
            int a = off + 8;
            int asz = in.getInt(a + 4);
            r.putInt(in.getInt(a)).putInt(asz);
            for (int k = 8; k < 40; k += 8) {
                r.putLong(in.getLong(a + k));
            }
            r.putLong(Long.reverse(in.getLong(a + 40))); // bitfield: first member in the MSB on BE
            r.putInt(in.getInt(a + 48)).putInt(in.getInt(a + 52));
            for (int k = 56; k < 88; k += 8) {
                r.putLong(in.getLong(a + k));
            }
            r.putInt(in.getInt(a + 88)).putInt(in.getInt(a + 92));
            r.putLong(in.getLong(a + 96));
            r.putInt(in.getInt(a + 104)).putShort(in.getShort(a + 108)).putShort(in.getShort(a + 110));
            r.putInt(in.getInt(a + 112)).putInt(in.getInt(a + 116));
            for (int k = 120; k < asz; k += 8) {
                r.putLong(in.getLong(a + k));
            }
            for (int k = a + asz; k < off + size; k += 8) {
                r.putLong(in.getLong(k));
            }
        }

        private boolean feature(ByteBuffer r, int off, int size) {
            long feat = in.getLong(off + 8);
            r.putLong(feat);
            int d = off + 16;
            switch ((int) feat) {
                case 4 -> { // OSRELEASE: perf_header_string
                    r.putInt(in.getInt(d));
                    copy(r, d + 4, size - 20);
                }
                case 7 -> r.putInt(in.getInt(d)).putInt(in.getInt(d + 4));
                case 23 -> r.putLong(in.getLong(d));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void sample(ByteBuffer r, int off, int size) {
            // sample_type IP|TID|TIME|CPU|PERIOD|RAW|IDENTIFIER (perf report --header-only)
            int p = off + 8;
            r.putLong(in.getLong(p)).putLong(in.getLong(p + 8));
            r.putInt(in.getInt(p + 16)).putInt(in.getInt(p + 20));
            r.putLong(in.getLong(p + 24));
            r.putInt(in.getInt(p + 32)).putInt(in.getInt(p + 36));
            r.putLong(in.getLong(p + 40));
            int raw = in.getInt(p + 48);
            r.putInt(raw);
            int q = p + 52;
            EventFormat f = formats.get(in.getShort(q) & 0xffff);
            assertThat(f).isNotNull();
            byte[] payload = new byte[raw];
            in.get(q, payload);
            ByteBuffer src = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer dst = ByteBuffer.wrap(payload.clone()).order(ByteOrder.BIG_ENDIAN);
            for (FieldFormat fl : f.fields()) {
                if (fl.offset() + fl.size() > raw) {
                    continue;
                }
                if (fl.dataLoc()) {
                    dst.putInt(fl.offset(), src.getInt(fl.offset()));
                } else if (fl.isString()) {
                    continue;
                } else {
                    int n = fl.arrayLength() > 0 ? fl.arrayLength() : 1;
                    int elem = fl.size() / n;
                    for (int k = 0; k < n; k++) {
                        int at = fl.offset() + k * elem;
                        switch (elem) {
                            case 2 -> dst.putShort(at, src.getShort(at));
                            case 4 -> dst.putInt(at, src.getInt(at));
                            case 8 -> dst.putLong(at, src.getLong(at));
                            default -> { }
                        }
                    }
                }
            }
            r.put(dst.array());
            copy(r, q + raw, off + size - q - raw);
        }

        /** sample_id of the dummy attr (TID|TIME|CPU|IDENTIFIER): 2 x u32, u64, 2 x u32, u64. */
        private void sampleId(ByteBuffer r, int at) {
            r.putInt(in.getInt(at)).putInt(in.getInt(at + 4)).putLong(in.getLong(at + 8));
            r.putInt(in.getInt(at + 16)).putInt(in.getInt(at + 20)).putLong(in.getLong(at + 24));
        }

        /** The tracing data (trace-event-info layout) with its numbers and endianness byte in BE. */
        private void tracingData(int at, int size) throws IOException {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            int p = at;
            t.write(slice(p, 10));
            p += 10;
            int v = p;
            while (in.get(p) != 0) {
                p++;
            }
            t.write(slice(v, p + 1 - v));
            p++;
            t.write(1); // big endian
            t.write(in.get(p + 1));
            p += 2;
            t.write(be(4).putInt(in.getInt(p)).array());
            p += 4;
            for (int k = 0; k < 2; k++) { // header_page, header_event
                int s = p;
                while (in.get(p) != 0) {
                    p++;
                }
                t.write(slice(s, p + 1 - s));
                p++;
                long n = in.getLong(p);
                t.write(be(8).putLong(n).array());
                t.write(slice(p + 8, (int) n));
                p += 8 + (int) n;
            }
            int nftrace = in.getInt(p);
            t.write(be(4).putInt(nftrace).array());
            p += 4;
            for (int k = 0; k < nftrace; k++) {
                p = format(t, p, "ftrace");
            }
            int nsys = in.getInt(p);
            t.write(be(4).putInt(nsys).array());
            p += 4;
            for (int s = 0; s < nsys; s++) {
                int st = p;
                while (in.get(p) != 0) {
                    p++;
                }
                String sys = new String(slice(st, p - st), StandardCharsets.US_ASCII);
                t.write(slice(st, p + 1 - st));
                p++;
                int n = in.getInt(p);
                t.write(be(4).putInt(n).array());
                p += 4;
                for (int k = 0; k < n; k++) {
                    p = format(t, p, sys);
                }
            }
            for (int k = 0; k < 2; k++) { // kallsyms, printk: u32 size
                int n = in.getInt(p);
                t.write(be(4).putInt(n).array());
                t.write(slice(p + 4, n));
                p += 4 + n;
            }
            long n = in.getLong(p); // saved cmdlines: u64 size
            t.write(be(8).putLong(n).array());
            t.write(slice(p + 8, (int) n));
            p += 8 + (int) n;
            t.write(slice(p, at + size - p)); // padding
            assertThat(t.size()).isEqualTo(size);
            out.write(t.toByteArray());
        }

        private int format(ByteArrayOutputStream t, int p, String system) throws IOException {
            long n = in.getLong(p);
            t.write(be(8).putLong(n).array());
            byte[] text = slice(p + 8, (int) n);
            t.write(text);
            EventFormat f = FormatFileParser.parse(system, new String(text, StandardCharsets.ISO_8859_1), "le", p);
            formats.put(f.id(), f);
            return p + 8 + (int) n;
        }

        private byte[] slice(int at, int n) {
            byte[] b = new byte[n];
            in.get(at, b);
            return b;
        }
    }
}
