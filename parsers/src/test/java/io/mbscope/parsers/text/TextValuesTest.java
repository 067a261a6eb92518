package io.mbscope.parsers.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.parsers.event.TraceEvent.MbExtent;
import io.mbscope.parsers.format.FormatDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Field values checked against the printed lines of the corpus (the expected numbers are read off
 * the text by hand, with the flag tables of include/trace/events/ext4.h and iomap/trace.h), in all
 * three text files and with both the capture's formats and the bundled ones.
 */
class TextValuesTest {
    static final int DEV_8_0 = 8 << 20;

    static List<TraceEvent> read(String folder, String file, boolean own) throws IOException {
        Path dir = TextCorpusTest.root().resolve(folder);
        List<TraceEvent> out = new ArrayList<>();
        try (TextTraceReader r = TextTraceReader.open(TextCorpusTest.text(dir.resolve(file)), file,
                own ? FormatDirectory.load(dir.resolve("formats")) : null)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T extends TraceEvent> List<T> all(List<TraceEvent> evs, Class<T> type, Predicate<T> p) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : evs) {
            if (type.isInstance(e) && p.test((T) e)) {
                out.add((T) e);
            }
        }
        return out;
    }

    static <T extends TraceEvent> T first(List<TraceEvent> evs, Class<T> type, Predicate<T> p) {
        List<T> l = all(evs, type, p);
        assertThat(l).as("a %s matching", type.getSimpleName()).isNotEmpty();
        return l.get(0);
    }

    @ParameterizedTest(name = "{0} own={1}")
    @CsvSource({"report.txt.zst,true", "trace.txt.zst,true", "perf-script.txt.zst,true",
            "report.txt.zst,false", "trace.txt.zst,false", "perf-script.txt.zst,false"})
    void mballocAlloc73(String file, boolean own) throws IOException {
        List<TraceEvent> evs = read("7.3.4-4k", file, own);
        List<TraceEvent.MballocAlloc> allocs = all(evs, TraceEvent.MballocAlloc.class, a -> true);
        assertThat(allocs).hasSize(138); // traces/README.md: 138 mballoc_alloc in 7.3.4-4k

        // dev 8,0 inode 12 orig 0/0/1@0 goal 0/0/1@0 result 0/4139/1@0 blks 1 grps 1 cr CR_GOAL_LEN_FAST flags  tail 0 broken 0
        TraceEvent.MballocAlloc a = allocs.get(0);
        assertThat(a.dev()).isEqualTo(DEV_8_0);
        assertThat(a.ino()).isEqualTo(12);
        assertThat(a.orig()).isEqualTo(new MbExtent(0, 0, 1, 0));
        assertThat(a.goal()).isEqualTo(new MbExtent(0, 0, 1, 0));
        assertThat(a.result()).isEqualTo(new MbExtent(0, 4139, 1, 0));
        assertThat(a.found()).isEqualTo(1);
        assertThat(a.groups()).isEqualTo(1);
        assertThat(a.cr()).isEqualTo(1);
        assertThat(a.flags()).isZero();
        assertThat(a.tail()).isZero();
        assertThat(a.buddy()).isZero();
        assertThat(a.header().pid()).isEqualTo(1048);
        assertThat(a.cpu()).isEqualTo(1);

        // ... inode 13 ... result 0/4140/1@0 blks 11 grps 1 cr CR_GOAL_LEN_FAST flags  tail 1 broken 4
        TraceEvent.MballocAlloc b = allocs.get(1);
        assertThat(b.ino()).isEqualTo(13);
        assertThat(b.result()).isEqualTo(new MbExtent(0, 4140, 1, 0));
        assertThat(b.found()).isEqualTo(11);
        assertThat(b.tail()).isEqualTo(1);
        assertThat(b.buddy()).as("broken 4 = 1 << buddy").isEqualTo(2);

        // inode 14 orig 1/0/1@0 goal 1/0/512@0 result 1/4608/512@0 ... cr CR_POWER2_ALIGNED flags HINT_DATA|HINT_GRP_ALLOC
        TraceEvent.MballocAlloc c = allocs.get(2);
        assertThat(c.ino()).isEqualTo(14);
        assertThat(c.goal()).isEqualTo(new MbExtent(1, 0, 512, 0));
        assertThat(c.result()).isEqualTo(new MbExtent(1, 4608, 512, 0));
        assertThat(c.cr()).isZero();
        assertThat(c.flags()).isEqualTo(0x20 | 0x80);

        // inode 195 ... flags HINT_DATA|HINT_GRP_ALLOC|DELALLOC_RESV|USE_RESV tail 512 broken 1024
        TraceEvent.MballocAlloc d = first(evs, TraceEvent.MballocAlloc.class, x -> x.ino() == 195);
        assertThat(d.flags()).isEqualTo(0x20 | 0x80 | 0x400 | 0x2000);
        assertThat(d.tail()).isEqualTo(512);
        assertThat(d.buddy()).isEqualTo(10);
        // ftrace and trace-cmd keep the comm of their pid map; perf its own (" kworker/u8:1-ev    29 [000]")
        assertThat(d.header().comm()).isEqualTo(file.startsWith("perf") ? "kworker/u8:1-ev" : "kworker/u8:1");
        assertThat(d.header().pid()).isEqualTo(29);
    }

    @ParameterizedTest(name = "{0} own={1}")
    @CsvSource({"report.txt.zst,true", "trace.txt.zst,true", "perf-script.txt.zst,true",
            "report.txt.zst,false", "trace.txt.zst,false", "perf-script.txt.zst,false"})
    void crCountsAndOtherTables73(String file, boolean own) throws IOException {
        List<TraceEvent> evs = read("7.3.4-bigalloc64k", file, own);
        // grep -o 'cr [A-Z_]*' on report.txt: 238 CR_GOAL_LEN_FAST, 6 CR_GOAL_LEN_SLOW, 11 CR_POWER2_ALIGNED
        Map<Integer, Integer> cr = new HashMap<>();
        for (TraceEvent.MballocAlloc a : all(evs, TraceEvent.MballocAlloc.class, x -> true)) {
            cr.merge(a.cr(), 1, Integer::sum);
        }
        assertThat(cr).isEqualTo(Map.of(1, 238, 3, 6, 0, 11));
    }

    @ParameterizedTest(name = "{0} own={1}")
    @CsvSource({"report.txt.zst,true", "trace.txt.zst,true", "perf-script.txt.zst,true",
            "report.txt.zst,false", "trace.txt.zst,false", "perf-script.txt.zst,false"})
    void iomapSyscallsAndFlags73(String file, boolean own) throws IOException {
        List<TraceEvent> evs = read("7.3.4-4k", file, own);
        // iomap_iter_dstmap: dev 8:0 ino 0xe bdev 8:0 addr 0x9200000 offset 0x0 length 0x1000 type MAPPED (0x2) flags NEW|DIRTY (0x3)
        TraceEvent.IomapMap m = first(evs, TraceEvent.IomapMap.class, x -> true);
        assertThat(m.ino()).isEqualTo(0xe);
        assertThat(m.addr()).isEqualTo(0x9200000L);
        assertThat(m.length()).isEqualTo(0x1000);
        assertThat(m.type()).isEqualTo(2);
        assertThat(m.flags()).isEqualTo(3);
        assertThat(m.bdev()).isEqualTo(DEV_8_0);
        // type UNWRITTEN (0x3) at addr 0x10aa000
        assertThat(first(evs, TraceEvent.IomapMap.class, x -> x.addr() == 0x10aa000L).type()).isEqualTo(3);
        // iomap_iter: ... flags WRITE|DIRECT (0x11)
        assertThat(first(evs, TraceEvent.IomapIter.class, x -> true).flags()).isEqualTo(0x11);
        // first pwrite64: fd 8, count 4096, pos 0 (trace-cmd/perf "[FAILED TO PARSE] ... count=4096", ftrace "count: 0x1000")
        TraceEvent.PwriteEnter pw = first(evs, TraceEvent.PwriteEnter.class, x -> true);
        assertThat(pw.fd()).isEqualTo(8);
        assertThat(pw.count()).isEqualTo(4096);
        assertThat(pw.pos()).isZero();
        // syscalls.csv seq 66: pwritev2 RWF_ATOMIC at 15.109848017..15.109877391 failed with EINVAL (-22)
        TraceEvent.SyscallExit x = first(evs, TraceEvent.SyscallExit.class,
                e -> e.timestampNs() > 15_109_848_017L && e.syscall().equals("pwritev2"));
        assertThat(x.timestampNs()).isLessThan(15_109_877_391L);
        assertThat(x.ret()).isEqualTo(-22);
        // the atomic write's enter: flags 0x40 = RWF_ATOMIC
        assertThat(first(evs, TraceEvent.Pwritev2Enter.class, e -> e.flags() == 0x40)).isNotNull();
        // ext4_free_blocks: mode 0100644 block 40451 count 61 flags VALIDATED|1ST_CLUSTER|LAST_CLUSTER
        TraceEvent.FreeBlocks fb = first(evs, TraceEvent.FreeBlocks.class, e -> e.block() == 40451);
        assertThat(fb.mode()).isEqualTo(0100644);
        assertThat(fb.count()).isEqualTo(61);
        assertThat(fb.flags()).isEqualTo(0x4 | 0x10 | 0x20);
        // ext4_ext_map_blocks_exit: ino 2 flags  lblk 0 pblk 4133 len 1 mflags M ret 1; ino 12 ... mflags NM
        TraceEvent.MapBlocksExit mx = first(evs, TraceEvent.MapBlocksExit.class, e -> e.ino() == 2);
        assertThat(mx.pblk()).isEqualTo(4133);
        assertThat(mx.mflags()).isEqualTo(0x10);
        assertThat(mx.ret()).isEqualTo(1);
        assertThat(first(evs, TraceEvent.MapBlocksExit.class, e -> e.ino() == 12 && e.pblk() == 4139).mflags())
                .isEqualTo(0x20 | 0x10);
        if (!file.startsWith("perf")) {
            // markers exist in the ftrace instances only
            List<TraceEvent.Marker> marks = all(evs, TraceEvent.Marker.class, e -> true);
            assertThat(marks).hasSize(11);
            assertThat(marks.get(0).text()).isEqualTo("ext4wl phase=dio");
        }
    }

    @ParameterizedTest(name = "{0} own={1}")
    @CsvSource({"report.txt.zst,true", "trace.txt.zst,true", "perf-script.txt.zst,true",
            "report.txt.zst,false", "trace.txt.zst,false", "perf-script.txt.zst,false"})
    void olderTables612(String file, boolean own) throws IOException {
        List<TraceEvent> evs = read("6.12.117-4k", file, own);
        // 6.12 prints the criterion symbolically already (the enum names came with 6.5): cr CR_GOAL_LEN_FAST
        TraceEvent.MballocAlloc a = first(evs, TraceEvent.MballocAlloc.class, x -> true);
        assertThat(a.cr()).isEqualTo(1);
        assertThat(a.result()).isEqualTo(new MbExtent(0, 4139, 1, 0));
        // ext4_da_write_pages_extent: ino 35 lblk 0 len 256 flags 0x100 (EXT4_MAP_DELAYED has no letter)
        TraceEvent.DaWritePagesExtent da = first(evs, TraceEvent.DaWritePagesExtent.class, x -> x.ino() == 35);
        assertThat(da.len()).isEqualTo(256);
        assertThat(da.flags()).isEqualTo(0x100);
        // ext4_remove_blocks: ino 17 extent [515(40451), 61]from 515 to 575 partial [pclu 0 lblk 0 state 0]
        TraceEvent.RemoveBlocks rb = first(evs, TraceEvent.RemoveBlocks.class, x -> x.ino() == 17);
        assertThat(rb.eeLblk()).isEqualTo(515);
        assertThat(rb.eePblk()).isEqualTo(40451);
        assertThat(rb.from()).isEqualTo(515);
        assertThat(rb.to()).isEqualTo(575);
        // sys_enter_pwritev2: fd: 0x00000008, vec: ..., vlen: 0x00000003, pos_l: 0x00400000
        TraceEvent.Pwritev2Enter pv = first(evs, TraceEvent.Pwritev2Enter.class, x -> true);
        assertThat(pv.vlen()).isEqualTo(3);
        assertThat(pv.pos()).isEqualTo(0x400000);
        // ext4_ext_handle_unwritten_extents: flags CREATE|UNWRIT|CONVERT|METADATA_NOFAIL allocated 4 newblock 4266
        TraceEvent.HandleUnwrittenExtents hu = first(evs, TraceEvent.HandleUnwrittenExtents.class, x -> true);
        assertThat(hu.flags()).isEqualTo(0x1 | 0x2 | 0x10 | 0x20);
        assertThat(hu.pblk()).isEqualTo(4266);
    }
}
