package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationReportTest {
    @Test
    void shouldComputeBinaryMetricsByHand() {
        float[] scores = {0.9f, 0.8f, 0.3f, 0.6f, 0.2f, 0.1f};
        float[] labels = {1, 1, 1, 0, 0, 0};
        ClassificationReport r = ClassificationReport.of(scores, labels, 6, 1, 0.5);
        // predicted positive: 0.9, 0.8, 0.6 -> tp 2, fp 1, fn 1, tn 2
        assertArrayEquals(new long[] {2, 1}, r.confusionMatrix()[0]);
        assertArrayEquals(new long[] {1, 2}, r.confusionMatrix()[1]);
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertEquals(2.0 / 3, r.precision(), 1e-12);
        assertEquals(2.0 / 3, r.recall(), 1e-12);
        assertEquals(2.0 / 3, r.f1(), 1e-12);
        // pairs (pos, neg): 9 pairs; positives 0.9, 0.8 beat all 3; 0.3 beats 0.2, 0.1 -> 8/9
        assertEquals(8.0 / 9, r.rocAuc(), 1e-12);
        double ll = -(Math.log(0.9f) + Math.log(0.8f) + Math.log(0.3f) + Math.log(1 - (double) 0.6f) + Math.log(1 - (double) 0.2f)
            + Math.log(1 - (double) 0.1f)) / 6;
        assertEquals(ll, r.logLoss(), 1e-9);
        double brier = (sq((double) 0.9f - 1) + sq((double) 0.8f - 1) + sq((double) 0.3f - 1) + sq(0.6f) + sq(0.2f)
            + sq(0.1f)) / 6;
        assertEquals(brier, r.brierScore(), 1e-9);
    }

    @Test
    void shouldGiveHalfCreditForTiesInTheAuc() {
        assertEquals(0.5, ClassificationReport.rocAuc(new double[] {0.5, 0.5}, new boolean[] {true, false}), 1e-12);
        assertTrue(Double.isNaN(ClassificationReport.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})));
    }

    /** Against the definition: the share of (positive, negative) pairs ranked right, a level pair counting half. */
    @Test
    void rocAucEqualsThePairwiseCountWithTiesSignedZerosAndNaN() {
        java.util.Random rnd = new java.util.Random(11);
        double[] odd = {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(60);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(10) == 0 ? odd[rnd.nextInt(odd.length)] : Math.round(rnd.nextGaussian() * 4) / 4.0;
                y[i] = rnd.nextBoolean();
            }
            long good2 = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] && !y[j]) {
                        pairs++;
                        int c = Double.isNaN(s[i]) || Double.isNaN(s[j]) ? Boolean.compare(Double.isNaN(s[i]),
                            Double.isNaN(s[j])) : Double.compare(s[i] + 0.0, s[j] + 0.0);
                        good2 += c > 0 ? 2 : c == 0 ? 1 : 0;
                    }
                }
            }
            double want = pairs == 0 ? Double.NaN : good2 / (2.0 * pairs);
            assertEquals(want, ClassificationReport.rocAuc(s, y), 0, "trial " + trial);
        }
    }

    @Test
    void shouldMacroAverageMultiClass() {
        float[] scores = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f};
        float[] labels = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0};
        ClassificationReport r = ClassificationReport.of(scores, labels, 4, 3, 0.5);
        // rows: 0->0 ok, 1->1 ok, 2->2 ok, actual 1 predicted 0
        assertEquals(0.75, r.accuracy(), 1e-12);
        // precision: class0 1/2, class1 1/1, class2 1/1 -> 2.5/3; recall: class0 1/1, class1 1/2, class2 1/1
        assertEquals(2.5 / 3, r.precision(), 1e-12);
        assertEquals(2.5 / 3, r.recall(), 1e-12);
        assertEquals(3, r.classes());
    }

    private static double sq(double v) {
        return v * v;
    }
}
