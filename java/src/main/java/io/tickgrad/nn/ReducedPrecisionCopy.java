package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.tensor.Slab;

/**
 * The inference copy of a network's dense weights at bf16 or int8: one byte slab of packed weights (each layer
 * 64-byte aligned) and a forward plan whose dense entries read it. Built from the fp32 plan; {@link #refresh} packs
 * the current fp32 weights again (after training or a weight publication) without allocating.
 *
 * <p>A dense layer whose fp32 weights take at most {@code smallestReducedBytes} keeps its fp32 entry: weights that
 * small stay in the L1 cache between predictions, so fewer bytes save no time and the conversion only adds work.
 * When no layer is reduced, {@link #reducedLayers()} is 0 and the network predicts with its fp32 plan.
 */
final class ReducedPrecisionCopy implements AutoCloseable {
    private final Precision precision;
    private final Backend backend;
    private final Slab packed;
    private final Slab plan;
    private final int ops;
    private final long[] weightOffsets;   // float offsets of each dense W in the parameter slab
    private final long[] packedOffsets;   // byte offsets of its packed copy
    private final int[] ins;
    private final int[] outs;
    private final int reducedLayers;
    private final long smallestReducedBytes;

    ReducedPrecisionCopy(Precision precision, Backend backend, long[] fp32Plan, int ops, Slab params,
                         long smallestReducedBytes) {
        if (precision == Precision.FP32) {
            throw new IllegalArgumentException("an fp32 network needs no reduced-precision copy");
        }
        if (!backend.supportsPrecision(precision)) {
            throw new IllegalArgumentException("backend " + backend.name() + " cannot predict with "
                + precision.label() + " weights; use the native CPU backend or fp32");
        }
        this.precision = precision;
        this.backend = backend;
        this.ops = ops;
        int dense = 0;
        for (int i = 0; i < ops; i++) {
            int e = i * Abi.PLAN_WORDS;
            if (fp32Plan[e] == Abi.OP_DENSE && fp32Plan[e + 1] * fp32Plan[e + 2] * Float.BYTES > smallestReducedBytes) {
                dense++;
            }
        }
        this.reducedLayers = dense;
        this.smallestReducedBytes = smallestReducedBytes;
        weightOffsets = new long[dense];
        packedOffsets = new long[dense];
        ins = new int[dense];
        outs = new int[dense];
        long[] words = fp32Plan.clone();
        int op = precision == Precision.BF16 ? Abi.OP_DENSE_BF16 : Abi.OP_DENSE_INT8;
        long bytes = 0;
        for (int i = 0, d = 0; i < ops; i++) {
            int e = i * Abi.PLAN_WORDS;
            if (words[e] != Abi.OP_DENSE || words[e + 1] * words[e + 2] * Float.BYTES <= smallestReducedBytes) {
                continue;
            }
            ins[d] = (int) words[e + 1];
            outs[d] = (int) words[e + 2];
            weightOffsets[d] = words[e + 3];
            packedOffsets[d] = bytes;
            long size = backend.packedWeightBytes(precision, ins[d], outs[d]);
            if (size < 1) {
                throw new IllegalArgumentException("a dense layer of " + ins[d] + " inputs and " + outs[d]
                    + " outputs cannot be packed at " + precision.label());
            }
            words[e] = op;
            words[e + 3] = bytes;
            bytes = (bytes + size + 63) / 64 * 64;
            d++;
        }
        Slab p = null;
        Slab pl = null;
        try {
            p = Slab.ofBytes("weights-" + precision.label(), Math.max(64, bytes));
            pl = Slab.ofBytes("plan-" + precision.label(), (long) ops * Abi.PLAN_WORDS * Long.BYTES);
            for (int i = 0; i < ops * Abi.PLAN_WORDS; i++) {
                pl.buffer().putLong(i * Long.BYTES, words[i]);
            }
        } catch (RuntimeException | Error e) {
            if (p != null) {
                p.close();
            }
            throw e;
        }
        this.packed = p;
        this.plan = pl;
        refresh(params);
    }

    Precision precision() {
        return precision;
    }

    long smallestReducedBytes() {
        return smallestReducedBytes;
    }

    /** Dense layers that predict with packed weights (the others keep fp32). */
    int reducedLayers() {
        return reducedLayers;
    }

    /** Packs the current fp32 weights of {@code params} again. */
    void refresh(Slab params) {
        for (int d = 0; d < weightOffsets.length; d++) {
            backend.packWeights(precision, packed.address() + packedOffsets[d],
                params.address() + weightOffsets[d] * Float.BYTES, ins[d], outs[d]);
        }
    }

    void predict(long activations, long params, int batch) {
        backend.planForwardQuantized(activations, params, packed.address(), plan.address(), ops, batch);
    }

    /** Bytes of packed weights (the dense layers' share of what a predict reads). */
    long packedBytes() {
        return packed.byteLength();
    }

    @Override
    public void close() {
        packed.close();
        plan.close();
    }
}
