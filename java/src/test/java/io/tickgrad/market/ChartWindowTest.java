package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

class ChartWindowTest {

    @Test
    void shouldUpsampleTwoPointsLinearlyAndNormalise() {
        float[] out = new float[5];
        ChartWindow.resampleNormalized(new double[] {0, 10}, 0, 2, 5, out, 0);
        double norm = Math.sqrt(0 + 6.25 + 25 + 56.25 + 100);
        assertWindow(new double[] {0 / norm, 2.5 / norm, 5 / norm, 7.5 / norm, 10 / norm}, out);
    }

    @Test
    void shouldMatchUpstreamsFormulaWorkedByHand() {
        // upstream interpolateArray([1, 3, 2], 5): springFactor 0.5; i=1: t=0.5 -> 1+(3-1)*0.5 = 2;
        // i=2: t=1 -> 3 (floor = ceil); i=3: t=1.5 -> 3+(2-3)*0.5 = 2.5; endpoints 1 and 2
        float[] out = new float[5];
        ChartWindow.resampleNormalized(new double[] {1, 3, 2}, 0, 3, 5, out, 0);
        double norm = Math.sqrt(1 + 4 + 9 + 6.25 + 4);
        assertWindow(new double[] {1 / norm, 2 / norm, 3 / norm, 2.5 / norm, 2 / norm}, out);

        // downsampling 7 -> 3: springFactor 3, the middle point is x[3] exactly
        ChartWindow.resampleNormalized(new double[] {5, 6, 7, 8, 9, 10, 11}, 0, 7, 3, out, 1);
        double n2 = Math.sqrt(25 + 64 + 121);
        assertWindow(new double[] {5 / n2, 8 / n2, 11 / n2}, java.util.Arrays.copyOfRange(out, 1, 4));
    }

    @Test
    void shouldKeepBothEndpointsAndBeScaleInvariant() {
        double[] prices = new double[137];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 100 + (i % 17) * 0.25 - (i % 5);
        }
        float[] a = ChartWindow.upstreamWindow(prices);
        assertEquals(400, a.length);
        double sq = 0;
        for (float v : a) {
            sq += (double) v * v;
        }
        assertEquals(1.0, sq, 1e-6);
        assertEquals(a[0] / a[399], prices[0] / prices[136], 1e-6);
        double[] scaled = prices.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 64; // a power of two: exact, so the normalised window is bit-identical
        }
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(ChartWindow.upstreamWindow(scaled)));
    }

    @Test
    void shouldEqualUpstreamJavaScriptBitForBit() throws IOException {
        // windows computed by technicalindicators' own interpolateArray + l2Normalize (tfjs-reference.js),
        // then rounded to float32 as tf.tensor2d does
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/io/tickgrad/model/keras/chart-patterns-tfjs.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        int n = 0;
        Iterator<Map.Entry<String, JsonNode>> it = cases.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode s = c.getValue().get("series");
            double[] series = new double[s.size()];
            for (int i = 0; i < series.length; i++) {
                series[i] = s.get(i).asDouble();
            }
            float[] window = ChartWindow.upstreamWindow(series);
            JsonNode expected = c.getValue().get("window");
            assertEquals(400, expected.size());
            for (int i = 0; i < 400; i++) {
                float e = (float) expected.get(i).asDouble();
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(window[i])) {
                    throw new AssertionError(c.getKey() + "[" + i + "]: upstream " + e + ", found " + window[i]);
                }
            }
            n++;
        }
        assertEquals(8, n);
    }

    @Test
    void shouldWriteASubrangeIntoAnArrayOrABufferAtAnOffset() {
        double[] prices = {9, 9, 1, 2, 4, 8, 16, 9};
        float[] direct = new float[4];
        ChartWindow.resampleNormalized(new double[] {1, 2, 4, 8, 16}, 0, 5, 4, direct, 0);

        float[] arr = new float[10];
        ChartWindow.resampleNormalized(prices, 2, 5, 4, arr, 3);
        MutableDirectBuffer buf = new ExpandableArrayBuffer(64);
        ChartWindow.resampleNormalized(prices, 2, 5, 4, buf, 12);
        for (int i = 0; i < 4; i++) {
            assertEquals(direct[i], arr[3 + i]);
            assertEquals(direct[i], buf.getFloat(12 + i * Float.BYTES));
        }
        assertEquals(0f, arr[2]);
        assertEquals(0f, arr[7]);
    }

    @Test
    void shouldNotAllocateWhenWritingIntoCallerMemory() {
        double[] prices = new double[1000];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 100 + Math.sin(i * 0.01);
        }
        float[] out = new float[400];
        MutableDirectBuffer buf = new ExpandableArrayBuffer(1600);
        for (int i = 0; i < 20_000; i++) { // warm up, so the JIT has compiled both paths
            ChartWindow.resampleNormalized(prices, 0, prices.length, 400, out, 0);
            ChartWindow.resampleNormalized(prices, 0, prices.length, 400, buf, 0);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1000; i++) {
            ChartWindow.resampleNormalized(prices, 0, prices.length, 400, out, 0);
            ChartWindow.resampleNormalized(prices, 0, prices.length, 400, buf, 0);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(0, allocated, "bytes allocated by 2000 calls");
    }

    @Test
    void shouldRefuseBadInputWithAClearMessage() {
        float[] out = new float[400];
        assertMessage("at least 2 values, got 1", () -> ChartWindow.upstreamWindow(new double[] {5}));
        assertMessage("at least 2 values, got 0", () -> ChartWindow.upstreamWindow(new double[0]));
        assertMessage("price series is null", () -> ChartWindow.upstreamWindow(null));
        assertMessage("index 2 is not finite: NaN",
            () -> ChartWindow.upstreamWindow(new double[] {1, 2, Double.NaN, 4}));
        assertMessage("index 0 is not finite: Infinity",
            () -> ChartWindow.upstreamWindow(new double[] {Double.POSITIVE_INFINITY, 2}));
        assertMessage("L2 norm 0", () -> ChartWindow.upstreamWindow(new double[] {0, 0, 0}));
        assertMessage("overflows", () -> ChartWindow.upstreamWindow(new double[] {1e200, 1e200}));
        assertMessage("at least 2 output points, got 1",
            () -> ChartWindow.resampleNormalized(new double[] {1, 2}, 0, 2, 1, out, 0));
        assertMessage("price series of length 3 has no range [2, 4)",
            () -> ChartWindow.resampleNormalized(new double[] {1, 2, 3}, 2, 2, 400, out, 0));
        assertMessage("destination array of length 400 has no range [1, 401)",
            () -> ChartWindow.resampleNormalized(new double[] {1, 2}, 0, 2, 400, out, 1));
        assertMessage("destination buffer of 1600 bytes cannot hold 400 floats at byte offset 4",
            () -> ChartWindow.resampleNormalized(new double[] {1, 2}, 0, 2, 400, new ExpandableArrayBuffer(1600), 4));
    }

    private static void assertMessage(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message lacks '" + fragment + "': " + e.getMessage());
        assertTrue(e.getMessage().startsWith("chart window: "), e.getMessage());
    }

    private static void assertWindow(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals((float) expected[i], actual[i], "point " + i);
        }
    }
}
