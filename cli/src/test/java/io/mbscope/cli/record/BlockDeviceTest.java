package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDeviceTest {
    @Test
    void kernelDevTIsMinorbits20() {
        // values the corpus' events.txt and meta.txt use for loop0 and sda
        BlockDevice loop0 = new BlockDevice(Path.of("/dev/loop0"), "loop0", 7, 0);
        assertThat(loop0.kernelDevT()).isEqualTo(7340032);
        assertThat(loop0.kernelDevTHex()).isEqualTo("0x700000");
        assertThat(new BlockDevice(Path.of("/dev/sda"), "sda", 8, 0).kernelDevT()).isEqualTo(8388608);
        // nvme: major 259, minors above 255 (user-space makedev would differ: 0x10300 | ...)
        BlockDevice nvme = new BlockDevice(Path.of("/dev/nvme0n1p300"), "nvme0n1p300", 259, 300);
        assertThat(nvme.kernelDevT()).isEqualTo((259 << 20) | 300);
        assertThat(nvme.majmin()).isEqualTo("259:300");
        assertThatThrownBy(() -> new BlockDevice(Path.of("/dev/x"), "x", 4096, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockDevice(Path.of("/dev/x"), "x", 1, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolvesThroughSymlinksAndSysfs(@TempDir Path dir) throws Exception {
        Path sys = dir.resolve("sys/class/block");
        Files.createDirectories(sys.resolve("sdb/queue"));
        Files.writeString(sys.resolve("sdb/dev"), "8:16\n");
        Files.createDirectories(sys.resolve("sdb/sdb1"));
        Files.writeString(sys.resolve("sdb/sdb1/dev"), "8:17\n");
        // sysfs: class/block/sdb1 -> the partition directory under its disk
        Files.createSymbolicLink(sys.resolve("sdb1"), sys.resolve("sdb/sdb1"));
        Path devDir = Files.createDirectories(dir.resolve("dev"));
        Files.createFile(devDir.resolve("sdb1"));
        Files.createDirectories(devDir.resolve("disk/by-label"));
        Files.createSymbolicLink(devDir.resolve("disk/by-label/data"), devDir.resolve("sdb1"));

        BlockDevice d = BlockDevice.resolve(devDir.resolve("disk/by-label/data"), sys);
        assertThat(d.name()).isEqualTo("sdb1");
        assertThat(d.majmin()).isEqualTo("8:17");
        assertThat(d.kernelDevT()).isEqualTo(8 << 20 | 17);
        // a partition has no queue/ of its own: its disk's
        assertThat(d.queueDir(sys)).isEqualTo(sys.resolve("sdb/queue").toRealPath());

        Files.createFile(devDir.resolve("notadev"));
        assertThatThrownBy(() -> BlockDevice.resolve(devDir.resolve("notadev"), sys))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> BlockDevice.resolve(devDir.resolve("missing"), sys))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }
}
