package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.Tunables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meta.txt as written by mbscope record, read back by the replay's loaders. */
class MetaTxtTest {
    @Test
    void roundTripThroughCaptureFolderAndTunables(@TempDir Path dir) throws Exception {
        Path sysfs = Files.createDirectories(dir.resolve("sysfs-ext4-loop3"));
        // non-default values, so that only meta.txt can be their source
        Files.writeString(sysfs.resolve("mb_stream_req"), "32\n");
        Files.writeString(sysfs.resolve("mb_group_prealloc"), "256\n");
        Files.writeString(sysfs.resolve("mb_max_to_scan"), "200\n");
        Files.writeString(sysfs.resolve("first_error_func"), "\n");

        Path cap = Files.createDirectories(dir.resolve("cap"));
        // the geometry-dependent defaults come from dumpe2fs-before.txt next to meta.txt
        Files.copy(Corpus.folder("6.18.44-4k").resolve("dumpe2fs-before.txt"), cap.resolve("dumpe2fs-before.txt"));
        MetaTxt m = new MetaTxt();
        m.put("uname", "Linux vm 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0 x86_64 GNU/Linux");
        m.put("uname_r", "6.18.44-fc-v782");
        m.putDevice(new BlockDevice(Path.of("/dev/loop3"), "loop3", 7, 3));
        Map<String, Object> buf = new LinkedHashMap<>();
        buf.put("buffer_size_kb_per_cpu", 32768);
        buf.put("trace_clock", "mono");
        m.putLine(buf);
        m.put("queue.rotational", "0");
        m.put("queue.atomic_write_unit_max_bytes", 65536);
        m.putText("trace_cmd", "trace-cmd version 3.1.6 (not-a-git-repo)");
        m.put("proc_mounts", "/dev/loop3 /mnt/a\\040b ext4 rw,relatime,stripe=16 0 0");
        m.putSysfs(sysfs);
        m.put("command_rc", 3);
        m.write(cap.resolve("meta.txt"));

        CaptureFolder cf = CaptureFolder.open(cap);
        assertThat(cf.kernelRelease()).contains("6.18.44-fc-v782");
        assertThat(cf.traceDev()).contains(7 << 20 | 3);
        assertThat(cf.metaValue("trace_dev_filter")).contains("dev==0x700003");
        assertThat(cf.metaValue("buffer_size_kb_per_cpu")).contains("32768");
        assertThat(cf.metaValue("trace_clock")).contains("mono");
        assertThat(cf.metaValue("queue.atomic_write_unit_max_bytes")).contains("65536");
        assertThat(cf.metaValue("trace_cmd")).contains("trace-cmd");
        assertThat(cf.metaValue("command_rc")).contains("3");
        assertThat(cf.metaValue("sysfs.first_error_func")).contains("");
        assertThat(cf.dumpe2fs()).isPresent();

        Tunables t = Tunables.fromMeta(cap.resolve("meta.txt"), null);
        assertThat(t.mbStreamReq()).isEqualTo(32);
        assertThat(t.mbGroupPrealloc()).isEqualTo(256);
        assertThat(t.mbMaxToScan()).isEqualTo(200);
        // not in meta: the kernel default (mballoc.h MB_DEFAULT_MIN_TO_SCAN 10)
        assertThat(t.mbMinToScan()).isEqualTo(10);
        // queue.rotational=0: no linear scan on non-rotational devices (ext4_mb_init)
        assertThat(t.mbMaxLinearGroups()).isEqualTo(0);
        assertThat(t.raw()).containsEntry("mb_stream_req", "32");
    }

    /** The corpus meta.txt lines the loaders need come out of MetaTxt in the same shape. */
    @Test
    void sameLinesAsTheCorpus() throws Exception {
        List<String> corpus = Files.readAllLines(Corpus.folder("6.18.44-4k").resolve("meta.txt"));
        MetaTxt m = new MetaTxt();
        m.putDevice(new BlockDevice(Path.of("/dev/loop0"), "loop0", 7, 0));
        m.put("uname_r", "6.18.44-fc-v657");
        Map<String, Object> buf = new LinkedHashMap<>();
        buf.put("buffer_size_kb_per_cpu", 32768);
        buf.put("trace_clock", "mono");
        buf.put("perf_clockid", "mono");
        m.putLine(buf);
        m.put("queue.atomic_write_unit_min_bytes", 0);
        m.putText("trace_cmd", "trace-cmd version 3.1.6 (not-a-git-repo)");
        m.put("proc_mounts", "/dev/loop0 /tmp/ext4lab-host/mnt-4k ext4 rw,relatime 0 0");
        assertThat(corpus).containsAll(m.lines());
    }

    @Test
    void valuesStayOnOneToken(@TempDir Path dir) {
        MetaTxt m = new MetaTxt();
        m.put("mount_opts", "rw, relatime");
        m.putText("perf", "perf version 6.1 a=b");
        assertThat(m.lines()).containsExactly("mount_opts=rw,_relatime", "perf=perf version 6.1 a:b");
        m.put("tracer", "trace-cmd").set("tracer", "perf");
        assertThat(m.lines()).containsExactly("mount_opts=rw,_relatime", "perf=perf version 6.1 a:b", "tracer=perf");
        assertThatThrownBy(() -> m.put("x", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.put("bad key", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
