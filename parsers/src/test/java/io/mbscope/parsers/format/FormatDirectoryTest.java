package io.mbscope.parsers.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.parsers.TraceFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatDirectoryTest {

    static Path sample(String folder) {
        String p = System.getProperty("mbscope.root");
        Path start = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-traces"))) {
                return d.resolve("sample-traces").resolve(folder);
            }
        }
        throw new IllegalStateException("no sample-traces");
    }

    @Test
    void tracefsLayout() throws IOException {
        FormatRegistry r = FormatDirectory.load(sample("7.3.4-4k/formats"));
        EventFormat a = r.byName("ext4_mballoc_alloc");
        assertThat(a.system()).isEqualTo("ext4");
        assertThat(r.byName("ext4:ext4_mballoc_alloc")).isSameAs(a);
        // 7.1+ moved ino to the front as a u64 (tracepoints.md §2)
        assertThat(a.field("ino").size()).isEqualTo(8);
        assertThat(r.byName("ftrace:print").field("buf").isString()).isTrue();
        assertThat(r.byName("iomap_iter").system()).isEqualTo("iomap");
        assertThat(r.all()).hasSize(138);
    }

    @Test
    void dataLocCharArrayKeepsItsName() throws IOException {
        // field:__data_loc char[] __buf_val;	offset:48;	size:4;	signed:0;
        EventFormat f = FormatDirectory.load(sample("7.3.4-4k/formats")).byName("sys_enter_pwrite64");
        FieldFormat b = f.field("__buf_val");
        assertThat(b).isNotNull();
        assertThat(b.dataLoc()).isTrue();
        assertThat(b.isString()).isTrue();
        assertThat(b.offset()).isEqualTo(48);
        assertThat(f.field("char")).isNull();
    }

    @Test
    void printFmtWithANewlineInside() throws IOException {
        // ext4_fsmap_mapping's format string ends with a real newline before the closing quote
        EventFormat f = FormatDirectory.load(sample("6.18.44-4k/formats")).byName("ext4_fsmap_mapping");
        assertThat(f.printFmt().format()).endsWith("owner %lld\n");
        assertThat(f.printFmt().args()).hasSize(8).endsWith("REC->owner");
    }

    @Test
    void onePerFileLayoutAndEventsFolder(@TempDir Path tmp) throws IOException {
        Path ext4 = Files.createDirectories(tmp.resolve("events/ext4"));
        for (String e : new String[] {"ext4_mballoc_alloc", "ext4_request_blocks"}) {
            try (InputStream in = getClass().getResourceAsStream("/io/mbscope/parsers/formats/6.18.44/ext4/" + e
                    + "/format")) {
                Files.write(ext4.resolve(e + ".format"), in.readAllBytes());
            }
        }
        Files.writeString(ext4.resolve("enable"), "0\n");
        Files.writeString(tmp.resolve("events/header_page"), "field: u64 timestamp;\n");
        FormatRegistry r = FormatDirectory.load(tmp);
        assertThat(r.all()).hasSize(2);
        assertThat(r.byName("ext4_request_blocks").system()).isEqualTo("ext4");
    }

    @Test
    void errorsNameTheFile(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> FormatDirectory.load(tmp.resolve("nope"))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> FormatDirectory.load(tmp)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("found none");
        Path bad = Files.createDirectories(tmp.resolve("ext4/ext4_bad"));
        Files.writeString(bad.resolve("format"), "this is not a format file\n");
        assertThatThrownBy(() -> FormatDirectory.load(tmp)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("ext4_bad");
    }

    @Test
    void bundledKernels() {
        assertThat(BuiltinFormats.kernels()).containsExactly("7.3.4", "6.18.44", "6.12.117", "6.1.192");
        // 6.1 (sample-traces/6.1.192-*/formats): iomap_iter has neither processed nor status, cr is a number
        assertThat(BuiltinFormats.registry("6.1.192").byName("iomap_iter").printFmt().format())
                .doesNotContain("processed").doesNotContain("status");
        assertThat(BuiltinFormats.registry("6.1.192").byName("ext4_mballoc_alloc").printFmt().format())
                .contains("cr %u");
        assertThat(BuiltinFormats.registry("6.18.44").byName("jbd2_run_stats")).isNotNull();
        assertThat(BuiltinFormats.registry("6.12.117").byName("print")).isNotNull();
        assertThat(BuiltinFormats.registry("6.12.117").byName("iomap_iter").printFmt().format()).contains("processed");
        assertThatThrownBy(() -> BuiltinFormats.registry("5.10")).isInstanceOf(IllegalArgumentException.class);
    }
}
