/**
 * The reference backend: every op of tickgrad.h in double precision with plain loops, the oracle that the native
 * CPU and CUDA kernels are tested against (fresh random inputs, outputs poisoned first). Slow by design: operands
 * are copied into double scratch arrays (reused after warm-up), so one instance serves one thread.
 */
package io.tickgrad.nn.reference;
