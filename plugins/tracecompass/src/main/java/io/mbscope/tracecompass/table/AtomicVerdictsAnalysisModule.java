package io.mbscope.tracecompass.table;

import io.mbscope.replay.atomic.AtomicAnalyzer;
import io.mbscope.replay.atomic.AtomicContext;
import io.mbscope.replay.atomic.AtomicRow;
import io.mbscope.replay.atomic.Errno;
import io.mbscope.replay.atomic.Placement;
import io.mbscope.replay.atomic.Policy;
import io.mbscope.replay.atomic.RfcOutcome;
import io.mbscope.tracecompass.trace.MbEvent;
import io.mbscope.tracecompass.trace.MbTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * The atomic package's verdict for every pwritev2(RWF_ATOMIC) of the trace, one row per write at
 * its {@code sys_enter_pwritev2}: the result the kernel returned, the mainline rule's prediction
 * for the trace's kernel and whether they match, where a successful write went (one contiguous,
 * naturally aligned run or not), and what the 2023 RFC aligned allocator would have returned.
 * Needs the capture folder next to the trace (meta.txt, image or dumpe2fs; syscalls.csv for the
 * lengths and files); rows appear when the trace has been read, because the fiemap check of a
 * write's placement needs the end of the trace.
 */
public class AtomicVerdictsAnalysisModule extends RowsAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.atomicverdicts";
    public static final Column INODE = new Column("Inode",
            "inode written (-1 when the kernel refused before the I/O path)", 0);
    public static final Column FILE = new Column("File",
            "file name from syscalls.csv", 1);
    public static final Column OFFSET = new Column("Offset",
            "byte offset", 2);
    public static final Column LENGTH = new Column("Length",
            "bytes", 3);
    public static final Column RESULT = new Column("Result",
            "what the kernel returned (trace, else syscalls.csv)", 4);
    public static final Column MAINLINE = new Column("Mainline",
            "the mainline rule's prediction for the trace's kernel", 5);
    public static final Column MATCH = new Column("Match",
            "prediction equals the result", 6);
    public static final Column REASON = new Column("Reason",
            "the kernel check that decides the prediction", 7);
    public static final Column CONTIGUOUS = new Column("Contiguous",
            "a successful write went to one physical run", 8);
    public static final Column ALIGNED = new Column("Aligned",
            "its physical address is a multiple of its length", 9);
    public static final Column RFC = new Column("RFC what-if",
            "what the 2023 RFC aligned allocator would have returned (BUFFERED: not atomic)", 10);
    public static final Column RFC_REASON = new Column("RFC reason",
            "why", 11);
    static final List<Column> COLUMNS = List.of(INODE, FILE, OFFSET, LENGTH, RESULT, MAINLINE, MATCH, REASON,
            CONTIGUOUS, ALIGNED, RFC, RFC_REASON);

    public AtomicVerdictsAnalysisModule() {
        super(COLUMNS);
    }

    @Override
    protected RowSource rowSource(ITmfTrace trace) {
        return new RowSource() {
            private AtomicAnalyzer analyzer;
            private boolean unavailable;

            @Override
            public void accept(MbEvent event, Consumer<TableRow> out) {
                if (analyzer == null && !unavailable) {
                    Path dir = Paths.get(trace.getPath()).toAbsolutePath().getParent();
                    String release = trace instanceof MbTrace m && m.info() != null ? m.info().kernelRelease() : null;
                    try {
                        analyzer = new AtomicAnalyzer(AtomicContext.fromFolder(dir, Policy.RFC, release));
                    } catch (IOException | RuntimeException e) {
                        unavailable = true;
                        setProblem("no atomic-write context in " + dir + ": " + e.getMessage());
                    }
                }
                if (analyzer != null) {
                    analyzer.accept(event.traceEvent());
                }
            }

            @Override
            public void finish(Consumer<TableRow> out) {
                if (analyzer != null) {
                    analyzer.finish();
                    analyzer.rows().forEach(r -> out.accept(row(r)));
                }
            }
        };
    }

    /** The table row of one write. */
    public static TableRow row(AtomicRow r) {
        Errno actual = r.actual();
        Placement p = r.placement();
        boolean placed = p != null && p.physByte() >= 0;
        RfcOutcome rfc = r.rfc();
        return new TableRow(r.timeNs(), r.timeNs(), Arrays.asList(r.ino(), r.file() == null ? "" : r.file(),
                r.offset(), r.length(), actual == null ? "?" : actual.label(), r.predicted().errno().label(),
                r.verdictMatches(), r.predicted().reason().name(), placed ? p.contiguous() : null,
                placed ? p.aligned() : null, rfc == null ? "" : rfcLabel(rfc), rfc == null ? "" : rfc.verdict().reason().name()));
    }

    /** Buffered and data=journal writes "succeed" under the RFC without being atomic, as the CLI counts them. */
    static String rfcLabel(RfcOutcome o) {
        return switch (o.verdict().reason()) {
            case NOT_DIRECT, DATA_JOURNAL_BUFFERED -> "BUFFERED";
            default -> o.verdict().errno().label();
        };
    }
}
