package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import io.mbscope.replay.ReplayEngine;
import io.mbscope.replay.ReplayOptions;
import io.mbscope.replay.Replays;
import io.mbscope.replay.fs.CaptureFolder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFC policy on the allocator model's buddy groups answers as on the what-if's own bitmap when
 * both start from the same capture.
 */
class ModelClusterSpaceTest {

    @ParameterizedTest
    @ValueSource(strings = {"7.3.4-4k", "6.18.44-1k", "7.3.4-bigalloc64k"})
    void sameFreeRunsAndSameAlignedChoices(String folder) throws Exception {
        AtomicContext ctx = AtomicContext.fromFolder(Samples.folder(folder), Policy.RFC, null);
        ReplayEngine engine = Replays.engine(CaptureFolder.open(Samples.folder(folder)), ReplayOptions.defaults());
        ModelClusterSpace model = new ModelClusterSpace(engine.model(), ctx.fs());
        FreeSpace own = Samples.initialSpace(ctx, folder);
        long c = 0;
        int runs = 0;
        while (c < own.clusterCount()) {
            long f = own.nextFree(c);
            assertThat(model.nextFree(c)).as("nextFree(" + c + ")").isEqualTo(f);
            if (f >= own.clusterCount()) {
                break;
            }
            long u = own.nextUsed(f);
            assertThat(model.nextUsed(f)).as("nextUsed(" + f + ")").isEqualTo(u);
            runs++;
            c = u < 0 ? own.clusterCount() : u;
        }
        assertThat(runs).isPositive();
        AlignedAllocator onModel = new AlignedAllocator(model);
        AlignedAllocator onOwn = new AlignedAllocator(own);
        for (long g = 0; g < ctx.fs().groupCount(); g++) {
            long goal = ctx.fs().groupFirstBlock(g);
            for (int k = 0; k <= 8; k++) {
                AlignedAllocator.Request r = new AlignedAllocator.Request(goal, 1L << k, 1L << Math.min(k + 2, 8), false);
                assertThat(onModel.find(r)).as("group " + g + " order " + k).isEqualTo(onOwn.find(r));
            }
        }
        // allocating on the model marks its buddy: the next find moves on
        AlignedAllocator.Request r = new AlignedAllocator.Request(ctx.fs().groupFirstBlock(0), 4, 4, false);
        AlignedAllocator.Outcome first = onModel.allocate(r);
        assertThat(first.found()).isTrue();
        assertThat(model.nextUsed(first.cluster())).isEqualTo(first.cluster());
        assertThat(onModel.find(r).cluster()).isNotEqualTo(first.cluster());
    }
}
