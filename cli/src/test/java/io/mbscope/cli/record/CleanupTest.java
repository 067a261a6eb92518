package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CleanupTest {
    /** A child that exits after the signals it obeys; records what it was sent. */
    static final class FakeChild implements Cleanup.Child {
        final List<String> got = new ArrayList<>();
        boolean alive = true;
        final boolean obeysInt;
        final boolean obeysTerm;

        FakeChild(boolean alive, boolean obeysInt, boolean obeysTerm) {
            this.alive = alive;
            this.obeysInt = obeysInt;
            this.obeysTerm = obeysTerm;
        }

        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void interrupt() {
            got.add("INT");
            alive &= !obeysInt;
        }

        @Override
        public void terminate() {
            got.add("TERM");
            alive &= !obeysTerm;
        }

        @Override
        public void kill() {
            got.add("KILL");
            alive = false;
        }

        @Override
        public boolean waitFor(Duration d) {
            return !alive;
        }
    }

    private final StringWriter errText = new StringWriter();
    private final PrintWriter err = new PrintWriter(errText, true);

    @Test
    void stepsRunNewestFirstExactlyOnceEvenIfOneFails() {
        List<String> ran = new ArrayList<>();
        Cleanup c = new Cleanup(err);
        c.add("remove instance", () -> ran.add("instance"));
        c.add("thaw", () -> {
            ran.add("thaw");
            throw new IllegalStateException("EBUSY");
        });
        c.add("stop tracer", () -> ran.add("tracer"));
        assertThat(c.runAll()).isEqualTo(1);
        // as if the shutdown hook ran after close(): nothing runs twice
        assertThat(c.runAll()).isEqualTo(0);
        c.close();
        assertThat(ran).containsExactly("tracer", "thaw", "instance");
        assertThat(errText.toString()).contains("cleanup 'thaw' failed: EBUSY");
    }

    @Test
    void runNowStopsOneStepAheadOfTheRest() {
        List<String> ran = new ArrayList<>();
        Cleanup c = new Cleanup(err);
        c.add("remove instance", () -> ran.add("instance"));
        c.add("stop perf", () -> ran.add("perf"));
        c.add("stop command", () -> ran.add("command"));
        c.runNow("stop perf");
        c.runNow("stop perf");
        c.runNow("no such step");
        assertThat(ran).containsExactly("perf");
        c.close();
        assertThat(ran).containsExactly("perf", "command", "instance");
        assertThat(c.pending()).isFalse();
    }

    @Test
    void stopChildEscalatesOnlyWhenNeeded() throws Exception {
        FakeChild polite = new FakeChild(true, true, true);
        Cleanup.stopChild("perf", polite, Duration.ofMillis(1), err).run();
        assertThat(polite.got).containsExactly("INT");

        FakeChild deaf = new FakeChild(true, false, true);
        Cleanup.stopChild("trace-cmd", deaf, Duration.ofMillis(1), err).run();
        assertThat(deaf.got).containsExactly("INT", "TERM");
        assertThat(errText.toString()).contains("trace-cmd (pid 4242) did not stop");

        FakeChild stuck = new FakeChild(true, false, false);
        Cleanup.stopChild("x", stuck, Duration.ofMillis(1), err).run();
        assertThat(stuck.got).containsExactly("INT", "TERM", "KILL");

        FakeChild gone = new FakeChild(false, true, true);
        Cleanup.stopChild("y", gone, Duration.ofMillis(1), err).run();
        assertThat(gone.got).isEmpty();
    }

    /** A real process group whose leader leaves an orphan behind, as a crashed trace-cmd does. */
    @Test
    void groupSignalReachesOrphans() throws Exception {
        Process p = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & echo started; sleep 60")
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(8))).isEqualTo("started\n");
            Cleanup.Child c = Cleanup.ofGroup(p);
            // kill only the leader: its background sleep lives on in the group
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            assertThat(p.isAlive()).isFalse();
            assertThat(c.isAlive()).as("orphan still in the group").isTrue();
            Cleanup.stopChild("sh", c, Duration.ofSeconds(5), err).run();
            assertThat(c.isAlive()).isFalse();
            assertThat(Cleanup.signalGroup("0", p.pid())).isFalse();
        } finally {
            Cleanup.signalGroup("KILL", p.pid());
        }
    }
}
