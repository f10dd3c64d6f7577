package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceKernels;
import io.tickgrad.tensor.Slab;
import org.junit.jupiter.api.Test;

/** QLIKE by hand, at its edges, and the native kernel against the reference there (the random cases are in
 * NativeVsReferenceOpsTest and ReferenceKernelsGradientTest). */
class QlikeLossTest {
    @Test
    void shouldMatchHandComputedValuesAndGradients() {
        // rows: (s = ln 1, y = 2): 2 - ln 2 - 1; (s = ln 4, y = 1): 1/4 + ln 4 - 1; (s = 0.5, y = 0): 0.5
        double[] s = {0, Math.log(4), 0.5};
        double[] y = {2, 1, 0};
        double[] g = {9, 9, 9};
        double loss = ReferenceKernels.loss(g, 0, s, 0, y, 0, null, 0, 3, 1, Abi.LOSS_QLIKE, 0f);
        double l0 = 2 - Math.log(2) - 1;
        double l1 = 0.25 + Math.log(4) - 1;
        assertEquals((l0 + l1 + 0.5) / 3, loss, 1e-15);
        assertEquals((1 - 2) / 3.0, g[0], 1e-15);
        assertEquals((1 - 0.25) / 3.0, g[1], 1e-15);
        assertEquals(1 / 3.0, g[2], 1e-15);
        // zero at the truth, whatever the level
        double[] gz = new double[2];
        assertEquals(0, ReferenceKernels.loss(gz, 0, new double[] {Math.log(1e-6), Math.log(3e4)}, 0,
            new double[] {1e-6, 3e4}, 0, null, 0, 2, 1, Abi.LOSS_QLIKE, 0f), 1e-12);
        assertEquals(0, gz[0], 1e-12);
        assertEquals(0, gz[1], 1e-12);
        assertEquals("qlike", Loss.fromName("qlike").name());
    }

    @Test
    void shouldStayFiniteAndAgreeWithTheReferenceAtExtremeForecasts() {
        // forecasts 1e-87 and 1e87 times the realised variance: e^d capped at e^80, nothing overflows
        float[] s = {-200f, 200f, -200f, 88f, 0f};
        float[] y = {1f, 1f, 0f, 3e38f, 1e-30f};
        try (NativeCpuBackend nat = NativeCpuBackend.create();
             Slab ps = Slab.ofFloats("s", s.length); Slab ys = Slab.ofFloats("y", y.length);
             Slab gs = Slab.ofFloats("g", s.length)) {
            ps.putFloats(0, s, 0, s.length);
            ys.putFloats(0, y, 0, y.length);
            for (int i = 0; i < s.length; i++) {
                gs.putFloat(i, Float.NaN);   // poisoned
            }
            float loss = nat.loss(gs.address(), ps.address(), ys.address(), 0, s.length, 1, Abi.LOSS_QLIKE, 0f);
            double[] sd = new double[s.length];
            double[] yd = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                sd[i] = s[i];
                yd[i] = y[i];
            }
            double[] gRef = new double[s.length];
            double ref = ReferenceKernels.loss(gRef, 0, sd, 0, yd, 0, null, 0, s.length, 1, Abi.LOSS_QLIKE, 0f);
            assertTrue(Float.isFinite(loss), "loss " + loss);
            // computed in double by both, rounded to float once by the kernel: 1e-6 relative covers that rounding
            assertEquals(ref, loss, 1e-6 * Math.abs(ref));
            for (int i = 0; i < s.length; i++) {
                assertTrue(Float.isFinite(gs.getFloat(i)), "grad " + i);
                assertEquals(gRef[i], gs.getFloat(i), 1e-6 * Math.abs(gRef[i]) + 1e-12, "grad " + i);
            }
        }
    }
}
