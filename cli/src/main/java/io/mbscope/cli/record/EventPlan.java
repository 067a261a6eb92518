package io.mbscope.cli.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which tracepoints a capture enables, and the filter of each: the set the sample traces were
 * captured with (sample-traces/&#42;/events.txt) plus the journal's commit events.
 */
public final class EventPlan {
    /** One enabled tracepoint. {@code filter} is an ftrace filter expression, "" for none. */
    public record EventSpec(String group, String name, String filter) {
        public EventSpec {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
        }

        /** "group:name" as trace-cmd -e and perf -e take it. */
        public String id() {
            return group + ":" + name;
        }

        /** The events.txt line: "group:name filter". */
        public String line() {
            return filter.isEmpty() ? id() : id() + " " + filter;
        }
    }

    /**
     * Glob patterns resolved against the running kernel's events/ directory, in this order; events a
     * kernel lacks are left out.
     * The allocator (request/allocate/mballoc_*), preallocation (mb_*pa*, discard), frees, extent
     * mapping and removal, the iomap DIO path, the three write syscalls the atomic analysis needs,
     * and jbd2 commits: blocks freed in a transaction return to the buddy only when it commits
     * (ext4_process_freed_data, called from ext4's jbd2 commit callback), so a replay needs the commit times.
     */
    public static final List<String> PATTERNS = List.of("ext4:*mballoc*", "ext4:ext4_request_blocks",
            "ext4:ext4_allocate_blocks", "ext4:ext4_mb_*pa*", "ext4:ext4_*free*", "ext4:ext4_discard_preallocations",
            "ext4:ext4_mb_discard_preallocations", "ext4:ext4_ext_map_blocks_enter", "ext4:ext4_ext_map_blocks_exit",
            "ext4:ext4_fallocate_enter", "ext4:ext4_fallocate_exit", "ext4:ext4_da_write_pages_extent",
            "ext4:ext4_punch_hole", "ext4:ext4_zero_range", "ext4:ext4_collapse_range", "ext4:ext4_remove_blocks",
            "ext4:ext4_ext_remove_space", "ext4:ext4_ext_remove_space_done",
            "ext4:ext4_get_implied_cluster_alloc_exit", "ext4:ext4_ext_handle_unwritten_extents",
            "ext4:ext4_ext_convert_to_initialized_enter", "ext4:ext4_ext_convert_to_initialized_fastpath",
            "ext4:ext4_unlink_enter", "ext4:ext4_truncate_enter", "ext4:ext4_truncate_exit", "iomap:*",
            "syscalls:sys_enter_pwritev2", "syscalls:sys_exit_pwritev2", "syscalls:sys_enter_pwrite64",
            "syscalls:sys_exit_pwrite64", "syscalls:sys_enter_fallocate", "syscalls:sys_exit_fallocate",
            "jbd2:jbd2_start_commit", "jbd2:jbd2_end_commit");

    /** Events without which a capture cannot be replayed at all. */
    public static final List<String> REQUIRED = List.of("ext4:ext4_request_blocks", "ext4:ext4_allocate_blocks",
            "ext4:ext4_mballoc_alloc");

    /** TASK_COMM_LEN - 1: the kernel keeps at most 15 characters of a task name. */
    static final int COMM_MAX = 15;

    private EventPlan() {
    }

    /**
     * Resolves {@link #PATTERNS} against an events directory (tracefs events/, or a capture's
     * formats/ which has the same layout), choosing each event's filter from its format:
     * a {@code dev_t dev} field gets {@code dev == N} (N = kernel dev_t), {@code dev_major}/
     * {@code dev_minor} fields get both (ext4_trim_all_free), syscall events get the comm filter.
     *
     * @param comms task names whose syscalls are kept (at least one)
     */
    public static List<EventSpec> resolve(Path eventsDir, BlockDevice dev, List<String> comms) throws IOException {
        String commFilter = commFilter(comms);
        Set<String> seen = new LinkedHashSet<>();
        List<EventSpec> out = new ArrayList<>();
        for (String pat : PATTERNS) {
            int colon = pat.indexOf(':');
            String group = pat.substring(0, colon);
            Pattern glob = glob(pat.substring(colon + 1));
            Path gdir = eventsDir.resolve(group);
            if (!Files.isDirectory(gdir)) {
                continue;
            }
            List<String> names;
            try (Stream<Path> s = Files.list(gdir)) {
                names = s.filter(p -> Files.isRegularFile(p.resolve("format")))
                        .map(p -> p.getFileName().toString()).filter(n -> glob.matcher(n).matches()).sorted().toList();
            }
            for (String name : names) {
                if (!seen.add(group + ":" + name)) {
                    continue;
                }
                String format = Files.readString(gdir.resolve(name).resolve("format"), StandardCharsets.UTF_8);
                out.add(new EventSpec(group, name, filterFor(group, format, dev, commFilter)));
            }
        }
        return out;
    }

    static String filterFor(String group, String format, BlockDevice dev, String commFilter) {
        if (group.equals("syscalls")) {
            return commFilter;
        }
        if (format.contains("field:dev_t dev;")) {
            return "dev == " + dev.kernelDevT();
        }
        if (format.contains("field:int dev_major;") && format.contains("field:int dev_minor;")) {
            return "dev_major == " + dev.major() + " && dev_minor == " + dev.minor();
        }
        return "";
    }

    /**
     * {@code comm == "dd"}, or {@code comm == "a" || comm == "b"}. "comm" is ftrace's pseudo-field
     * for the current task name, which every event has; names longer than 15 characters are cut as
     * the kernel cuts them, or they would never match.
     */
    public static String commFilter(List<String> comms) {
        if (comms.isEmpty()) {
            throw new IllegalArgumentException("at least one comm is needed for the syscall filter");
        }
        List<String> parts = new ArrayList<>();
        for (String c : comms) {
            if (c.isEmpty() || c.indexOf('"') >= 0 || c.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("invalid task name for the syscall filter: '" + c + "'");
            }
            String cut = c.length() > COMM_MAX ? c.substring(0, COMM_MAX) : c;
            parts.add("comm == \"" + cut + "\"");
        }
        return String.join(" || ", new LinkedHashSet<>(parts));
    }

    /** The comm the kernel gives a program: the file name of argv[0] (set at exec), cut to 15. */
    public static String commOf(String argv0) {
        String base = argv0;
        int slash = base.lastIndexOf('/');
        if (slash >= 0) {
            base = base.substring(slash + 1);
        }
        return base.length() > COMM_MAX ? base.substring(0, COMM_MAX) : base;
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') {
                re.append(".*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
