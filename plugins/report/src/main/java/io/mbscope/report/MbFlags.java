package io.mbscope.report;

/** The EXT4_MB_* allocation flags with the labels the ext4 tracepoints print for them. */
final class MbFlags {
    private static final String[] LABELS = {
        "HINT_MERGE", "HINT_RESV", "HINT_MDATA", "HINT_FIRST", "HINT_BEST", "HINT_DATA", "HINT_NOPREALLOC",
        "HINT_GRP_ALLOC", "HINT_GOAL_ONLY", "HINT_TRY_GOAL", "DELALLOC_RESV", "STREAM_ALLOC", "USE_ROOT_BLKS",
        "USE_RESV", "STRICT_CHECK"};

    private MbFlags() {
    }

    /** "HINT_DATA|HINT_GRP_ALLOC" like __print_flags, unknown bits appended as hex; "" for 0. */
    static String names(int flags) {
        StringBuilder sb = new StringBuilder();
        int rest = flags;
        for (int bit = 0; bit < LABELS.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(LABELS[bit]);
                rest &= ~(1 << bit);
            }
        }
        if (rest != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }
}
