package io.mbscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.TraceEvent;
import io.mbscope.replay.atomic.AtomicAnalyzer;
import io.mbscope.replay.atomic.AtomicContext;
import io.mbscope.replay.atomic.Policy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The atomic command's output on events typed by hand from 7.3.4-4k/report.txt (seq 65 and 66). */
class AtomicCommandTest {
    static final int DEV = 8 << 20;

    static Path folder() {
        String r = System.getProperty("mbscope.root");
        return (r != null ? Path.of(r) : Path.of("..")).resolve("sample-traces/7.3.4-4k");
    }

    static EventHeader h(long us) {
        return new EventHeader(us * 1000, 1, 1048, "ext4wl");
    }

    static List<TraceEvent> events() {
        int ki = 0x40 | 1 << 17;
        return List.of(new TraceEvent.Pwritev2Enter(h(15109540), 8, 1, 0x4000, 0x40, null),
                new TraceEvent.DioBegin(h(15109569), DEV, 0x15, 0x1000, 0x4000, 0x1000, 0, ki, 1, false, null),
                new TraceEvent.MapBlocksExit(h(15109655), false, DEV, 21, 1, 4, 37380, 1, 0x30, 1, null),
                new TraceEvent.IomapMap(h(15109686), false, DEV, 0x15, 0x9204000, 0x4000, 0x1000, 2, 0x103, DEV, null),
                new TraceEvent.DioComplete(h(15109796), DEV, 0x15, 0x5000, 0x5000, ki, false, 0, 4096, null),
                new TraceEvent.SyscallExit(h(15109805), "pwritev2", 0x1000, null),
                new TraceEvent.Pwritev2Enter(h(15109850), 8, 1, 0x8800, 0x40, null),
                new TraceEvent.SyscallExit(h(15109867), "pwritev2", -22, null));
    }

    static String run(Output format, Policy policy, int[] code) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(folder(), policy, null);
        AtomicAnalyzer a = new AtomicAnalyzer(ctx);
        events().forEach(a::accept);
        StringWriter sw = new StringWriter();
        code[0] = AtomicCommand.report(a, ctx, "hand-typed", format, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void csvHasOneRowPerWriteWithRealAndPredicted() throws Exception {
        int[] code = new int[1];
        String csv = run(Output.csv, Policy.MAINLINE, code);
        List<String> lines = csv.lines().toList();
        assertThat(code[0]).isEqualTo(Main.EXIT_OK);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("time_ns,seq,file,ino,offset,length");
        // seq 65: 4096 bytes at 16384, OK, at device byte 0x9204000 = 153108480 (atomic-analysis.txt)
        assertThat(lines.get(1)).contains(",65,at/a4k,21,16384,4096,").contains(",OK,OK,OK,OK,true,153108480,true,true,");
        assertThat(lines.get(2)).contains(",66,at/a4k,").contains(",EINVAL,EINVAL,EINVAL,MISALIGNED_OFFSET,true,");
    }

    @Test
    void jsonAndTextCarryTheSummary() throws Exception {
        int[] code = new int[1];
        String json = run(Output.json, Policy.RFC, code);
        assertThat(json).contains("\"atomic_writes\" : 2").contains("\"verdict_matches\" : 2")
                .contains("\"awu_max\" : 4096").contains("\"rfc\" : \"EIO\"");
        String text = run(Output.text, Policy.RFC, code);
        assertThat(text).contains("atomic writes 2: ok 1, failed 1; verdict matches 2/2")
                .contains("s_awu_min 4096  s_awu_max 4096");
    }

    @Test
    void wholeFolderFromTraceDat() {
        CommandLine cl = new CommandLine(new AtomicCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("--format", "json", folder().toString());
        assertThat(code).isEqualTo(Main.EXIT_OK);
        // README: 7.3.4-4k has 32 successful and 99 failed RWF_ATOMIC writes
        assertThat(out.toString()).contains("\"atomic_writes\" : 131").contains("\"real_ok\" : 32")
                .contains("\"verdict_matches\" : 131").contains("\"placement_aligned\" : 32");
    }

    @Test
    void rfcWhatIfOverTheWholeFolder() {
        CommandLine cl = new CommandLine(new AtomicCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("--policy", "rfc-fallback", "--format", "json", folder().toString());
        assertThat(code).isEqualTo(Main.EXIT_OK);
        // meta.txt: atomic_write_unit_max_bytes=65536, the RFC's limit on a 4k fs without bigalloc
        assertThat(out.toString()).contains("\"policy\" : \"rfc-fallback\"").contains("\"rfc_awu_max\" : 65536")
                .contains("\"atomic_writes\" : 131").contains("\"rows\" : [")
                .contains("\"rfc_enospc_alignment\" : 0");
        StringWriter text = new StringWriter();
        cl = new CommandLine(new AtomicCommand());
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("--policy", "rfc", folder().toString())).isEqualTo(Main.EXIT_OK);
        assertThat(text.toString()).contains("rfc allows atomic writes up to 65536 bytes here (device unit max), "
                + "mainline 4096");
    }

    @Test
    void badPolicyIsAUsageError() {
        CommandLine cl = new CommandLine(new AtomicCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("--policy", "bogus", folder().toString());
        assertThat(code).isNotZero();
    }
}
