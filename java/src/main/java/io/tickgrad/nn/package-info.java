/**
 * Layers, the sequential {@link io.tickgrad.nn.Network}, and the {@link io.tickgrad.nn.Backend} seam that every op
 * runs through: the reference backend (Java, double precision, the oracle), the native CPU backend
 * ({@code nn.cpu}) and the CUDA backend ({@code nn.cuda}).
 *
 * <p>A network keeps all of its memory off-heap in slabs it owns (parameters, gradients, activations, the forward
 * plan, packed reduced-precision weights) and frees them in {@link io.tickgrad.nn.Network#close()}; the backend is
 * borrowed. Shapes are row-major: input rows [batch, inputs], output rows [batch, outputs], dense weights [in, out]
 * (Keras' kernel layout). Predicting is one native call that allocates nothing, on the caller's thread; a network
 * is used by one thread at a time. {@link io.tickgrad.nn.Precision} chooses fp32, bf16 or int8 weights for
 * predicting.
 */
package io.tickgrad.nn;
