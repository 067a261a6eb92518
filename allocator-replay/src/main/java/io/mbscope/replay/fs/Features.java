package io.mbscope.replay.fs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ext4 feature names as e2fsprogs prints them ("Filesystem features:" of dumpe2fs), so the two
 * sources of the initial state can be compared bit by bit. Bits without a name print as
 * FEATURE_C12 / FEATURE_I5 / FEATURE_R3 (e2p's fallback), and parse back the same way.
 */
final class Features {
    static final int COMPAT = 0, INCOMPAT = 1, RO_COMPAT = 2;
    private static final char[] TYPE_LETTER = {'C', 'I', 'R'};

    private static final String[][] NAMES = new String[3][32];
    private static final Map<String, long[]> BY_NAME = new HashMap<>();

    static {
        name(COMPAT, 0, "dir_prealloc");
        name(COMPAT, 1, "imagic_inodes");
        name(COMPAT, 2, "has_journal");
        name(COMPAT, 3, "ext_attr");
        name(COMPAT, 4, "resize_inode");
        name(COMPAT, 5, "dir_index");
        name(COMPAT, 6, "lazy_bg");
        name(COMPAT, 8, "snapshot_bitmap");
        name(COMPAT, 9, "sparse_super2");
        name(COMPAT, 10, "fast_commit");
        name(COMPAT, 11, "stable_inodes");
        name(COMPAT, 12, "orphan_file");
        name(INCOMPAT, 0, "compression");
        name(INCOMPAT, 1, "filetype");
        name(INCOMPAT, 2, "needs_recovery");
        name(INCOMPAT, 3, "journal_dev");
        name(INCOMPAT, 4, "meta_bg");
        name(INCOMPAT, 6, "extent");
        name(INCOMPAT, 7, "64bit");
        name(INCOMPAT, 8, "mmp");
        name(INCOMPAT, 9, "flex_bg");
        name(INCOMPAT, 10, "ea_inode");
        name(INCOMPAT, 12, "dirdata");
        name(INCOMPAT, 13, "metadata_csum_seed");
        name(INCOMPAT, 14, "large_dir");
        name(INCOMPAT, 15, "inline_data");
        name(INCOMPAT, 16, "encrypt");
        name(INCOMPAT, 17, "casefold");
        name(RO_COMPAT, 0, "sparse_super");
        name(RO_COMPAT, 1, "large_file");
        name(RO_COMPAT, 3, "huge_file");
        name(RO_COMPAT, 4, "uninit_bg");
        name(RO_COMPAT, 5, "dir_nlink");
        name(RO_COMPAT, 6, "extra_isize");
        name(RO_COMPAT, 7, "snapshot");
        name(RO_COMPAT, 8, "quota");
        name(RO_COMPAT, 9, "bigalloc");
        name(RO_COMPAT, 10, "metadata_csum");
        name(RO_COMPAT, 11, "replica");
        name(RO_COMPAT, 12, "read-only");
        name(RO_COMPAT, 13, "project");
        name(RO_COMPAT, 14, "shared_blocks");
        name(RO_COMPAT, 15, "verity");
        name(RO_COMPAT, 16, "orphan_present");
        // Aliases e2p accepts when parsing.
        BY_NAME.put("uninit_groups", new long[] {RO_COMPAT, 4});
        BY_NAME.put("extents", new long[] {INCOMPAT, 6});
        BY_NAME.put("fname_encoding", new long[] {INCOMPAT, 17});
    }

    private Features() {
    }

    private static void name(int type, int bit, String name) {
        NAMES[type][bit] = name;
        BY_NAME.put(name, new long[] {type, bit});
    }

    static void names(long compat, long incompat, long roCompat, List<String> out) {
        long[] masks = {compat, incompat, roCompat};
        for (int type = 0; type < 3; type++) {
            for (int bit = 0; bit < 32; bit++) {
                if ((masks[type] & (1L << bit)) != 0) {
                    String n = NAMES[type][bit];
                    out.add(n != null ? n : "FEATURE_" + TYPE_LETTER[type] + bit);
                }
            }
        }
    }

    /** {type, bit} for a feature name, or null if unknown. */
    static long[] parse(String name) {
        long[] known = BY_NAME.get(name.toLowerCase(java.util.Locale.ROOT));
        if (known != null) {
            return known;
        }
        if (name.length() > 9 && name.startsWith("FEATURE_")) {
            int type = new String(TYPE_LETTER).indexOf(name.charAt(8));
            try {
                int bit = Integer.parseInt(name.substring(9));
                if (type >= 0 && bit >= 0 && bit < 32) {
                    return new long[] {type, bit};
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
