/**
 * Off-heap memory: {@link io.tickgrad.tensor.Slab}, 64-byte-aligned native memory seen through an Agrona buffer and
 * freed only by its {@code close()}, and {@link io.tickgrad.tensor.ParamTable}, the layout (name, shape, float
 * offset, trainable) that the parameter, gradient and optimizer-state slabs all share, so an optimizer step is a
 * flat loop and freezing is a flag. A slab belongs to one owner, which publishes it to other threads itself.
 */
package io.tickgrad.tensor;
