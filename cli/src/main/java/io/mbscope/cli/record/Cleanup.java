package io.mbscope.cli.record;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Undo steps of a capture (stop tracers, remove the tracefs instance, thaw the fs, ...), run in
 * reverse order exactly once: from {@link #close()} on a normal or failed run, or from the JVM
 * shutdown hook on Ctrl-C / SIGTERM. A failing step is reported and the others still run.
 */
public final class Cleanup implements AutoCloseable {
    /** One undo action. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** What cleanup needs of a child process (a real {@link Process}, or a fake in tests). */
    public interface Child {
        long pid();

        boolean isAlive();

        /** Asks the child to finish cleanly (SIGINT: trace-cmd and perf then write out their data). */
        void interrupt() throws IOException;

        /** SIGTERM. */
        void terminate() throws IOException;

        /** SIGKILL. */
        void kill() throws IOException;

        /** Waits up to {@code d}; true if it exited. */
        boolean waitFor(Duration d) throws InterruptedException;
    }

    private record Named(String what, Step step) {
    }

    private final Deque<Named> steps = new ArrayDeque<>();
    private final PrintWriter err;
    private boolean done;
    private Thread hook;
    private volatile boolean interrupted;

    public Cleanup(PrintWriter err) {
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Registers an undo step; steps run last-registered first. */
    public synchronized void add(String what, Step step) {
        if (done) {
            throw new IllegalStateException("cleanup already ran");
        }
        steps.push(new Named(what, step));
    }

    /** Runs and forgets the most recent step named {@code what} now (an orderly stop), if still pending. */
    public void runNow(String what) {
        Named n = null;
        synchronized (this) {
            for (Named s : steps) {
                if (s.what.equals(what)) {
                    n = s;
                    break;
                }
            }
            if (n == null) {
                return;
            }
            steps.remove(n);
        }
        runStep(n);
    }

    /** Installs the shutdown hook (Ctrl-C, SIGTERM); {@link #close()} removes it again. */
    public synchronized void installShutdownHook() {
        if (hook == null && !done) {
            hook = new Thread(() -> {
                interrupted = true;
                err.println("mbscope record: interrupted, cleaning up");
                runAll();
            }, "mbscope-record-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Runs every pending step once, newest first; returns the number of steps that failed. */
    public int runAll() {
        int failed = 0;
        while (true) {
            Named n;
            synchronized (this) {
                done = true;
                n = steps.poll();
            }
            if (n == null) {
                break;
            }
            if (!runStep(n)) {
                failed++;
            }
        }
        err.flush();
        return failed;
    }

    private boolean runStep(Named n) {
        try {
            n.step.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mbscope record: cleanup '" + n.what + "' interrupted");
        } catch (Exception e) {
            err.println("mbscope record: cleanup '" + n.what + "' failed: " + e.getMessage());
        }
        return false;
    }

    /** True once the shutdown hook started: the JVM is going down, the capture must not go on. */
    public boolean interrupted() {
        return interrupted;
    }

    public synchronized boolean pending() {
        return !steps.isEmpty();
    }

    @Override
    public void close() {
        runAll();
        synchronized (this) {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is running or ran runAll()
                }
                hook = null;
            }
        }
    }

    /**
     * A step that stops a child: SIGINT and up to {@code grace} for it to write out its data (what
     * Ctrl-C does to trace-cmd and perf in a terminal), then SIGTERM and 5 s, then SIGKILL.
     * Nothing if it already exited.
     */
    public static Step stopChild(String name, Child c, Duration grace, PrintWriter err) {
        return () -> {
            if (!c.isAlive()) {
                return;
            }
            c.interrupt();
            if (c.waitFor(grace)) {
                return;
            }
            err.println("mbscope record: " + name + " (pid " + c.pid() + ") did not stop within "
                    + grace.toSeconds() + " s of SIGINT; terminating it (its output may be incomplete)");
            c.terminate();
            if (c.waitFor(Duration.ofSeconds(5))) {
                return;
            }
            c.kill();
            if (!c.waitFor(Duration.ofSeconds(5))) {
                throw new IOException(name + " (pid " + c.pid() + ") survived SIGKILL");
            }
        };
    }

    /**
     * {@link Child} over a process started through setsid(1), so that it leads its own process
     * group: signals go to the whole group (kill -SIG -- -PGID). trace-cmd record forks one recorder
     * per CPU; if the parent dies those orphans keep the tracefs instance open (rmdir gets EBUSY),
     * and only the group still reaches them. Java itself only sends TERM and KILL to one pid.
     */
    public static Child ofGroup(Process p) {
        return new Child() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public boolean isAlive() {
                return p.isAlive() || signalGroup("0", p.pid());
            }

            @Override
            public void interrupt() {
                signalGroup("INT", p.pid());
            }

            @Override
            public void terminate() {
                signalGroup("TERM", p.pid());
            }

            @Override
            public void kill() {
                signalGroup("KILL", p.pid());
                p.destroyForcibly();
            }

            @Override
            public boolean waitFor(Duration d) throws InterruptedException {
                long end = System.nanoTime() + d.toNanos();
                while (isAlive()) {
                    if (System.nanoTime() > end) {
                        return false;
                    }
                    Thread.sleep(50);
                }
                return true;
            }
        };
    }

    /** kill -SIG -- -pgid; true if it succeeded (for "0": some process of the group exists). */
    static boolean signalGroup(String sig, long pgid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return k.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
