package io.mbscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mbscope.parsers.TraceReader;
import io.mbscope.parsers.Traces;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.atomic.AtomicAnalyzer;
import io.mbscope.replay.atomic.AtomicContext;
import io.mbscope.replay.atomic.AtomicRow;
import io.mbscope.replay.atomic.AtomicSummary;
import io.mbscope.replay.atomic.DioWhatIf;
import io.mbscope.replay.atomic.Errno;
import io.mbscope.replay.atomic.MainlineRules;
import io.mbscope.replay.atomic.Placement;
import io.mbscope.replay.atomic.Policy;
import io.mbscope.replay.atomic.RfcOutcome;
import io.mbscope.replay.atomic.RfcRules;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.atomic.StatxCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mbscope atomic}: RWF_ATOMIC verdicts, placement audit and the RFC aligned-allocator what-if. */
@Command(name = "atomic", mixinStandardHelpOptions = true,
        description = {"Predict every pwritev2(RWF_ATOMIC) verdict for the trace's kernel, compare it with the real "
                + "return value, audit where successful writes went, and (--policy rfc) ask what the 2023 RFC "
                + "aligned allocator would have done.",
                "FOLDER is a capture folder (trace + meta.txt, image-before.img.zst or dumpe2fs-before.txt, "
                        + "syscalls.csv, statx.txt, "
                        + "fiemap.csv); for a FILE the context comes from its folder or --context.",
                "Exit 1 if a prediction differs from the real result."})
public final class AtomicCommand implements Callable<Integer> {

    /** Trace files tried in a capture folder, best first. */
    static final List<String> TRACE_NAMES = List.of("trace.dat", "trace-v6.dat.zst", "perf.data.zst", "perf.data",
            "report.txt.zst", "report.txt", "trace.txt.zst", "trace.txt", "perf-script.txt.zst");

    @Parameters(index = "0", paramLabel = "FILE|FOLDER", description = "a trace or a capture folder")
    Path input;

    @Option(names = "--context", paramLabel = "DIR",
            description = "folder with meta.txt, image-before.img.zst or dumpe2fs-before.txt, syscalls.csv, "
                    + "statx.txt, fiemap.csv")
    Path context;

    @Option(names = "--policy", defaultValue = "mainline", paramLabel = "POLICY",
            description = "mainline, rfc or rfc-fallback (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--data-journal-refuses", description = "RFC switch: data=journal refuses atomic DIO (-EIO)")
    boolean dataJournalRefuses;

    @Option(names = "--all-dio", description = "RFC what-if: also ask, for every plain direct write, what the RFC "
            + "would have done had it been atomic (one row per write in the what-if section)")
    boolean allDio;

    @Option(names = "--format", defaultValue = "text", description = "text, csv or json (default: ${DEFAULT-VALUE})")
    Output format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Policy p = Policy.parse(policy);
        Path trace = input;
        Path ctxDir = context;
        if (Files.isDirectory(input)) {
            trace = null;
            for (String n : TRACE_NAMES) {
                if (Files.isRegularFile(input.resolve(n))) {
                    trace = input.resolve(n);
                    break;
                }
            }
            if (trace == null) {
                throw new IllegalArgumentException(input + ": no trace file (" + String.join(", ", TRACE_NAMES) + ")");
            }
            if (ctxDir == null) {
                ctxDir = input;
            }
        } else if (ctxDir == null) {
            ctxDir = input.toAbsolutePath().getParent();
        }
        if (ctxDir == null || !(Files.isRegularFile(ctxDir.resolve("dumpe2fs-before.txt"))
                || Files.isRegularFile(ctxDir.resolve("image-before.img.zst"))
                || Files.isRegularFile(ctxDir.resolve("image-before.img")))) {
            throw new IllegalArgumentException("no capture context (image-before.img or dumpe2fs-before.txt) next to "
                    + input
                    + "; give --context DIR");
        }
        try (TraceReader r = Traces.open(trace)) {
            String release = r.info().kernelRelease();
            AtomicContext ctx = AtomicContext.fromFolder(ctxDir, p, release).withDataJournalRefuses(dataJournalRefuses)
                    .withAllDio(allDio);
            AtomicAnalyzer a = new AtomicAnalyzer(ctx);
            TraceEvent e;
            while ((e = r.next()) != null) {
                a.accept(e);
            }
            return report(a, ctx, trace.toString(), format, spec.commandLine().getOut());
        }
    }

    /** Prints the analysis; returns the exit code. */
    static int report(AtomicAnalyzer a, AtomicContext ctx, String source, Output format, PrintWriter out)
            throws IOException {
        AtomicSummary s = a.finish();
        List<AtomicRow> rows = a.rows();
        switch (format) {
            case csv -> csv(rows, ctx.fs().blockSize(), out);
            case json -> json(a, ctx, source, s, rows, out);
            default -> text(a, ctx, source, s, rows, out);
        }
        out.flush();
        return s.divergences().isEmpty() ? Main.EXIT_OK : Main.EXIT_DIVERGENCES;
    }

    static final String[] COLUMNS = {"time_ns", "seq", "file", "ino", "offset", "length", "segments", "rwf",
        "direct", "real", "csv", "predicted", "reason", "match", "phys_byte", "contiguous", "aligned", "map_type",
        "allocated", "source", "fiemap_agrees", "rfc", "rfc_reason", "rfc_phys_block", "rfc_aligned",
        "rfc_enospc_alignment", "rfc_goal", "rfc_normalized", "rfc_chunk", "rfc_criterion",
        "rfc_first_aligned_after_goal", "note"};

    private static List<Object> values(AtomicRow r, int blockSize) {
        Placement p = r.placement();
        RfcOutcome f = r.rfc();
        List<Object> v = new ArrayList<>();
        v.add(r.timeNs());
        v.add(r.seq());
        v.add(r.file() == null ? "" : r.file());
        v.add(r.ino());
        v.add(r.offset());
        v.add(r.length());
        v.add(r.segments());
        v.add("0x" + Integer.toHexString(r.rwFlags()));
        v.add(r.direct());
        v.add(label(r.real()));
        v.add(label(r.csv()));
        v.add(r.predicted().errno().label());
        v.add(r.predicted().reason().name());
        v.add(r.verdictMatches());
        v.add(p == null ? "" : p.physByte());
        v.add(p == null ? "" : p.contiguous());
        v.add(p == null ? "" : p.aligned());
        v.add(p == null ? "" : p.type());
        v.add(p == null ? "" : p.allocated());
        v.add(p == null ? "" : p.source());
        v.add(r.fiemapAgrees() == null ? "" : r.fiemapAgrees());
        v.add(f == null ? "" : f.verdict().errno().label());
        v.add(f == null ? "" : f.verdict().reason().name());
        v.add(f == null || f.physBlock() < 0 ? "" : f.physBlock());
        v.add(f == null || !f.placed() ? "" : rfcAligned(r, f, blockSize));
        v.add(f == null ? "" : f.enospcForAlignment());
        v.add(f == null || f.goalBlock() < 0 ? "" : f.goalBlock());
        v.add(f == null ? "" : f.normalizedBlocks());
        v.add(f == null ? "" : f.chunkBlocks());
        v.add(f == null || f.criterion() < 0 ? "" : KernelGeneration.criterionName(f.criterion()));
        v.add(f == null || f.firstAlignedAfterGoal() < 0 ? "" : f.firstAlignedAfterGoal());
        v.add(r.note());
        return v;
    }

    /** The RFC placement starts at a multiple of the write length (what RFC 6/7 verifies). */
    static boolean rfcAligned(AtomicRow r, RfcOutcome f, int blockSize) {
        return r.length() > 0 && f.physBlock() >= 0 && (f.physBlock() * blockSize) % r.length() == 0;
    }

    private static String label(Errno e) {
        return e == null ? "" : e.label();
    }

    private static void csv(List<AtomicRow> rows, int blockSize, PrintWriter out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(COLUMNS).setRecordSeparator('\n')
                .get());
        for (AtomicRow r : rows) {
            csv.printRecord(values(r, blockSize));
        }
        csv.flush();
    }

    private static void json(AtomicAnalyzer a, AtomicContext ctx, String source, AtomicSummary s,
                             List<AtomicRow> rows, PrintWriter out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("trace", source);
        g.writeStringField("kernel", ctx.kernel().toString());
        g.writeStringField("policy", ctx.policy().label());
        g.writeNumberField("block_size", ctx.fs().blockSize());
        g.writeNumberField("cluster_size", ctx.fs().clusterSize());
        MainlineRules.FsUnits u = MainlineRules.fsUnits(ctx.kernel(), ctx.fs(), ctx.device());
        g.writeNumberField("awu_min", u.min());
        g.writeNumberField("awu_max", u.max());
        g.writeNumberField("rfc_awu_max", RfcRules.statx(ctx.fs(), ctx.device(), ctx.fs().extents()).unitMax());
        // the issue's required integers at the top level too
        g.writeNumberField("atomic_writes", s.atomicWrites());
        g.writeNumberField("verdict_matches", s.verdictMatches());
        g.writeNumberField("placement_aligned", s.placementAligned());
        g.writeNumberField("placement_contiguous", s.placementContiguous());
        g.writeObjectFieldStart("summary");
        g.writeNumberField("atomic_writes", s.atomicWrites());
        g.writeNumberField("real_ok", s.realOk());
        g.writeNumberField("real_failed", s.realFailed());
        g.writeNumberField("verdict_matches", s.verdictMatches());
        g.writeNumberField("trace_csv_agree", s.traceCsvAgree());
        g.writeNumberField("trace_csv_compared", s.traceCsvCompared());
        g.writeNumberField("placement_checked", s.placementChecked());
        g.writeNumberField("placement_contiguous", s.placementContiguous());
        g.writeNumberField("placement_aligned", s.placementAligned());
        g.writeNumberField("fiemap_checked", s.fiemapChecked());
        g.writeNumberField("fiemap_agree", s.fiemapAgree());
        g.writeNumberField("statx_checked", s.statxChecked());
        g.writeNumberField("statx_matches", s.statxMatches());
        g.writeNumberField("rfc_ok", s.rfcOk());
        g.writeNumberField("rfc_failed", s.rfcFailed());
        g.writeNumberField("rfc_buffered_not_atomic", s.rfcBufferedNotAtomic());
        g.writeNumberField("rfc_enospc_alignment", s.rfcEnospcAlignment());
        g.writeNumberField("rfc_collisions", s.rfcCollisions());
        g.writeNumberField("dio_as_atomic", s.dioAsAtomic());
        g.writeNumberField("dio_rfc_ok", s.dioRfcOk());
        g.writeNumberField("dio_rfc_enospc", s.dioRfcEnospc());
        writeBySize(g, "by_size", s.bySize());
        writeBySize(g, "rfc_by_size", s.rfcBySize());
        g.writeEndObject();
        g.writeArrayFieldStart("rows");
        for (AtomicRow r : rows) {
            g.writeStartObject();
            List<Object> v = values(r, ctx.fs().blockSize());
            for (int i = 0; i < COLUMNS.length; i++) {
                Object o = v.get(i);
                if (o instanceof Long l) {
                    g.writeNumberField(COLUMNS[i], l);
                } else if (o instanceof Integer n) {
                    g.writeNumberField(COLUMNS[i], n);
                } else if (o instanceof Boolean b) {
                    g.writeBooleanField(COLUMNS[i], b);
                } else if (!"".equals(o)) {
                    g.writeStringField(COLUMNS[i], String.valueOf(o));
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!a.dioRows().isEmpty()) {
            g.writeArrayFieldStart("dio_as_atomic");
            for (DioWhatIf d : a.dioRows()) {
                g.writeStartObject();
                g.writeNumberField("time_ns", d.timeNs());
                g.writeNumberField("ino", d.ino());
                g.writeNumberField("offset", d.offset());
                g.writeNumberField("length", d.length());
                g.writeStringField("real", label(d.real()));
                g.writeStringField("rfc", d.rfc().verdict().errno().label());
                g.writeStringField("rfc_reason", d.rfc().verdict().reason().name());
                if (d.rfc().physBlock() >= 0) {
                    g.writeNumberField("rfc_phys_block", d.rfc().physBlock());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("statx");
        for (StatxCheck c : a.statxChecks()) {
            g.writeStartObject();
            g.writeStringField("file", c.record().file());
            g.writeStringField("when", c.record().when());
            g.writeBooleanField("matches", c.matches());
            g.writeNumberField("unit_min", c.observed().unitMin());
            g.writeNumberField("unit_max", c.observed().unitMax());
            g.writeNumberField("predicted_unit_min", c.mainline().unitMin());
            g.writeNumberField("predicted_unit_max", c.mainline().unitMax());
            g.writeNumberField("rfc_unit_min", c.rfc().unitMin());
            g.writeNumberField("rfc_unit_max", c.rfc().unitMax());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    private static void writeBySize(JsonGenerator g, String name, Map<Long, ? extends Map<String, Integer>> m)
            throws IOException {
        g.writeObjectFieldStart(name);
        for (var e : m.entrySet()) {
            g.writeObjectFieldStart(Long.toString(e.getKey()));
            for (var c : e.getValue().entrySet()) {
                g.writeNumberField(c.getKey(), c.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void text(AtomicAnalyzer a, AtomicContext ctx, String source, AtomicSummary s,
                             List<AtomicRow> rows, PrintWriter out) {
        MainlineRules.FsUnits u = MainlineRules.fsUnits(ctx.kernel(), ctx.fs(), ctx.device());
        out.printf("trace     %s%n", source);
        out.printf("kernel    %s   policy %s%n", ctx.kernel(), ctx.policy().label());
        out.printf("fs        block %d  cluster %d%s%n", ctx.fs().blockSize(), ctx.fs().clusterSize(),
                ctx.fs().dataJournal() ? "  data=journal" : "");
        out.printf("device    atomic unit min %d max %d, max bytes %d%n", ctx.device().unitMinBytes(),
                ctx.device().unitMaxBytes(), ctx.device().maxBytes());
        out.printf("ext4      s_awu_min %d  s_awu_max %d%n", u.min(), u.max());
        out.println();
        out.printf("%-6s %-18s %10s %8s %-10s %-26s %-5s %12s %-4s %-4s%s%n", "seq", "file", "offset", "length",
                "real", "predicted", "match", "phys", "cont", "algn",
                ctx.policy() == Policy.MAINLINE ? "" : "  rfc");
        for (AtomicRow r : rows) {
            Placement p = r.placement();
            RfcOutcome f = r.rfc();
            out.printf("%-6s %-18s %10d %8d %-10s %-26s %-5s %12s %-4s %-4s%s%n", r.seq() < 0 ? "-" : r.seq(),
                    r.file() == null ? "ino " + r.ino() : r.file(), r.offset(), r.length(),
                    r.actual() == null ? "?" : r.actual().label(),
                    r.predicted().errno().label() + "/" + r.predicted().reason().name(),
                    r.verdictMatches() ? "yes" : "NO", p == null || p.physByte() < 0 ? "" : Long.toString(p.physByte()),
                    p == null ? "" : p.contiguous() ? "yes" : "no", p == null ? "" : p.aligned() ? "yes" : "no",
                    f == null ? "" : "  " + f.verdict().errno().label() + "/" + f.verdict().reason().name()
                            + (f.physBlock() >= 0 ? " @" + f.physBlock() : "")
                            + (f.placed() ? rfcAligned(r, f, ctx.fs().blockSize()) ? " aligned" : " MISALIGNED" : ""));
        }
        out.println();
        out.printf("atomic writes %d: ok %d, failed %d; verdict matches %d/%d; trace = syscalls.csv %d/%d%n",
                s.atomicWrites(), s.realOk(), s.realFailed(), s.verdictMatches(), s.atomicWrites(),
                s.traceCsvAgree(), s.traceCsvCompared());
        out.printf("placement: checked %d, contiguous %d, aligned %d; fiemap.csv agrees %d/%d%n",
                s.placementChecked(), s.placementContiguous(), s.placementAligned(), s.fiemapAgree(),
                s.fiemapChecked());
        out.printf("statx: %d/%d match the prediction%n", s.statxMatches(), s.statxChecked());
        if (ctx.policy() != Policy.MAINLINE) {
            out.printf("rfc (%s): ok %d, failed %d (ENOSPC for alignment %d), buffered (not atomic) %d, "
                    + "collisions with later real allocations %d%n", ctx.policy().label(), s.rfcOk(), s.rfcFailed(),
                    s.rfcEnospcAlignment(), s.rfcBufferedNotAtomic(), s.rfcCollisions());
            long rfcMax = RfcRules.statx(ctx.fs(), ctx.device(), ctx.fs().extents()).unitMax();
            if (!ctx.fs().bigalloc() && rfcMax > u.max()) {
                // 4k without bigalloc: mainline stops at one block; the RFC's limit is the device's
                out.printf("rfc allows atomic writes up to %d bytes here (device unit max), mainline %d%n", rfcMax,
                        u.max());
            }
            if (s.dioAsAtomic() > 0) {
                out.printf("plain direct writes asked as atomic: %d, rfc ok %d, ENOSPC for alignment %d%n",
                        s.dioAsAtomic(), s.dioRfcOk(), s.dioRfcEnospc());
            }
        }
        out.println("by size (real):");
        for (var e : s.bySize().entrySet()) {
            out.printf("  %8d  %s%s%n", e.getKey(), e.getValue(),
                    s.rfcBySize().containsKey(e.getKey()) ? "   rfc " + s.rfcBySize().get(e.getKey()) : "");
        }
        if (!s.divergences().isEmpty()) {
            out.println("divergences:");
            for (AtomicRow r : s.divergences()) {
                out.printf("  seq %d %s off %d len %d: real %s, predicted %s (%s)%n", r.seq(), r.file(), r.offset(),
                        r.length(), r.actual() == null ? "?" : r.actual().label(), r.predicted().errno().label(),
                        r.predicted().reason().description());
            }
        }
    }
}
