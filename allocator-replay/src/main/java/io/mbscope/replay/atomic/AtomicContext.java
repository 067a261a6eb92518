package io.mbscope.replay.atomic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything besides the events that decides an atomic write: the kernel, the file system, the
 * device limits, the workload's syscall record, statx and fiemap ground truth, the initial free
 * space (for the what-if) and the policy. {@link #fromFolder} reads a capture folder
 * (meta.txt, image-before.img.zst or dumpe2fs-before.txt, syscalls.csv, statx.txt, fiemap.csv); absent files give empty data.
 *
 * @param initialSpace free space at the start of the trace, or null (no what-if)
 */
public record AtomicContext(KernelVersion kernel, FsLayout fs, DeviceAtomicLimits device, List<SyscallRow> syscalls,
                            List<StatxRecord> statx, List<FiemapExtent> fiemap, FreeSpace initialSpace,
                            Policy policy, boolean dataJournalRefuses) {

    public AtomicContext {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(device, "device");
        syscalls = List.copyOf(syscalls);
        statx = List.copyOf(statx);
        fiemap = List.copyOf(fiemap);
        Objects.requireNonNull(policy, "policy");
    }

    public AtomicContext withPolicy(Policy p) {
        return new AtomicContext(kernel, fs, device, syscalls, statx, fiemap, initialSpace, p, dataJournalRefuses);
    }

    /** syscalls.csv compressed as the capture scripts leave files over 1 MiB; empty if absent. */
    private static List<SyscallRow> readZstCsv(Path zst) throws IOException {
        if (!Files.isRegularFile(zst)) {
            return List.of();
        }
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new io.airlift.compress.zstd.ZstdInputStream(Files.newInputStream(zst)),
                java.nio.charset.StandardCharsets.UTF_8))) {
            return SyscallRow.parse(in.lines().toList(), zst.toString());
        } catch (RuntimeException e) {
            throw new IOException(zst + ": cannot decompress: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a capture folder. The kernel comes from meta.txt {@code uname_r} unless
     * {@code kernelRelease} is given (e.g. the trace's own release).
     */
    public static AtomicContext fromFolder(Path folder, Policy policy, String kernelRelease) throws IOException {
        Path meta = folder.resolve("meta.txt");
        List<String> metaLines = Files.isRegularFile(meta) ? Files.readAllLines(meta) : List.of();
        String release = kernelRelease;
        String mountOpts = null;
        for (String l : metaLines) {
            if (release == null && l.startsWith("uname_r=")) {
                release = l.substring("uname_r=".length()).trim();
            }
            if (l.startsWith("proc_mounts=")) {
                String[] f = l.substring("proc_mounts=".length()).trim().split("\\s+");
                if (f.length >= 4) {
                    mountOpts = f[3];
                }
            }
        }
        if (release == null) {
            throw new IOException(folder + ": no kernel release (meta.txt uname_r) and none given");
        }
        // The initial bitmaps come from the image when there is one (fs-state loader), else from
        // dumpe2fs-before.txt's free lists; the layout from whichever was read.
        Path image = Files.isRegularFile(folder.resolve("image-before.img.zst")) ? folder.resolve("image-before.img.zst")
                : folder.resolve("image-before.img");
        Path dumpe2fs = folder.resolve("dumpe2fs-before.txt");
        FsLayout fs;
        FreeSpace space;
        if (Files.isRegularFile(image)) {
            io.mbscope.replay.fs.FsState state = io.mbscope.replay.fs.FsStateLoader.fromImage(image);
            fs = FsLayout.of(state.geometry(), mountOpts);
            space = FreeSpace.fromFsState(fs, state);
        } else if (Files.isRegularFile(dumpe2fs)) {
            List<String> dump = Files.readAllLines(dumpe2fs);
            fs = FsLayout.fromDumpe2fs(dump, mountOpts);
            space = FreeSpace.fromDumpe2fs(fs, dump);
        } else {
            throw new IOException(folder + ": no image-before.img(.zst) nor dumpe2fs-before.txt");
        }
        Path csv = folder.resolve("syscalls.csv");
        Path statx = folder.resolve("statx.txt");
        Path fiemap = folder.resolve("fiemap.csv");
        return new AtomicContext(KernelVersion.parse(release), fs, DeviceAtomicLimits.fromMetaLines(metaLines),
                Files.isRegularFile(csv) ? SyscallRow.read(csv) : readZstCsv(folder.resolve("syscalls.csv.zst")),
                Files.isRegularFile(statx) ? StatxRecord.read(statx) : List.of(),
                Files.isRegularFile(fiemap) ? FiemapExtent.read(fiemap) : List.of(),
                space, policy, false);
    }
}
