/**
 * The native CPU backend: each op one JNI call into libtickgrad's fp32 kernels (AVX-512, AVX2 with FMA, or portable
 * code, chosen at run time) and its bf16 and int8 inference kernels. Its only native memory is a small scratch slab,
 * freed by {@code close()}.
 */
package io.tickgrad.nn.cpu;
