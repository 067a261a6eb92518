package io.mbscope.cli.record;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * perf record's --control fifos: perf starts with its events disabled (-D -1), we write "enable"
 * and wait for its "ack", so tracing is known to be live before the traced command starts (no
 * guessing with sleeps). Our ends are opened read-write, which on Linux never blocks for a fifo,
 * so a perf that dies early cannot hang us.
 */
final class PerfControl implements AutoCloseable {
    private final Path dir;
    private final Path ctl;
    private final Path ack;
    private RandomAccessFile ctlFile;
    private RandomAccessFile ackFile;

    private PerfControl(Path dir) {
        this.dir = dir;
        this.ctl = dir.resolve("ctl");
        this.ack = dir.resolve("ack");
    }

    /** Makes the two fifos in a fresh temp directory (outside the capture folder). */
    static PerfControl create() throws IOException {
        Path dir = Files.createTempDirectory("mbscope-perfctl");
        PerfControl c = new PerfControl(dir);
        for (Path p : List.of(c.ctl, c.ack)) {
            Exec.Result r = Exec.run(List.of("mkfifo", "-m", "600", p.toString()), Duration.ofSeconds(10));
            if (r.rc() != 0) {
                c.close();
                throw new IOException("mkfifo " + p + " failed: " + r.output().strip());
            }
        }
        c.ctlFile = new RandomAccessFile(c.ctl.toFile(), "rw");
        c.ackFile = new RandomAccessFile(c.ack.toFile(), "rw");
        return c;
    }

    Path ctl() {
        return ctl;
    }

    Path ack() {
        return ack;
    }

    /** Sends "enable" and waits for "ack"; false on time-out or if perf exits first. */
    boolean enable(Duration timeout, BooleanSupplier perfAlive) throws IOException, InterruptedException {
        ctlFile.write("enable\n".getBytes(StandardCharsets.US_ASCII));
        FileInputStream in = new FileInputStream(ackFile.getFD());
        long end = System.nanoTime() + timeout.toNanos();
        StringBuilder got = new StringBuilder();
        while (System.nanoTime() < end) {
            int n = in.available();
            if (n > 0) {
                byte[] b = new byte[n];
                int r = in.read(b);
                got.append(new String(b, 0, Math.max(r, 0), StandardCharsets.US_ASCII));
                if (got.indexOf("ack") >= 0) {
                    return true;
                }
            } else if (!perfAlive.getAsBoolean()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        for (RandomAccessFile f : new RandomAccessFile[] {ctlFile, ackFile}) {
            if (f != null) {
                f.close();
            }
        }
        Files.deleteIfExists(ctl);
        Files.deleteIfExists(ack);
        Files.deleteIfExists(dir);
    }
}
