package io.mbscope.cli.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A block device as the kernel names it in trace events.
 *
 * @param path  the path given by the user (e.g. /dev/loop0)
 * @param name  the kernel name (/sys/class/block/NAME), e.g. loop0, sda1, nvme0n1p2
 * @param major major number
 * @param minor minor number
 */
public record BlockDevice(Path path, String name, int major, int minor) {
    private static final Pattern MAJMIN = Pattern.compile("(\\d{1,4}):(\\d{1,7})");

    public BlockDevice {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        if (major < 0 || major >= (1 << 12) || minor < 0 || minor >= (1 << 20)) {
            throw new IllegalArgumentException("device number out of range: " + major + ":" + minor);
        }
    }

    /**
     * The dev_t stored in ext4/iomap/jbd2 trace events: the kernel-internal encoding
     * MKDEV(ma, mi) = ma &lt;&lt; MINORBITS | mi with MINORBITS 20 (include/linux/kdev_t.h), not the
     * user-space (glibc makedev) encoding that stat(2) returns.
     */
    public int kernelDevT() {
        return major << 20 | minor;
    }

    /** "0x700000" for loop0, as the corpus meta.txt writes it (trace_dev_filter=dev==0x700000). */
    public String kernelDevTHex() {
        return "0x" + Integer.toHexString(kernelDevT());
    }

    public String majmin() {
        return major + ":" + minor;
    }

    /**
     * Resolves a device node: follows symlinks (/dev/disk/by-id/...), takes the kernel name from the
     * resolved node and the numbers from {@code sysClassBlock}/NAME/dev.
     *
     * @param sysClassBlock normally /sys/class/block (a directory in tests)
     */
    public static BlockDevice resolve(Path device, Path sysClassBlock) throws IOException {
        Path real;
        try {
            real = device.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("device " + device + " does not exist");
        }
        String name = real.getFileName().toString();
        Path devFile = sysClassBlock.resolve(name).resolve("dev");
        if (!Files.isRegularFile(devFile)) {
            throw new IllegalArgumentException(device + " is not a block device (no " + devFile + ")");
        }
        String mm = Files.readString(devFile, StandardCharsets.US_ASCII).strip();
        Matcher m = MAJMIN.matcher(mm);
        if (!m.matches()) {
            throw new IOException(devFile + ": expected MAJOR:MINOR, found '" + mm + "'");
        }
        return new BlockDevice(device, name, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * The request queue directory: /sys/class/block/NAME/queue for a whole disk; a partition has
     * none and shares its disk's (the parent directory in sysfs).
     */
    public Path queueDir(Path sysClassBlock) throws IOException {
        Path own = sysClassBlock.resolve(name).resolve("queue");
        if (Files.isDirectory(own)) {
            return own;
        }
        Path parent = sysClassBlock.resolve(name).toRealPath().getParent();
        return parent == null ? own : parent.resolve("queue");
    }
}
