package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalisation over the features of each row (biased variance, eps inside the square root,
 * as Keras and PyTorch), with a learned scale {@code <name>.gamma} and shift {@code <name>.beta}.
 */
public final class LayerNorm extends Layer {
    /** Keras' default epsilon. */
    public static final float DEFAULT_EPS = 1e-3f;

    private final float eps;
    private ParamEntry gamma;
    private ParamEntry beta;

    /**
     * Creates an unbound layer-norm layer.
     *
     * @param name the layer's name
     * @param eps  added to the variance before the square root; finite and &gt; 0
     * @throws IllegalArgumentException when eps is not finite and positive
     */
    public LayerNorm(String name, float eps) {
        super(name);
        if (!(eps > 0 && Float.isFinite(eps))) {
            throw new IllegalArgumentException("layer norm '" + name + "': eps must be finite and > 0, got " + eps);
        }
        this.eps = eps;
    }

    /**
     * The epsilon inside the square root.
     *
     * @return eps
     */
    public float eps() {
        return eps;
    }

    /**
     * The scale tensor, shape [dim].
     *
     * @return the entry, or null before binding
     */
    public ParamEntry gamma() {
        return gamma;
    }

    /**
     * The shift tensor, shape [dim].
     *
     * @return the entry, or null before binding
     */
    public ParamEntry beta() {
        return beta;
    }

    @Override
    public String type() {
        return "layer_norm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("epsilon", (double) eps);
        return c;
    }

    @Override
    public Layer copy() {
        return new LayerNorm(name(), eps);
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public boolean isTrainable() {
        return gamma.trainable() || beta.trainable();
    }

    @Override
    protected int outputWidth(int in) {
        return in;
    }

    @Override
    protected void declareParameters(ParamTable.Builder table) {
        table.add(name() + ".gamma", inFeatures());
        table.add(name() + ".beta", inFeatures());
    }

    @Override
    protected void resolveParameters(ParamTable table) {
        gamma = table.get(name() + ".gamma");
        beta = table.get(name() + ".beta");
    }

    /** mean[maxBatch] then rstd[maxBatch]. */
    @Override
    protected long auxFloats(int maxBatch) {
        return 2L * maxBatch;
    }

    private static long rstdAddress(long aux, int maxBatch) {
        return aux + (long) maxBatch * Float.BYTES;
    }

    // The network lays aux out for maxBatch rows; rstd follows mean at a fixed distance set at bind time.
    private int maxBatch;

    void setMaxBatch(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    @Override
    protected void forward(Backend backend, long params, long x, long y, long aux, int batch, boolean training,
                           long seed) {
        backend.layerNormForward(y, aux, rstdAddress(aux, maxBatch), x, params + gamma.offset() * Float.BYTES,
            params + beta.offset() * Float.BYTES, batch, inFeatures(), eps);
    }

    @Override
    protected void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y, long aux,
                            int batch) {
        long dg = gamma.trainable() ? grads + gamma.offset() * Float.BYTES : 0;
        long db = beta.trainable() ? grads + beta.offset() * Float.BYTES : 0;
        if (dx == 0 && dg == 0 && db == 0) {
            return;
        }
        backend.layerNormBackward(dx, dg, db, dy, x, aux, rstdAddress(aux, maxBatch),
            params + gamma.offset() * Float.BYTES, batch, inFeatures());
    }

    /** The kernel always writes dx, so the network supplies a scratch buffer even for the first layer. */
    @Override
    protected boolean writesInputGradientAlways() {
        return true;
    }

    @Override
    protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
        planEntry(plan, index, Abi.OP_LAYERNORM, inFeatures(), inFeatures(), gamma.offset(), beta.offset(),
            xOffset, yOffset, 0, eps);
        return true;
    }
}
