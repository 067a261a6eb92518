package io.mbscope.replay.model;

/**
 * The mballoc tunables a decision depends on (sysfs /sys/fs/ext4/<dev>/ and mount options), in
 * the kernel's units. Defaults follow ext4_mb_init / __ext4_fill_super of the modelled kernels.
 *
 * @param streamReq          mb_stream_req (blocks)
 * @param groupPrealloc      mb_group_prealloc (clusters, already stripe-rounded by ext4_mb_init)
 * @param order2Req          mb_order2_req
 * @param maxToScan          mb_max_to_scan
 * @param minToScan          mb_min_to_scan
 * @param bestAvailTrimOrder mb_best_avail_max_trim_order (6.5+)
 * @param maxLinearGroups    mb_max_linear_groups
 * @param optimizeScan       mount option mb_optimize_scan as in effect
 * @param nrGlobalGoals      s_mb_nr_global_goals (6.17+): min(possible CPUs, ceil(groups / 4))
 */
public record MbTunables(int streamReq, int groupPrealloc, int order2Req, int maxToScan, int minToScan,
                         int bestAvailTrimOrder, int maxLinearGroups, boolean optimizeScan, int nrGlobalGoals) {

    /**
     * Kernel defaults for a geometry: group prealloc max(512 >> cluster_bits, 32) rounded up to the
     * stripe in clusters; mb_optimize_scan on iff groups >= 16; linear groups 4 on rotational
     * devices, 0 otherwise.
     */
    public static MbTunables defaults(Geometry g, boolean rotational, int possibleCpus) {
        int gp = Math.max(512 >> g.clusterBits(), 32);
        if (g.stripe() > 1) {
            int sc = (int) g.numB2C(g.stripe());
            gp = (gp + sc - 1) / sc * sc;
        }
        int goals = Math.max(1, Math.min(possibleCpus, (g.groupCount() + 3) / 4));
        return new MbTunables(16, gp, 2, 200, 10, 3, rotational ? 4 : 0, g.groupCount() >= 16, goals);
    }

    public MbTunables withOptimizeScan(boolean on) {
        return new MbTunables(streamReq, groupPrealloc, order2Req, maxToScan, minToScan, bestAvailTrimOrder,
                maxLinearGroups, on, nrGlobalGoals);
    }
}
