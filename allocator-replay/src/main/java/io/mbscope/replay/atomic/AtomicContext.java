package io.mbscope.replay.atomic;

import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything besides the events that decides an atomic write: the kernel, the file system, the
 * device limits, the workload's syscall record, statx and fiemap ground truth, the allocator model
 * the what-if runs on, and the policy. {@link #fromFolder} reads a capture folder (meta.txt,
 * image-before.img.zst or dumpe2fs-before.txt, syscalls.csv, statx.txt, fiemap.csv); absent files give
 * empty data.
 *
 * @param engine  builds a fresh {@link ReplayEngine} started from the capture's initial state (the
 *                what-if replays the whole trace on it); null: no what-if
 * @param allDio  the what-if also treats every plain (non-RWF_ATOMIC) direct write as atomic
 */
public record AtomicContext(KernelVersion kernel, FsLayout fs, DeviceAtomicLimits device, List<SyscallRow> syscalls,
                            List<StatxRecord> statx, List<FiemapExtent> fiemap, Supplier<ReplayEngine> engine,
                            Policy policy, boolean dataJournalRefuses, boolean allDio) {

    /**
     * The what-if engine's options: frees wait for their journal commit (5 s without jbd2 events, as
     * the mainline replay assumes); no verdict list and no layout (the what-if keeps its own).
     */
    public static final ReplayOptions WHAT_IF_REPLAY = new ReplayOptions(5_000_000_000L, false, false);

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
        return new AtomicContext(kernel, fs, device, syscalls, statx, fiemap, engine, p, dataJournalRefuses, allDio);
    }

    /** The RFC's data=journal switch: refuse atomic DIO with -EIO instead of writing through the journal. */
    public AtomicContext withDataJournalRefuses(boolean refuses) {
        return new AtomicContext(kernel, fs, device, syscalls, statx, fiemap, engine, policy, refuses, allDio);
    }

    /** Whether the what-if also evaluates every plain direct write as if it were atomic. */
    public AtomicContext withAllDio(boolean all) {
        return new AtomicContext(kernel, fs, device, syscalls, statx, fiemap, engine, policy, dataJournalRefuses, all);
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
        // The initial state comes from the image when there is one, else from dumpe2fs-before.txt's
        // free lists (the fs-state loader decides); the what-if's engine starts from the same state.
        CaptureFolder capture = CaptureFolder.open(folder);
        FsState state = FsStateLoader.fromCapture(capture);
        FsLayout fs = FsLayout.of(state.geometry(), mountOpts);
        Supplier<ReplayEngine> engine = () -> {
            try {
                return Replays.engine(capture, state, WHAT_IF_REPLAY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Path csv = folder.resolve("syscalls.csv");
        Path statx = folder.resolve("statx.txt");
        Path fiemap = folder.resolve("fiemap.csv");
        return new AtomicContext(KernelVersion.parse(release), fs, DeviceAtomicLimits.fromMetaLines(metaLines),
                Files.isRegularFile(csv) ? SyscallRow.read(csv) : readZstCsv(folder.resolve("syscalls.csv.zst")),
                Files.isRegularFile(statx) ? StatxRecord.read(statx) : List.of(),
                Files.isRegularFile(fiemap) ? FiemapExtent.read(fiemap) : List.of(),
                engine, policy, false, false);
    }
}
