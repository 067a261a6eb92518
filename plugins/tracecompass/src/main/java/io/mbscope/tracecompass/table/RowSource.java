package io.mbscope.tracecompass.table;

import io.mbscope.tracecompass.trace.MbEvent;
import java.util.function.Consumer;

/** Turns the events of a trace, in order, into table rows. */
public interface RowSource {

    /** Applies one event; rows it completes go to {@code out}. */
    void accept(MbEvent event, Consumer<TableRow> out);

    /** The trace has ended: rows still open go to {@code out}. */
    default void finish(Consumer<TableRow> out) {
    }
}
