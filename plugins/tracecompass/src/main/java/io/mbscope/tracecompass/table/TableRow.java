package io.mbscope.tracecompass.table;

import java.util.Arrays;
import java.util.List;
import org.eclipse.tracecompass.segmentstore.core.ISegment;

/**
 * One row of a table view, as a Trace Compass segment: the segment store table shows its start,
 * end and duration, and selecting the row selects [start, end] in every view (the events table
 * jumps to the first event at {@code start}). Cells hold Long, Boolean or String values, in the
 * order of the analysis' {@link Column}s.
 */
public final class TableRow implements ISegment {
    private static final long serialVersionUID = 1L;
    private final long start;
    private final long end;
    private final Object[] cells;

    public TableRow(long start, long end, List<?> cells) {
        if (end < start) {
            throw new IllegalArgumentException("row ends at " + end + " before it starts at " + start);
        }
        this.start = start;
        this.end = end;
        this.cells = cells.toArray();
    }

    @Override
    public long getStart() {
        return start;
    }

    @Override
    public long getEnd() {
        return end;
    }

    /** The value of column {@code i} (null when empty). */
    public Object cell(int i) {
        return i < cells.length ? cells[i] : null;
    }

    public List<Object> cells() {
        return Arrays.asList(cells.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableRow r && r.start == start && r.end == end && Arrays.equals(r.cells, cells);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(start) * 31 + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + "] " + Arrays.toString(cells);
    }
}
