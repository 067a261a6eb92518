package io.mbscope.replay.atomic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The capture folders under sample-traces/. */
final class Samples {
    static final List<String> FOLDERS = List.of("6.12.117-4k", "6.12.117-bigalloc16k", "6.12.117-bigalloc64k",
            "6.18.44-1k", "6.18.44-4k", "6.18.44-bigalloc16k", "6.18.44-bigalloc64k", "7.3.4-4k",
            "7.3.4-bigalloc64k");

    private Samples() {
    }

    static Path root() {
        String r = System.getProperty("mbscope.root");
        Path base = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        Path p = base.resolve("sample-traces");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "sample-traces").toAbsolutePath().normalize();
        }
        return p;
    }

    static Path folder(String name) {
        return root().resolve(name);
    }

    /** The capture's initial free space as the what-if's reference bitmap (image, else dumpe2fs). */
    static FreeSpace initialSpace(AtomicContext ctx, String name) throws java.io.IOException {
        return FreeSpace.fromFsState(ctx.fs(), io.mbscope.replay.fs.FsStateLoader.fromCapture(
                io.mbscope.replay.fs.CaptureFolder.open(folder(name))));
    }
}
