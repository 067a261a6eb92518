package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mbscope.cli.record.EventPlan.EventSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class EventPlanTest {
    static final List<String> FOLDERS = Corpus.FOLDERS;

    /**
     * Resolving against each capture's formats/ (the kernel's own format files) with the device of
     * its meta.txt gives exactly the events and filters the lab scripts enabled (events.txt).
     */
    @ParameterizedTest
    @FieldSource("FOLDERS")
    void sameEventsAndFiltersAsTheCorpusCapture(String name) throws Exception {
        Path f = Corpus.folder(name);
        Matcher m = Pattern.compile("majmin=(\\d+):(\\d+)").matcher(Files.readString(f.resolve("meta.txt")));
        assertThat(m.find()).isTrue();
        BlockDevice dev = new BlockDevice(Path.of("/dev/x"), "x", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)));
        List<EventSpec> plan = EventPlan.resolve(f.resolve("formats"), dev, List.of("ext4wl"));
        // formats/ of the corpus has no jbd2 group: everything else must match line for line
        assertThat(plan.stream().map(EventSpec::line).toList())
                .containsExactlyElementsOf(Files.readAllLines(f.resolve("events.txt")));
    }

    @Test
    void jbd2CommitsFilteredOnTheFsDevice(@TempDir Path dir) throws Exception {
        // the 6.18 kernel's jbd2_start_commit format (this machine's tracefs)
        Path ev = dir.resolve("jbd2/jbd2_start_commit");
        Files.createDirectories(ev);
        Files.writeString(ev.resolve("format"), """
                name: jbd2_start_commit
                ID: 1285
                format:
                	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
                	field:int common_pid;	offset:4;	size:4;	signed:1;

                	field:dev_t dev;	offset:8;	size:4;	signed:0;
                	field:char sync_commit;	offset:12;	size:1;	signed:0;
                	field:tid_t transaction;	offset:16;	size:4;	signed:0;
                """);
        Path other = dir.resolve("jbd2/jbd2_checkpoint");
        Files.createDirectories(other);
        Files.writeString(other.resolve("format"), "name: jbd2_checkpoint\n\tfield:dev_t dev;\n");
        List<EventSpec> plan = EventPlan.resolve(dir, new BlockDevice(Path.of("/dev/sdb1"), "sdb1", 8, 17),
                List.of("fio"));
        // only the two commit events are asked for; 8:17 = 8 << 20 | 17
        assertThat(plan).containsExactly(new EventSpec("jbd2", "jbd2_start_commit", "dev == 8388625"));
    }

    @Test
    void commFilters() {
        assertThat(EventPlan.commFilter(List.of("dd"))).isEqualTo("comm == \"dd\"");
        assertThat(EventPlan.commFilter(List.of("dd", "fallocate", "dd")))
                .isEqualTo("comm == \"dd\" || comm == \"fallocate\"");
        // TASK_COMM_LEN 16: the kernel keeps 15 characters
        assertThat(EventPlan.commFilter(List.of("postgres-checkpointer")))
                .isEqualTo("comm == \"postgres-checkp\"");
        assertThat(EventPlan.commOf("/usr/local/bin/db_bench_with_a_long_name")).isEqualTo("db_bench_with_a");
        assertThat(EventPlan.commOf("dd")).isEqualTo("dd");
        assertThatThrownBy(() -> EventPlan.commFilter(List.of("a\"b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventPlan.commFilter(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
