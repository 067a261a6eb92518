package io.mbscope.tracecompass.table;

import java.util.Comparator;
import org.eclipse.tracecompass.segmentstore.core.ISegment;
import org.eclipse.tracecompass.tmf.core.segment.ISegmentAspect;

/**
 * A column of a {@link TableRow} table: the segment store table makes one column per aspect, the
 * view filter and the TSV export use the same names. Numbers sort as numbers.
 */
public record Column(String name, String help, int index) implements ISegmentAspect {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getHelpText() {
        return help;
    }

    @Override
    public Comparator<?> getComparator() {
        return (ISegment a, ISegment b) -> compare(resolve(a), resolve(b));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    @Override
    public Object resolve(ISegment segment) {
        return segment instanceof TableRow r ? r.cell(index) : null;
    }
}
