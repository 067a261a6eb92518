package io.mbscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mbscope.parsers.TraceFormatException;
import io.mbscope.replay.fs.FsStateLoader;
import io.mbscope.replay.fs.Tunables;
import java.io.IOException;
import java.nio.file.Path;

/** The file system's initial state: an ext4 image, dumpe2fs output, and the capture's meta.txt. */
class FsStateFuzzTest {
    private static final Path IMAGE = Inputs.scratch("image.img");
    private static final Path DUMPE2FS = Inputs.scratch("dumpe2fs.txt");
    private static final Path META = Inputs.scratch("meta.txt");

    @FuzzTest(maxDuration = "10m")
    void image(byte[] data) {
        Path p = Inputs.write(IMAGE, data);
        expectFormatError(() -> FsStateLoader.fromImage(p, false));
    }

    @FuzzTest(maxDuration = "10m")
    void dumpe2fs(byte[] data) {
        Path p = Inputs.write(DUMPE2FS, data);
        expectFormatError(() -> FsStateLoader.fromDumpe2fs(p));
    }

    @FuzzTest(maxDuration = "10m")
    void meta(byte[] data) {
        Path p = Inputs.write(META, data);
        expectFormatError(() -> Tunables.fromMeta(p, "6.18.44"));
    }

    private static void expectFormatError(Load load) {
        try {
            load.run();
        } catch (TraceFormatException expected) {
            Inputs.checkMessage(expected);
        } catch (IOException e) {
            throw new AssertionError("plain IOException instead of TraceFormatException: " + e, e);
        }
    }

    @FunctionalInterface
    interface Load {
        void run() throws IOException;
    }
}
