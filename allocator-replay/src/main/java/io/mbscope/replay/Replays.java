package io.mbscope.replay;

import io.mbscope.replay.fs.CaptureFolder;
import io.mbscope.replay.fs.FsGeometry;
import io.mbscope.replay.fs.FsState;
import io.mbscope.replay.fs.FsStateLoader;
import io.mbscope.replay.fs.Tunables;
import io.mbscope.replay.model.Geometry;
import io.mbscope.replay.model.KernelGeneration;
import io.mbscope.replay.model.MbTunables;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds a {@link ReplayEngine} from the file-system state and tunables of the fs package. */
public final class Replays {

    private static final Pattern STRIPE = Pattern.compile("(?:^|[ ,])stripe=(\\d+)");
    private static final Pattern CPUS = Pattern.compile("\\d+");

    private Replays() {
    }

    /**
     * @param fs            the fs before the trace
     * @param t             tunables in force
     * @param kernelRelease uname -r of the traced kernel (selects the {@link KernelGeneration})
     * @param stripeOption  the stripe= mount option in blocks (0 if none)
     * @param possibleCpus  num_possible_cpus() of the traced machine (6.17+ stream goals; 1 if unknown)
     */
    public static ReplayEngine engine(FsState fs, Tunables t, String kernelRelease, long stripeOption,
                                      int possibleCpus, ReplayOptions opts) {
        FsGeometry g = fs.geometry();
        Geometry geo = geometry(g, stripeOption);
        MbTunables def = MbTunables.defaults(geo, t.mbMaxLinearGroups() > 0, Math.max(1, possibleCpus));
        MbTunables tun = new MbTunables(pos(t.mbStreamReq(), def.streamReq()),
                pos(t.mbGroupPrealloc(), def.groupPrealloc()), pos(t.mbOrder2Req(), def.order2Req()),
                pos(t.mbMaxToScan(), def.maxToScan()), pos(t.mbMinToScan(), def.minToScan()),
                pos(t.mbBestAvailMaxTrimOrder(), def.bestAvailTrimOrder()),
                Math.max(0, t.mbMaxLinearGroups()), t.mbOptimizeScan(), def.nrGlobalGoals());
        ReplayEngine e = new ReplayEngine(geo, tun, KernelGeneration.forRelease(kernelRelease), fs::clusterBitmap, opts);
        // which buddies the mount-time bitmap prefetch generated (matters for 6.1's CR0/CR1 scans)
        e.model().mountState(fs::groupFlags, g.hasGroupDescCsum());
        return e;
    }

    /** Everything from a capture folder: image (or dumpe2fs), meta.txt tunables, release, stripe=, ncpus=. */
    public static ReplayEngine engine(CaptureFolder folder, ReplayOptions opts) throws IOException {
        return engine(folder, FsStateLoader.fromCapture(folder), opts);
    }

    /** As {@link #engine(CaptureFolder, ReplayOptions)} with the folder's initial state already loaded. */
    public static ReplayEngine engine(CaptureFolder folder, FsState fs, ReplayOptions opts) throws IOException {
        Tunables t = folder.tunables(fs.geometry());
        String rel = folder.kernelRelease().orElse("");
        long stripe = 0;
        Matcher m = STRIPE.matcher(folder.metaValue("proc_mounts").orElse(""));
        if (m.find()) {
            stripe = Long.parseLong(m.group(1));
        }
        int cpus = 1;
        Matcher c = CPUS.matcher(folder.metaValue("ncpus").orElse(""));
        if (c.find()) {
            cpus = Integer.parseInt(c.group());
        }
        ReplayEngine e = engine(fs, t, rel, stripe, cpus, opts);
        String mounts = folder.metaValue("proc_mounts").orElse("");
        e.journalMode((fs.geometry().featureCompat() & FsGeometry.COMPAT_HAS_JOURNAL) != 0,
                DATA_WRITEBACK.matcher(mounts).find());
        return e;
    }

    private static final Pattern DATA_WRITEBACK = Pattern.compile("(?:^|[ ,])data=writeback(?:[ ,]|$)");

    /** The model's geometry; s_stripe as ext4_get_stripe_size and the bigalloc alignment check set it. */
    public static Geometry geometry(FsGeometry g, long stripeOption) {
        long bpg = g.blocksPerGroup();
        long stripe;
        if (stripeOption > 0 && stripeOption <= bpg) {
            stripe = stripeOption;
        } else if (g.raidStripeWidth() != 0 && (g.raidStripeWidth() & 0xffffffffL) <= bpg) {
            stripe = g.raidStripeWidth() & 0xffffffffL;
        } else if (g.raidStride() != 0 && g.raidStride() <= bpg) {
            stripe = g.raidStride();
        } else {
            stripe = 0;
        }
        if (stripe <= 1 || (g.clusterRatio() > 1 && stripe % g.clusterRatio() != 0)) {
            stripe = 0;
        }
        return new Geometry(g.blockSizeBits(), g.clusterBits(), g.blocksCount(), g.firstDataBlock(), (int) bpg,
                (int) g.clustersPerGroup(), g.groupCount(), g.flexBg() ? g.logGroupsPerFlex() : 0, stripe);
    }

    private static int pos(int v, int dflt) {
        return v > 0 ? v : dflt;
    }
}
