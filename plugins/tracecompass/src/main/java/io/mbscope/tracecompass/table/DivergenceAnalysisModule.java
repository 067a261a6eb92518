package io.mbscope.tracecompass.table;

import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.Divergence;
import io.mbscope.replay.ReplayListener;
import io.mbscope.tracecompass.analysis.ReplayFeed;
import io.mbscope.tracecompass.trace.MbEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.tracecompass.tmf.core.trace.ITmfTrace;

/**
 * The replay's verdicts as table rows, one per allocation request ({@code ext4_mb_new_blocks}):
 * a row per divergent field (kernel value, model value, class, the rule that classified it), or
 * one "exact" row when the model predicted every compared field. The row spans the request, from
 * its {@code ext4_request_blocks} to its {@code ext4_allocate_blocks}, so selecting it puts the
 * events table on the request.
 */
public class DivergenceAnalysisModule extends RowsAnalysisModule {
    public static final String ID = "io.mbscope.tracecompass.analysis.divergences";
    public static final String EXACT = "exact";
    public static final Column INODE = new Column("Inode",
            "inode of the request", 0);
    public static final Column VERDICT = new Column("Verdict",
            "exact, or the class of the divergence (GOAL, PA_CHOICE, SCAN_ORDER, ...)", 1);
    public static final Column FIELD = new Column("Field",
            "the field the model got wrong (PATH, PA, FLAGS, GOAL, CRITERION, RESULT, BLOCK, LEN)", 2);
    public static final Column KERNEL = new Column("Kernel",
            "the kernel's value as the trace prints it", 3);
    public static final Column MODEL = new Column("Model",
            "the model's value", 4);
    public static final Column RULE = new Column("Rule",
            "the classification rule that fired, with its evidence", 5);
    static final List<Column> COLUMNS = List.of(INODE, VERDICT, FIELD, KERNEL, MODEL, RULE);

    public DivergenceAnalysisModule() {
        super(COLUMNS);
    }

    @Override
    protected RowSource rowSource(ITmfTrace trace) {
        return new RowSource() {
            private final List<TableRow> ready = new ArrayList<>();
            private ReplayFeed feed;

            @Override
            public void accept(MbEvent event, Consumer<TableRow> out) {
                if (feed == null) {
                    feed = ReplayFeed.open(trace.getPath(), new ReplayListener() {
                        @Override
                        public void onAllocation(AllocationVerdict v) {
                            ready.addAll(rows(v));
                        }
                    });
                    if (!feed.running()) {
                        setProblem(feed.problem());
                    }
                }
                feed.accept(event.traceEvent());
                ready.forEach(out);
                ready.clear();
            }
        };
    }

    /** The rows of one verdict. */
    public static List<TableRow> rows(AllocationVerdict v) {
        long end = v.timestampNs();
        long start = v.request() != null ? Math.min(v.request().timestampNs(), end) : end;
        if (v.exact()) {
            return List.of(new TableRow(start, end, Arrays.asList(v.ino(), EXACT, "", "", "", "")));
        }
        List<TableRow> out = new ArrayList<>();
        for (Divergence d : v.divergences()) {
            out.add(new TableRow(start, end, Arrays.asList(d.ino(), d.cause().name(), d.field().name(), d.kernel(),
                    d.model(), d.rule())));
        }
        return out;
    }
}
