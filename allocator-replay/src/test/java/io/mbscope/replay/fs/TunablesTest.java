package io.mbscope.replay.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.TraceFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TunablesTest {
    @TempDir
    Path tmp;

    static List<String> folders() {
        return Corpus.FOLDERS;
    }

    /** meta.txt's sysfs.* lines, read here with nothing but split("="). */
    private static Map<String, String> sysfs(Path meta) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Corpus.read(meta).split("\n")) {
            if (line.startsWith("sysfs.")) {
                m.put(line.substring(6, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return m;
    }

    private static String unameR(Path meta) {
        for (String line : Corpus.read(meta).split("\n")) {
            if (line.startsWith("uname_r=")) {
                return line.substring(8);
            }
        }
        throw new AssertionError("no uname_r in " + meta);
    }

    @ParameterizedTest
    @MethodSource("folders")
    void fromMetaEqualsWhatMetaTxtSays(String folder) throws IOException {
        Path meta = Corpus.folder(folder).resolve("meta.txt");
        Map<String, String> s = sysfs(meta);
        Tunables t = Tunables.fromMeta(meta, unameR(meta));
        assertThat(t.mbStreamReq()).isEqualTo(Integer.parseInt(s.get("mb_stream_req")));
        assertThat(t.mbGroupPrealloc()).isEqualTo(Integer.parseInt(s.get("mb_group_prealloc")));
        assertThat(t.mbOrder2Req()).isEqualTo(Integer.parseInt(s.get("mb_order2_req")));
        assertThat(t.mbMaxToScan()).isEqualTo(Integer.parseInt(s.get("mb_max_to_scan")));
        assertThat(t.mbMinToScan()).isEqualTo(Integer.parseInt(s.get("mb_min_to_scan")));
        assertThat(t.mbBestAvailMaxTrimOrder()).isEqualTo(Integer.parseInt(s.get("mb_best_avail_max_trim_order")));
        assertThat(t.mbMaxLinearGroups()).isEqualTo(Integer.parseInt(s.get("mb_max_linear_groups")));
        assertThat(t.mbPrefetch()).isEqualTo(Integer.parseInt(s.get("mb_prefetch")));
        assertThat(t.mbPrefetchLimit()).isEqualTo(Integer.parseInt(s.get("mb_prefetch_limit")));
        assertThat(t.inodeGoal()).isEqualTo(Long.parseLong(s.get("inode_goal")));
        assertThat(t.raw()).containsAllEntriesOf(s);
        // every corpus fs has fewer than 16 groups and no mb_optimize_scan= in /proc/mounts:
        // super.c leaves the option off (6.12.117 super.c:5544-5549, 7.3.4 super.c:5685-5690)
        assertThat(t.mbOptimizeScan()).isFalse();
    }

    /**
     * The geometry-dependent defaults computed from the fs (dumpe2fs header), the device's rotational
     * flag and the stripe= mount option must equal what the running kernel showed in sysfs.
     */
    @ParameterizedTest
    @MethodSource("folders")
    void computedDefaultsEqualTheRunningKernelsValues(String folder) throws IOException {
        Path dir = Corpus.folder(folder);
        Map<String, String> s = sysfs(dir.resolve("meta.txt"));
        String metaText = Corpus.read(dir.resolve("meta.txt"));
        boolean rotational = metaText.contains("queue.rotational=1");
        long stripe = metaText.contains(",stripe=128 ") ? 128 : 0;
        FsGeometry geo = FsStateLoader.fromImage(dir.resolve("image-before.img.zst")).geometry();
        Tunables d = Tunables.defaultsFor(unameR(dir.resolve("meta.txt")), geo, rotational, stripe);
        assertThat(d.mbGroupPrealloc()).isEqualTo(Integer.parseInt(s.get("mb_group_prealloc")));
        assertThat(d.mbPrefetch()).isEqualTo(Integer.parseInt(s.get("mb_prefetch")));
        assertThat(d.mbPrefetchLimit()).isEqualTo(Integer.parseInt(s.get("mb_prefetch_limit")));
        assertThat(d.mbMaxLinearGroups()).isEqualTo(Integer.parseInt(s.get("mb_max_linear_groups")));
        assertThat(d.mbStreamReq()).isEqualTo(Integer.parseInt(s.get("mb_stream_req")));
        assertThat(d.mbBestAvailMaxTrimOrder()).isEqualTo(Integer.parseInt(s.get("mb_best_avail_max_trim_order")));
        // the stripe from the superblock alone gives the same result (s_raid_stripe_width 128)
        assertThat(Tunables.defaultsFor(unameR(dir.resolve("meta.txt")), geo, rotational).mbGroupPrealloc())
                .isEqualTo(d.mbGroupPrealloc());
    }

    /**
     * Kernel defaults, read in Debian linux-source 6.12.117 and 7.3.4: fs/ext4/mballoc.h:44
     * MB_DEFAULT_MAX_TO_SCAN 200, :49 MB_DEFAULT_MIN_TO_SCAN 10, :64 MB_DEFAULT_STREAM_THRESHOLD 16,
     * :69 MB_DEFAULT_ORDER2_REQS 2, :74 MB_DEFAULT_GROUP_PREALLOC 512, :80 MB_DEFAULT_LINEAR_LIMIT 4,
     * :86 MB_DEFAULT_LINEAR_SCAN_THRESHOLD 16, :93 MB_DEFAULT_BEST_AVAIL_TRIM_ORDER 3 (same lines in
     * both). 6.18 has no Debian source package; its captures show the same sysfs values.
     */
    @Test
    void defaultsFor612618And73() {
        for (String rel : List.of("6.12.117+deb13-amd64", "6.18.44-fc-v657", "7.3.4+deb13-amd64")) {
            Tunables t = Tunables.defaultsFor(rel);
            assertThat(t.mbMaxToScan()).isEqualTo(200);
            assertThat(t.mbMinToScan()).isEqualTo(10);
            assertThat(t.mbStreamReq()).isEqualTo(16);
            assertThat(t.mbOrder2Req()).isEqualTo(2);
            assertThat(t.mbGroupPrealloc()).isEqualTo(512);
            assertThat(t.mbMaxLinearGroups()).isEqualTo(4);
            assertThat(t.mbBestAvailMaxTrimOrder()).isEqualTo(3);
            assertThat(t.mbOptimizeScan()).isTrue();          // >= 16 groups assumed
            // mballoc.c ext4_mb_init_backend: min(16, 65536 >> 3) * 8 = 128, limit 4x
            assertThat(t.mbPrefetch()).isEqualTo(128);
            assertThat(t.mbPrefetchLimit()).isEqualTo(512);
            assertThat(t.inodeGoal()).isZero();
            assertThat(t.raw()).containsEntry("mb_stream_req", "16").containsEntry("mb_group_prealloc", "512");
        }
    }

    @Test
    void tunablesThatDidNotExistYet() {
        Tunables t61 = Tunables.defaultsFor("6.1.0-28-amd64");
        assertThat(t61.mbBestAvailMaxTrimOrder()).isEqualTo(-1);   // CR_BEST_AVAIL_LEN came in 6.5
        assertThat(t61.raw()).doesNotContainKey("mb_best_avail_max_trim_order");
        assertThat(t61.mbMaxLinearGroups()).isEqualTo(4);
        Tunables t510 = Tunables.defaultsFor("5.10.0");
        assertThat(t510.mbOptimizeScan()).isFalse();                // mb_optimize_scan came in 5.13
        assertThat(t510.mbMaxLinearGroups()).isEqualTo(-1);
        assertThat(t510.mbPrefetch()).isEqualTo(128);
        assertThat(Tunables.defaultsFor("5.4.0").mbPrefetch()).isEqualTo(-1);
        assertThatThrownBy(() -> Tunables.defaultsFor("linux")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withOverrides() {
        Tunables t = Tunables.defaultsFor("7.3.4");
        Tunables u = t.with("mb_stream_req", "32").with("mb_optimize_scan", "0").with("mb_group_prealloc", "1024");
        assertThat(u.mbStreamReq()).isEqualTo(32);
        assertThat(u.mbOptimizeScan()).isFalse();
        assertThat(u.mbGroupPrealloc()).isEqualTo(1024);
        assertThat(u.raw()).containsEntry("mb_stream_req", "32");
        assertThat(t.mbStreamReq()).isEqualTo(16);                   // immutable
        assertThat(u.with("mb_optimize_scan", "true").mbOptimizeScan()).isTrue();
        assertThatThrownBy(() -> t.with("mb_bogus", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mb_stream_req");
        assertThatThrownBy(() -> t.with("mb_stream_req", "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.with("mb_stream_req", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.with("mb_optimize_scan", "2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metaWithMissingAndBadKeys() throws IOException {
        Path meta = tmp.resolve("meta.txt");
        Files.writeString(meta, "uname_r=6.12.117+deb13-amd64\nsysfs.mb_stream_req=64\n"
                + "proc_mounts=/dev/sda /mnt ext4 rw,relatime,mb_optimize_scan=1 0 0\n");
        Tunables t = Tunables.fromMeta(meta, null);
        assertThat(t.mbStreamReq()).isEqualTo(64);
        assertThat(t.mbMaxToScan()).isEqualTo(200);                  // missing -> default
        assertThat(t.mbOptimizeScan()).isTrue();                      // from the mount options
        Files.writeString(meta, "sysfs.mb_stream_req=lots\n");
        assertThatThrownBy(() -> Tunables.fromMeta(meta, "6.12.117")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("mb_stream_req");
        Files.writeString(meta, "sysfs.no_equals_sign\nsysfs.=x\nuname_r=7.3.4\n");
        assertThat(Tunables.fromMeta(meta, null).mbStreamReq()).isEqualTo(16);
        Files.writeString(meta, "nothing=here\n");
        assertThatThrownBy(() -> Tunables.fromMeta(meta, null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("uname_r");
    }
}
