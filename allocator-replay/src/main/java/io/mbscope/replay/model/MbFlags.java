package io.mbscope.replay.model;

/** EXT4_MB_* allocation flags (identical bit values in every modelled kernel). */
public final class MbFlags {
    private MbFlags() {
    }

    public static final int HINT_MERGE = 0x0001;
    public static final int HINT_FIRST = 0x0008;
    public static final int HINT_DATA = 0x0020;
    public static final int HINT_NOPREALLOC = 0x0040;
    public static final int HINT_GROUP_ALLOC = 0x0080;
    public static final int HINT_GOAL_ONLY = 0x0100;
    public static final int HINT_TRY_GOAL = 0x0200;
    public static final int DELALLOC_RESERVED = 0x0400;
    public static final int STREAM_ALLOC = 0x0800;
    public static final int USE_ROOT_BLOCKS = 0x1000;
    public static final int USE_RESERVED = 0x2000;
    public static final int STRICT_CHECK = 0x4000;
    /** ≤6.16 list scanner: *_OPTIMIZED bits (only 0x8000 survives the u16 trace field). */
    public static final int CR0_OPTIMIZED = 0x8000;

    /** The bits ext4_mb_group_or_file / normalize decide (what the model predicts about the context). */
    public static final int DECIDED = HINT_NOPREALLOC | HINT_GROUP_ALLOC | STREAM_ALLOC | HINT_TRY_GOAL;

    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"HINT_MERGE", null, null, "HINT_FIRST", null, "HINT_DATA", "HINT_NOPREALLOC",
            "HINT_GRP_ALLOC", "HINT_GOAL_ONLY", "HINT_TRY_GOAL", "DELALLOC_RESV", "STREAM_ALLOC",
            "USE_ROOT_BLKS", "USE_RESV", "STRICT_CHECK", "0x8000"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(names[i] != null ? names[i] : "0x" + Integer.toHexString(1 << i));
            }
        }
        return sb.toString();
    }
}
