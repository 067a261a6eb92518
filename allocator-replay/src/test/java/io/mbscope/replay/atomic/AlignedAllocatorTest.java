package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made free-space scenarios for the RFC aligned allocator. */
class AlignedAllocatorTest {

    /** 4 KiB blocks, 2 groups of 32768 blocks: the 7.3.4-4k geometry. */
    static final FsLayout FS4K = FsLayout.simple(4096, 4096, 65536, 32768);

    @Test
    void emptyFileSystemGivesTheGoalGroupsFirstAlignedChunk() {
        FreeSpace space = new FreeSpace(FS4K);
        AlignedAllocator a = new AlignedAllocator(space);
        AlignedAllocator.Outcome o = a.allocate(new AlignedAllocator.Request(32768, 4, 16, false));
        assertThat(o.found()).isTrue();
        assertThat(o.block()).isEqualTo(32768);
        assertThat(o.chunkClusters()).isEqualTo(16);
        assertThat(o.absoluteAligned()).isTrue();
        // the chunk is now used: the next request gets the next aligned chunk of the group
        AlignedAllocator.Outcome next = a.allocate(new AlignedAllocator.Request(32768, 4, 16, false));
        assertThat(next.block()).isEqualTo(32768 + 16);
    }

    @Test
    void goalOnlyChoosesTheGroup() {
        // RFC 3/7 skips ext4_mb_find_by_goal: inside the goal group the buddy's first free chunk of
        // the smallest sufficient order wins, even before the goal block.
        FreeSpace space = new FreeSpace(FS4K);
        space.markUsed(0, 100);
        AlignedAllocator.Outcome o = new AlignedAllocator(space).find(new AlignedAllocator.Request(1000, 4, 4, false));
        // [100, 32768) splits into buddy chunks 100+4 (order 2), 104+8, 112+16, 128+128, ...
        assertThat(o.block()).isEqualTo(100);
        assertThat(o.order()).isEqualTo(2);
        AlignedAllocator.Outcome eight = new AlignedAllocator(space).find(new AlignedAllocator.Request(1000, 8, 8, false));
        assertThat(eight.block()).isEqualTo(104);
    }

    @Test
    void smallestSufficientOrderBeatsLowerAddress() {
        FreeSpace space = new FreeSpace(FS4K);
        space.markUsed(0, 32768);
        space.markFree(0, 64); // an order-6 chunk at 0
        space.markFree(200, 4); // an order-2 chunk at 200
        AlignedAllocator.Outcome o = new AlignedAllocator(space).find(new AlignedAllocator.Request(0, 4, 4, false));
        assertThat(o.block()).isEqualTo(200);
    }

    @Test
    void fragmentedFileSystemWithoutAnAlignedChunkFails() {
        FreeSpace space = new FreeSpace(FS4K);
        for (long c = 0; c < space.clusterCount(); c += 2) {
            space.markUsed(c, 1); // every even cluster used: free runs of 1 at odd positions
        }
        AlignedAllocator a = new AlignedAllocator(space);
        assertThat(a.find(new AlignedAllocator.Request(32768, 2, 2, false)).found()).isFalse();
        assertThat(a.find(new AlignedAllocator.Request(32768, 2, 8, true)).found()).isFalse();
        AlignedAllocator.Outcome one = a.find(new AlignedAllocator.Request(32768, 1, 1, false));
        assertThat(one.found()).isTrue();
        assertThat(one.block()).isEqualTo(32769);
    }

    @Test
    void fallbackToTheOriginalLengthIsASwitch() {
        FreeSpace space = new FreeSpace(FS4K);
        for (long c = 0; c < space.clusterCount(); c += 4) {
            space.markUsed(c + 2, 2); // free runs [4k, 4k+2): order-1 chunks only
        }
        AlignedAllocator a = new AlignedAllocator(space);
        AlignedAllocator.Outcome rfc = a.find(new AlignedAllocator.Request(0, 2, 8, false));
        assertThat(rfc.found()).isFalse();
        AlignedAllocator.Outcome fb = a.find(new AlignedAllocator.Request(0, 2, 8, true));
        assertThat(fb.found()).isTrue();
        assertThat(fb.fellBack()).isTrue();
        assertThat(fb.chunkClusters()).isEqualTo(2);
        assertThat(fb.block()).isEqualTo(0);
    }

    @Test
    void oneKilobyteBlocksAreAlignedOnlyInsideTheirGroup() {
        // 1 KiB blocks: s_first_data_block = 1, so group 0's buddy offset 0 is block 1.
        FsLayout fs1k = new FsLayout(1024, 1024, 65536, 1, 8192, 8192, 2048, 16, true, false);
        FreeSpace space = new FreeSpace(fs1k);
        AlignedAllocator.Outcome o = new AlignedAllocator(space).find(new AlignedAllocator.Request(1, 4, 4, false));
        assertThat(o.block()).isEqualTo(1);
        assertThat(o.absoluteAligned()).isFalse();
    }

    @Test
    void firstAlignedFreeRunAfterTheGoal() {
        FreeSpace space = new FreeSpace(FS4K);
        AlignedAllocator a = new AlignedAllocator(space);
        assertThat(a.firstAlignedFreeAfter(1000, 4)).isEqualTo(1000);
        assertThat(a.firstAlignedFreeAfter(1001, 4)).isEqualTo(1004);
        space.markUsed(1000, 10); // blocks 1000..1009
        assertThat(a.firstAlignedFreeAfter(1000, 4)).isEqualTo(1012);
        assertThat(a.firstAlignedFreeAfter(1000, 16)).isEqualTo(1024);
        // a run may not cross the group boundary at 32768
        space.markUsed(32768 + 8, 32768 - 8);
        space.markUsed(0, 32760);
        assertThat(a.firstAlignedFreeAfter(32760, 16)).isEqualTo(-1);
        assertThat(a.firstAlignedFreeAfter(32760, 8)).isEqualTo(32760);
        // wraps to the start of the file system
        space.markFree(64, 64);
        assertThat(a.firstAlignedFreeAfter(40000, 64)).isEqualTo(64);
    }

    @Test
    void tooLargeForTheBuddyFails() {
        FreeSpace space = new FreeSpace(FS4K);
        // 4 KiB blocks: orders 0..13, 2^14 clusters cannot be one buddy chunk
        assertThat(new AlignedAllocator(space).find(new AlignedAllocator.Request(0, 1 << 14, 1 << 14, false)).found())
                .isFalse();
        assertThat(new AlignedAllocator(space).find(new AlignedAllocator.Request(0, 1 << 13, 1 << 13, false)).found())
                .isTrue();
    }
}
