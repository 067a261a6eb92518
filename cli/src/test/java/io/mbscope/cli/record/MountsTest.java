package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
    // proc(5) mountinfo lines: a bind mount of a subdirectory first, then the fs root
    static final String INFO = """
            21 26 0:20 / /proc rw,relatime - proc proc rw
            97 26 7:0 /sub /srv/bind rw,relatime shared:50 - ext4 /dev/loop0 rw
            98 26 7:0 / /tmp/my\\040mnt rw,relatime shared:51 - ext4 /dev/loop0 rw,stripe=16
            99 26 7:1 / /mnt/x rw - xfs /dev/loop1 rw,attr2
            40 22 0:12 / /sys/kernel/tracing rw,relatime - tracefs none rw
            """;

    @Test
    void findsTheFsRootMount() {
        List<Mounts.Mount> t = Mounts.parse(INFO);
        assertThat(t).hasSize(5);
        Mounts.Mount m = Mounts.of(new BlockDevice(Path.of("/dev/loop0"), "loop0", 7, 0), t).orElseThrow();
        assertThat(m.mountPoint()).isEqualTo(Path.of("/tmp/my mnt"));
        assertThat(m.fsType()).isEqualTo("ext4");
        assertThat(m.procMountsOptions()).isEqualTo("rw,relatime,rw,stripe=16");
        assertThat(Mounts.of(new BlockDevice(Path.of("/dev/loop1"), "loop1", 7, 1), t).orElseThrow().fsType())
                .isEqualTo("xfs");
        assertThat(Mounts.of(new BlockDevice(Path.of("/dev/loop2"), "loop2", 7, 2), t)).isEmpty();
        assertThat(Tracefs.find(t).orElseThrow().root()).isEqualTo(Path.of("/sys/kernel/tracing"));
    }
}
