package io.mbscope.tracecompass.trace;

import io.mbscope.parsers.event.RawEvent;
import java.util.List;
import org.eclipse.tracecompass.tmf.core.event.ITmfEvent;
import org.eclipse.tracecompass.tmf.core.event.aspect.ITmfEventAspect;
import org.eclipse.tracecompass.tmf.core.event.aspect.TmfBaseAspects;
import org.eclipse.tracecompass.tmf.core.event.aspect.TmfCpuAspect;

/** The columns of the event table (and the keys of filters) for mbscope traces. */
public final class MbAspects {
    private MbAspects() {
    }

    /** CPU: subclassing TmfCpuAspect lets TC's own CPU-aware features recognise it. */
    public static final TmfCpuAspect CPU = new TmfCpuAspect() {
        @Override
        public Integer resolve(ITmfEvent event) {
            return event instanceof MbEvent e ? e.cpu() : null;
        }
    };

    public static final ITmfEventAspect<Integer> PID = new Simple<>("PID", "common_pid of the task that hit the tracepoint") {
        @Override
        public Integer resolve(ITmfEvent event) {
            if (event instanceof MbEvent e && e.traceEvent().header().pid() >= 0) {
                return e.traceEvent().header().pid();
            }
            return null;
        }
    };

    public static final ITmfEventAspect<String> COMM = new Simple<>("Command", "task name (perf.data: from COMM records)") {
        @Override
        public String resolve(ITmfEvent event) {
            return event instanceof MbEvent e ? e.traceEvent().header().comm() : null;
        }
    };

    /** dev_t printed the kernel's way (MAJOR,MINOR of major << 20 | minor). */
    public static final ITmfEventAspect<String> DEVICE = new Simple<>("Device", "block device of the ext4 file system") {
        @Override
        public String resolve(ITmfEvent event) {
            RawEvent r = raw(event);
            if (r == null || !r.has("dev")) {
                return null;
            }
            long dev = r.getLong("dev");
            return (dev >>> 20) + "," + (dev & 0xfffff);
        }
    };

    public static final ITmfEventAspect<Long> INODE = new Simple<>("Inode", "inode number the event is about") {
        @Override
        public Long resolve(ITmfEvent event) {
            RawEvent r = raw(event);
            return r != null && r.has("ino") ? r.getLong("ino") : null;
        }
    };

    public static final List<ITmfEventAspect<?>> ALL = List.of(TmfBaseAspects.getTimestampAspect(), CPU,
            TmfBaseAspects.getEventTypeAspect(), PID, COMM, DEVICE, INODE, TmfBaseAspects.getContentsAspect());

    private static RawEvent raw(ITmfEvent event) {
        return event instanceof MbEvent e ? e.traceEvent().raw() : null;
    }

    private abstract static class Simple<T> implements ITmfEventAspect<T> {
        private final String name;
        private final String help;

        Simple(String name, String help) {
            this.name = name;
            this.help = help;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getHelpText() {
            return help;
        }
    }
}
