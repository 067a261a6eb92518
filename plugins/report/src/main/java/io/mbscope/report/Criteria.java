package io.mbscope.report;

/**
 * Names of mballoc's allocation criteria as the kernel prints them. The numbering changed in 6.5
 * when CR1.5 (CR_BEST_AVAIL_LEN) was inserted in the middle: 2 and 3 mean different passes before
 * and after, so the name depends on the traced kernel's release.
 */
public final class Criteria {
    private static final String[] NEW = {
        "CR_POWER2_ALIGNED", "CR_GOAL_LEN_FAST", "CR_BEST_AVAIL_LEN", "CR_GOAL_LEN_SLOW", "CR_ANY_FREE"};
    private static final String[] OLD = {"CR0", "CR1", "CR2", "CR3"};

    private Criteria() {
    }

    /**
     * The criterion's name for the given kernel release ({@code uname -r}); null release means a
     * kernel that prints symbolic names (6.5+), the common case for traces that carry no release.
     */
    public static String name(int cr, String kernelRelease) {
        String[] names = oldNumbering(kernelRelease) ? OLD : NEW;
        if (cr >= 0 && cr < names.length) {
            return names[cr];
        }
        // 6.5+: ac_criteria runs one past CR_ANY_FREE when every group failed; printed as hex
        return "0x" + Integer.toHexString(cr);
    }

    /** Number of criteria the kernel has (the largest valid cr + 1). */
    public static int count(String kernelRelease) {
        return oldNumbering(kernelRelease) ? OLD.length : NEW.length;
    }

    /** True for kernels before 6.5, whose ext4_mballoc_alloc printed {@code cr %u} with four criteria. */
    static boolean oldNumbering(String kernelRelease) {
        if (kernelRelease == null) {
            return false;
        }
        int[] v = KernelVersion.parse(kernelRelease);
        return v != null && (v[0] < 6 || (v[0] == 6 && v[1] < 5));
    }
}
