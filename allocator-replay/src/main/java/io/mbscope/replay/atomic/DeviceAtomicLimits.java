package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The block device's atomic write limits as sysfs shows them
 * ({@code /sys/block/<dev>/queue/atomic_write_*}, meta.txt {@code queue.atomic_write_*}).
 * A unit_min of 0 means the device cannot do atomic writes at all ({@code bdev_can_atomic_write}).
 */
public record DeviceAtomicLimits(long unitMinBytes, long unitMaxBytes, long maxBytes, long boundaryBytes) {

    public static final DeviceAtomicLimits NONE = new DeviceAtomicLimits(0, 0, 0, 0);

    public DeviceAtomicLimits {
        if (unitMinBytes < 0 || unitMaxBytes < 0 || maxBytes < 0 || boundaryBytes < 0) {
            throw new IllegalArgumentException("negative atomic write limit");
        }
    }

    /** include/linux/blkdev.h bdev_can_atomic_write (whole device, no partition offset to check). */
    public boolean canAtomicWrite() {
        return unitMinBytes > 0;
    }

    /** Reads the queue.atomic_write_* lines of a capture's meta.txt; missing keys count as 0. */
    public static DeviceAtomicLimits fromMeta(Path metaTxt) throws IOException {
        return fromMetaLines(Files.readAllLines(metaTxt));
    }

    public static DeviceAtomicLimits fromMetaLines(List<String> lines) {
        long min = 0;
        long max = 0;
        long maxBytes = 0;
        long boundary = 0;
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            switch (key) {
                case "queue.atomic_write_unit_min_bytes" -> min = parse(value, key);
                case "queue.atomic_write_unit_max_bytes" -> max = parse(value, key);
                case "queue.atomic_write_max_bytes" -> maxBytes = parse(value, key);
                case "queue.atomic_write_boundary_bytes" -> boundary = parse(value, key);
                default -> {
                }
            }
        }
        return new DeviceAtomicLimits(min, max, maxBytes, boundary);
    }

    private static long parse(String value, String key) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number, found \"" + value + "\"", e);
        }
    }
}
