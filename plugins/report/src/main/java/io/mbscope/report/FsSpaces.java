package io.mbscope.report;

import java.io.IOException;
import java.nio.file.Path;

/** Initial free space from an fs image, through the replay module's fs state loader. */
public final class FsSpaces {
    private FsSpaces() {
    }

    /** Null until io.mbscope.replay.fs.FsStateLoader is available: the report then omits free-space charts. */
    public static FsSpace fromImage(Path image) throws IOException {
        return null;
    }
}
