package io.mbscope.replay.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single switch point between kernel generations: every behaviour of mballoc that differs
 * between the modelled kernels is a component of this strategy object, chosen once from the
 * kernel release. Generations are (major.minor, stable point): stable 6.12.77 backported the 6.17
 * group-scan rewrite, so 6.12.0-6.12.76 and 6.12.77+ are different generations.
 *
 * @param name                 short label
 * @param scanner              how groups are visited per criterion
 * @param criteria             number of criteria (4 up to 6.4: CR0..CR3; 5 from 6.5 with CR_BEST_AVAIL_LEN)
 * @param streamGoal           where STREAM_ALLOC scans start
 * @param skipShortRuns        ext4_mb_complex_scan_group skips free runs shorter than the goal at the
 *                             cheap criteria (6.5+); 6.1 measures every run
 * @param inodePaTree          inode PAs in an rbtree keyed by logical start (6.4+) rather than the
 *                             newest-first list of 6.1
 * @param lstartUsesOrigGoal   ext4_mb_new_inode_pa places a short best extent inside the goal window
 *                             computed from ac_orig_goal_len (6.5+) rather than g_ex.len (6.1)
 * @param resultLogicalAdjusted 6.1 copies the adjusted best extent into ac_f_ex, so the trace's result
 *                             logical is the PA's lstart; later kernels print the goal logical
 * @param scanAlignedReplaces  6.1: ext4_mb_scan_aligned at CR1 replaces the complex scan; 6.5+: it is
 *                             tried before the complex scan at FAST/BEST_AVAIL
 * @param finalFailureCr       ac_criteria printed after a failed allocation
 */
public record KernelGeneration(String name, Scanner scanner, int criteria, StreamGoal streamGoal,
                               boolean skipShortRuns, boolean inodePaTree, boolean lstartUsesOrigGoal,
                               boolean resultLogicalAdjusted, boolean scanAlignedReplaces, int finalFailureCr) {

    /** Group visiting strategy of ext4_mb_regular_allocator. */
    public enum Scanner {
        /** mb_optimize_scan lists (6.1-6.12.76, 6.5-6.16): goal group first, then list head order. */
        LISTS,
        /** 6.17 / 6.12.77+: xarrays iterated in group order from the goal group, wrapping. */
        XARRAY
    }

    /** Where STREAM_ALLOC requests start scanning. */
    public enum StreamGoal {
        /** ≤6.16: s_mb_last_group / s_mb_last_start, global. */
        GLOBAL_LAST,
        /** 6.17+: s_mb_last_groups[ino % s_mb_nr_global_goals], start printed -1, TRY_GOAL cleared. */
        PER_INODE_HASH
    }

    /** Internal criterion numbers (6.5+ enum criteria). */
    public static final int CR_POWER2_ALIGNED = 0;
    public static final int CR_GOAL_LEN_FAST = 1;
    public static final int CR_BEST_AVAIL_LEN = 2;
    public static final int CR_GOAL_LEN_SLOW = 3;
    public static final int CR_ANY_FREE = 4;
    /** Past the last criterion (xarray scanner after a failed search). */
    public static final int CR_NONE = 5;

    public static final KernelGeneration V6_1 = new KernelGeneration("6.1", Scanner.LISTS, 4,
            StreamGoal.GLOBAL_LAST, false, false, false, true, true, 3);
    public static final KernelGeneration V6_5_LISTS = new KernelGeneration("6.5-6.12.76", Scanner.LISTS, 5,
            StreamGoal.GLOBAL_LAST, true, true, true, false, false, 4);
    public static final KernelGeneration V6_12_77 = new KernelGeneration("6.12.77+", Scanner.XARRAY, 5,
            StreamGoal.GLOBAL_LAST, true, true, true, false, false, CR_NONE);
    public static final KernelGeneration V6_17 = new KernelGeneration("6.17+", Scanner.XARRAY, 5,
            StreamGoal.PER_INODE_HASH, true, true, true, false, false, CR_NONE);

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * The generation of a kernel release string such as "6.12.117+deb13-amd64" or "7.3.4". 6.13-6.16
     * got the xarray scanner only from 6.17 on (not backported to those stable series).
     */
    public static KernelGeneration forRelease(String release) {
        Matcher m = RELEASE.matcher(release == null ? "" : release.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised kernel release: " + release);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int stable = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int v = major * 1000 + minor;
        if (v >= 6017) {
            return V6_17;
        }
        if (v == 6012 && stable >= 77) {
            return V6_12_77;
        }
        if (v >= 6005) {
            return V6_5_LISTS;
        }
        return V6_1;
    }

    /** Criterion as the kernel's trace prints it for this generation (6.1 has CR0..CR3). */
    public int traceCriterion(int internal) {
        if (criteria == 5) {
            return internal;
        }
        return switch (internal) {
            case CR_POWER2_ALIGNED -> 0;
            case CR_GOAL_LEN_FAST -> 1;
            case CR_GOAL_LEN_SLOW -> 2;
            default -> 3;
        };
    }

    /**
     * The model's criterion for a pass number the trace printed: 6.1 prints its CR0..CR3 (there is no
     * CR_BEST_AVAIL_LEN before 6.5, so its 2 is the slow goal-length pass and 3 the any-free pass).
     */
    public int internalCriterion(int traced) {
        if (criteria == 5) {
            return traced;
        }
        return switch (traced) {
            case 0 -> CR_POWER2_ALIGNED;
            case 1 -> CR_GOAL_LEN_FAST;
            case 2 -> CR_GOAL_LEN_SLOW;
            case 3 -> CR_ANY_FREE;
            default -> traced + CR_NONE;
        };
    }

    /** A traced pass number by this generation's own name (CR0..CR3 up to 6.4). */
    public String tracedCriterionName(int traced) {
        if (criteria == 5) {
            return criterionName(traced);
        }
        return traced >= 0 && traced <= 3 ? "CR" + traced : "0x" + Integer.toHexString(traced);
    }

    public static String criterionName(int internal) {
        return switch (internal) {
            case CR_POWER2_ALIGNED -> "CR_POWER2_ALIGNED";
            case CR_GOAL_LEN_FAST -> "CR_GOAL_LEN_FAST";
            case CR_BEST_AVAIL_LEN -> "CR_BEST_AVAIL_LEN";
            case CR_GOAL_LEN_SLOW -> "CR_GOAL_LEN_SLOW";
            case CR_ANY_FREE -> "CR_ANY_FREE";
            default -> "0x" + Integer.toHexString(internal);
        };
    }
}
