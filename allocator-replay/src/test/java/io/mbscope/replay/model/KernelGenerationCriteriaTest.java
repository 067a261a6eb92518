package io.mbscope.replay.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pass numbers printed by ext4_mballoc_alloc ("cr %d") mean different passes per kernel: 6.1's
 * ext4_mb_regular_allocator runs cr 0..3 (CR0, CR1, CR2 = goal length slow, CR3 = any free), 6.5
 * inserted CR_BEST_AVAIL_LEN as 2 and renumbered the slow passes to 3 and 4 (fs/ext4/ext4.h enum
 * criteria).
 */
class KernelGenerationCriteriaTest {

    @Test
    void sixOnePassTwoIsTheSlowGoalLengthPassNotBestAvail() {
        KernelGeneration g = KernelGeneration.forRelease("6.1.0-56-amd64");
        assertThat(g.internalCriterion(2)).isEqualTo(KernelGeneration.CR_GOAL_LEN_SLOW);
        assertThat(g.internalCriterion(3)).isEqualTo(KernelGeneration.CR_ANY_FREE);
        assertThat(g.tracedCriterionName(2)).isEqualTo("CR2");
        for (int traced = 0; traced <= 3; traced++) {
            assertThat(g.traceCriterion(g.internalCriterion(traced))).isEqualTo(traced);
        }
    }

    @Test
    void fromSixFiveTheTracedNumberIsTheEnum() {
        KernelGeneration g = KernelGeneration.forRelease("6.18.44");
        assertThat(g.internalCriterion(2)).isEqualTo(KernelGeneration.CR_BEST_AVAIL_LEN);
        assertThat(g.internalCriterion(4)).isEqualTo(KernelGeneration.CR_ANY_FREE);
        assertThat(g.tracedCriterionName(2)).isEqualTo("CR_BEST_AVAIL_LEN");
    }
}
