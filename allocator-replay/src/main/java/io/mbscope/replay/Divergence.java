package io.mbscope.replay;

/**
 * One field on which the model and the kernel disagree.
 *
 * @param timestampNs ext4_allocate_blocks time of the request
 * @param ino         inode
 * @param field       the field
 * @param kernel      the kernel's value as printed
 * @param model       the model's value
 * @param cause       classification
 * @param rule        the classification rule that fired, with the evidence
 */
public record Divergence(long timestampNs, long ino, Field field, String kernel, String model,
                         DivergenceClass cause, String rule) {
}
