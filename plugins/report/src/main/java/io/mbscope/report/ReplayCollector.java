package io.mbscope.report;

import io.mbscope.replay.AllocationVerdict;
import io.mbscope.replay.Divergence;
import io.mbscope.replay.DivergenceClass;
import io.mbscope.replay.ReplayListener;
import io.mbscope.replay.ReplayResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps what the report needs of each replay verdict: the model's answer in a few numbers and the
 * divergences, not the verdict's events (which hold every raw field of the trace).
 */
final class ReplayCollector implements ReplayListener {
    private final List<ReplayData.Predicted> predicted = new ArrayList<>();
    private final List<ReplayData.Div> divergences = new ArrayList<>();

    @Override
    public void onAllocation(AllocationVerdict v) {
        TreeSet<String> classes = new TreeSet<>();
        for (Divergence d : v.divergences()) {
            classes.add(d.cause().name());
            divergences.add(new ReplayData.Div(d.timestampNs(), d.ino(), d.field().name(), d.kernel(), d.model(),
                    d.cause().name(), d.rule()));
        }
        var p = v.prediction();
        predicted.add(new ReplayData.Predicted(v.timestampNs(), v.ino(), p == null ? -1 : p.block(),
                p == null ? -1 : p.len(), p == null ? -1 : p.criterion(), String.join("|", classes)));
    }

    ReplayData finish(ReplayResult r, int hints) {
        Map<String, Integer> byClass = new TreeMap<>();
        for (Map.Entry<DivergenceClass, Integer> e : r.byClass().entrySet()) {
            byClass.put(e.getKey().name(), e.getValue());
        }
        return new ReplayData(r.allocations(), r.exact(), byClass, r.unexplained(), hints, predicted, divergences);
    }
}
