package io.mbscope.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Per-thread counter JMH reports as a rate ("events" ops/s next to the benchmark's own passes/s). */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Events {
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
        events = 0;
    }
}
