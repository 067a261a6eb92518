package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made cases; expected values read off fs/ext4/file.c, fs/read_write.c, fs/ext4/super.c (7.3.4). */
class MainlineRulesTest {
    static final KernelVersion K73 = KernelVersion.parse("7.3.4+deb13-amd64");
    static final KernelVersion K612 = KernelVersion.parse("6.12.117+deb13-amd64");
    static final KernelVersion K610 = KernelVersion.parse("6.10.3");
    static final KernelVersion K614 = KernelVersion.parse("6.14.1");
    static final FsLayout FS4K = FsLayout.simple(4096, 4096, 65536, 32768);
    static final FsLayout BIG64 = FsLayout.simple(4096, 65536, 65536, 524288);
    static final DeviceAtomicLimits DEV = new DeviceAtomicLimits(1024, 65536, 65536, 0);

    static AtomicWrite w(long off, long len) {
        return new AtomicWrite(off, len, 1, AtomicWrite.RWF_ATOMIC, true, true);
    }

    @Test
    void versionParsing() {
        assertThat(KernelVersion.parse("6.18.44-fc-v657")).isEqualTo(new KernelVersion(6, 18, 44));
        assertThat(KernelVersion.parse("7.3")).isEqualTo(new KernelVersion(7, 3, 0));
        assertThat(K612.atLeast(6, 13)).isFalse();
        assertThat(K73.atLeast(6, 16)).isTrue();
    }

    @Test
    void unitsFollowBlockClusterAndDevice() {
        // s_awu_min = max(4096, 1024); s_awu_max = min(cluster, 65536)
        assertThat(MainlineRules.fsUnits(K73, FS4K, DEV)).isEqualTo(new MainlineRules.FsUnits(4096, 4096));
        assertThat(MainlineRules.fsUnits(K73, BIG64, DEV)).isEqualTo(new MainlineRules.FsUnits(4096, 65536));
        // before 6.16 bigalloc did not raise the maximum above one block
        assertThat(MainlineRules.fsUnits(K614, BIG64, DEV)).isEqualTo(new MainlineRules.FsUnits(4096, 4096));
        // device unit max below the block size: min > max -> no support
        assertThat(MainlineRules.fsUnits(K73, FS4K, new DeviceAtomicLimits(512, 2048, 2048, 0)).supported()).isFalse();
        assertThat(MainlineRules.fsUnits(K73, FS4K, DeviceAtomicLimits.NONE).supported()).isFalse();
    }

    @Test
    void checkOrderOf73() {
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, w(0, 4096))).isEqualTo(Verdict.ok());
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, w(0, 2048)).reason()).isEqualTo(Reason.BELOW_UNIT_MIN);
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, w(0, 8192)).reason()).isEqualTo(Reason.ABOVE_UNIT_MAX);
        // length bounds come before the O_DIRECT rule: buffered 16K is EINVAL, buffered 4K EOPNOTSUPP
        AtomicWrite buffered16 = new AtomicWrite(0, 16384, 1, AtomicWrite.RWF_ATOMIC, false, true);
        AtomicWrite buffered4 = new AtomicWrite(0, 4096, 1, AtomicWrite.RWF_ATOMIC, false, true);
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, buffered16).errno()).isEqualTo(Errno.EINVAL);
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, buffered4))
                .isEqualTo(Verdict.of(Errno.EOPNOTSUPP, Reason.NOT_DIRECT));
        AtomicWrite twoVec = new AtomicWrite(0, 4096, 2, AtomicWrite.RWF_ATOMIC, true, true);
        assertThat(MainlineRules.precheck(K73, FS4K, DEV, twoVec).reason()).isEqualTo(Reason.MULTI_SEGMENT);
        assertThat(MainlineRules.precheck(K73, BIG64, DEV, w(0, 12288)).reason()).isEqualTo(Reason.NOT_POWER_OF_TWO);
        assertThat(MainlineRules.precheck(K73, BIG64, DEV, w(4096, 8192)).reason())
                .isEqualTo(Reason.MISALIGNED_OFFSET);
        assertThat(MainlineRules.precheck(K73, BIG64, DEV, w(65536, 65536))).isEqualTo(Verdict.ok());
    }

    @Test
    void olderKernelsAndIncapableDevices() {
        assertThat(MainlineRules.precheck(K610, FS4K, DEV, w(0, 4096)))
                .isEqualTo(Verdict.of(Errno.EOPNOTSUPP, Reason.NO_RWF_ATOMIC));
        assertThat(MainlineRules.precheck(K612, FS4K, DEV, w(0, 2048)))
                .isEqualTo(Verdict.of(Errno.EOPNOTSUPP, Reason.FS_NO_ATOMIC));
        assertThat(MainlineRules.precheck(K73, FS4K, DeviceAtomicLimits.NONE, w(1, 3)))
                .isEqualTo(Verdict.of(Errno.EOPNOTSUPP, Reason.DEVICE_NO_ATOMIC));
    }

    @Test
    void statxPerVersion() {
        assertThat(MainlineRules.statx(K612, FS4K, DEV, true)).isEqualTo(StatxPrediction.NOT_REPORTED);
        assertThat(MainlineRules.statx(K73, FS4K, DeviceAtomicLimits.NONE, true))
                .isEqualTo(new StatxPrediction(true, 0, 0, 0, false));
        assertThat(MainlineRules.statx(K73, BIG64, DEV, true)).isEqualTo(new StatxPrediction(true, 4096, 65536, 1, true));
        assertThat(MainlineRules.statx(K73, BIG64, DEV, false)).isEqualTo(new StatxPrediction(true, 0, 0, 0, false));
    }

    @Test
    void rfcRules() {
        DeviceAtomicLimits dev612 = new DeviceAtomicLimits(1024, 524288, 4194304, 0);
        // RFC 7/7: min = max(dev min, block), max = dev max; bigalloc 0/0
        assertThat(RfcRules.statx(FS4K, dev612, true)).isEqualTo(new StatxPrediction(true, 4096, 524288, 0, true));
        assertThat(RfcRules.statx(BIG64, dev612, true)).isEqualTo(new StatxPrediction(true, 0, 0, 0, false));
        assertThat(RfcRules.precheck(BIG64, dev612, w(0, 4096), false).reason()).isEqualTo(Reason.RFC_BIGALLOC);
        assertThat(RfcRules.precheck(FS4K, dev612, w(0, 6144), false).reason()).isEqualTo(Reason.RFC_NOT_BLOCK_MULTIPLE);
        assertThat(RfcRules.precheck(FS4K, dev612, w(0, 12288), false).reason()).isEqualTo(Reason.RFC_NOT_POWER_OF_TWO);
        assertThat(RfcRules.precheck(FS4K, dev612, w(4096, 8192), false).reason())
                .isEqualTo(Reason.RFC_MISALIGNED_OFFSET);
        assertThat(RfcRules.precheck(FS4K, dev612, w(0, 1 << 20), false).reason()).isEqualTo(Reason.RFC_DEVICE_LIMITS);
        assertThat(RfcRules.precheck(FS4K, dev612, w(0, 1 << 19), false)).isEqualTo(Verdict.ok());
        FsLayout journal = new FsLayout(4096, 4096, 65536, 0, 32768, 32768, 8192, 16, true, true);
        assertThat(RfcRules.precheck(journal, dev612, w(0, 8192), true))
                .isEqualTo(Verdict.of(Errno.EIO, Reason.RFC_DATA_JOURNAL));
        assertThat(RfcRules.precheck(journal, dev612, w(0, 8192), false).reason())
                .isEqualTo(Reason.DATA_JOURNAL_BUFFERED);
    }
}
