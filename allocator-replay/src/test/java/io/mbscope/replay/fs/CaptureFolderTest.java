package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CaptureFolderTest {
    @TempDir
    Path tmp;

    static List<String> folders() {
        return Corpus.FOLDERS;
    }

    private static String fileName(java.util.Optional<Path> p) {
        return p.map(x -> x.getFileName().toString()).orElse(null);
    }

    @ParameterizedTest
    @MethodSource("folders")
    void findsEveryFileOfASampleFolder(String folder) throws IOException {
        Path dir = Corpus.folder(folder);
        CaptureFolder cf = CaptureFolder.open(dir);
        assertThat(fileName(cf.trace())).isEqualTo("trace.dat");
        List<String> traces = cf.traces().stream().map(p -> p.getFileName().toString()).toList();
        // the README: trace-v6.dat.zst exists in the 4k folders only
        if (folder.endsWith("-4k")) {
            assertThat(traces).containsExactly("trace.dat", "perf.data.zst", "trace-v6.dat.zst", "report.txt.zst",
                    "trace.txt.zst", "perf-script.txt.zst");
        } else {
            assertThat(traces).containsExactly("trace.dat", "perf.data.zst", "report.txt.zst", "trace.txt.zst",
                    "perf-script.txt.zst");
        }
        assertThat(fileName(cf.image())).isEqualTo("image-before.img.zst");
        assertThat(fileName(cf.dumpe2fs())).isEqualTo("dumpe2fs-before.txt");
        assertThat(fileName(cf.meta())).isEqualTo("meta.txt");
        assertThat(fileName(cf.statx())).isEqualTo("statx.txt");
        assertThat(fileName(cf.fiemap())).isEqualTo("fiemap.csv");
        assertThat(fileName(cf.syscalls())).isEqualTo("syscalls.csv");
        assertThat(cf.formatsDir()).contains(dir.resolve("formats"));

        String meta = Corpus.read(dir.resolve("meta.txt"));
        Matcher u = Pattern.compile("(?m)^uname_r=(.*)$").matcher(meta);
        assertThat(u.find()).isTrue();
        assertThat(cf.kernelRelease()).contains(u.group(1));
        assertThat(cf.kernelRelease().orElseThrow()).startsWith(folder.substring(0, folder.indexOf('-')));
        // the dev filter the capture script gave the tracers: "trace_dev_filter=dev==0x800000"
        Matcher f = Pattern.compile("trace_dev_filter=dev==0x([0-9a-f]+)").matcher(meta);
        assertThat(f.find()).isTrue();
        assertThat(cf.traceDev()).contains(Integer.parseInt(f.group(1), 16));
    }

    @Test
    void devicesOfTheCorpus() throws IOException {
        // 6.12/7.3 ran on QEMU's /dev/sda (8:0), 6.18 on /dev/loop0 (7:0)
        assertThat(CaptureFolder.open(Corpus.folder("7.3.4-4k")).traceDev()).contains(8 << 20);
        assertThat(CaptureFolder.open(Corpus.folder("6.18.44-1k")).traceDev()).contains(7 << 20);
    }

    @Test
    void loadsTheStateOfACapture() throws IOException {
        CaptureFolder cf = CaptureFolder.open(Corpus.folder("6.18.44-bigalloc16k"));
        FsState s = FsStateLoader.fromCapture(cf);
        assertThat(s.source()).isEqualTo("image-before.img.zst");
        assertThat(s.totalFreeClusters()).isEqualTo(15096);
        assertThat(FsStateLoader.crossCheck(cf)).isNull();
        assertThat(s.geometry().stripe()).isZero();                       // 6.18 loop device: no RAID hint
        assertThat(FsStateLoader.fromCapture(CaptureFolder.open(Corpus.folder("6.12.117-bigalloc16k")))
                .geometry().stripe()).isEqualTo(128);                     // "RAID stripe width: 128", 128 % 4 == 0
        Tunables t = cf.tunables(s.geometry());
        assertThat(t.mbGroupPrealloc()).isEqualTo(128);   // meta.txt sysfs.mb_group_prealloc=128
        assertThat(t.raw()).containsEntry("reserved_clusters", "327");
    }

    @Test
    void partialAndEmptyFolders() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("cap"));
        CaptureFolder empty = CaptureFolder.open(d);
        assertThat(empty.trace()).isEmpty();
        assertThat(empty.image()).isEmpty();
        assertThat(empty.kernelRelease()).isEmpty();
        assertThat(empty.traceDev()).isEmpty();
        assertThatThrownBy(() -> FsStateLoader.fromCapture(empty))
                .isInstanceOf(io.mbscope.parsers.TraceFormatException.class).hasMessageContaining("found neither");
        assertThatThrownBy(() -> empty.tunables(null)).isInstanceOf(io.mbscope.parsers.TraceFormatException.class)
                .hasMessageContaining("expected a meta.txt");

        Files.writeString(d.resolve("trace.txt"), "x");
        Files.writeString(d.resolve("perf-script.txt.zst"), "x");
        Files.copy(Corpus.folder("6.18.44-1k").resolve("dumpe2fs-before.txt"), d.resolve("dumpe2fs-before.txt"));
        Files.writeString(d.resolve("meta.txt"), "uname_r=7.3.4+deb13-amd64\ndevice=/dev/nvme0n1 majmin=259:3\n");
        CaptureFolder cf = CaptureFolder.open(d);
        assertThat(fileName(cf.trace())).isEqualTo("trace.txt");
        assertThat(cf.traces()).hasSize(2);
        assertThat(cf.kernelRelease()).contains("7.3.4+deb13-amd64");
        assertThat(cf.traceDev()).contains(259 << 20 | 3);
        // no image: the state comes from dumpe2fs
        assertThat(FsStateLoader.fromCapture(cf).source()).isEqualTo("dumpe2fs-before.txt");

        assertThatThrownBy(() -> FsStateLoader.crossCheck(cf))
                .isInstanceOf(io.mbscope.parsers.TraceFormatException.class).hasMessageContaining("image-before");
        // a meta.txt with only the `uname -a` line (as in /work/shared/bench/bench-1m)
        Files.writeString(d.resolve("meta.txt"), "uname=Linux vm 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0 x86_64\n");
        assertThat(CaptureFolder.open(d).kernelRelease()).contains("6.18.44-fc-v657");
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> CaptureFolder.open(file)).isInstanceOf(NotDirectoryException.class);
    }
}
