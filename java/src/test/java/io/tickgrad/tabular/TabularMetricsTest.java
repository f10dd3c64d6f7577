package io.tickgrad.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.train.CalibrationTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threshold selection, average precision and the calibration table, against values worked out by hand. */
class TabularMetricsTest {
    // scores descending: 0.9(1) 0.8(0) 0.7(1) 0.6(1) 0.4(0) 0.3(1) 0.2(0) 0.1(0)
    private static final float[] SCORES = {0.3f, 0.9f, 0.1f, 0.7f, 0.4f, 0.8f, 0.6f, 0.2f};
    private static final float[] LABELS = {1, 1, 0, 1, 0, 0, 1, 0};

    @Test
    void shouldChooseTheThresholdWithTheBestF1() {
        // t=0.9: tp1 fp0 f1=2/5; 0.8: 1,1 -> 2/6; 0.7: 2,1 -> 4/7; 0.6: 3,1 -> 6/8=0.75; 0.4: 3,2 -> 6/9;
        // 0.3: 4,2 -> 8/10 = 0.8; 0.2: 4,3 -> 8/11; 0.1: 4,4 -> 8/12
        assertEquals(0.3f, ThresholdSelector.choose(SCORES, LABELS, ThresholdGoal.bestF1()), 0);
    }

    @Test
    void shouldChooseTheHighestThresholdThatReachesTheTargetRecall() {
        assertEquals(0.9f, ThresholdSelector.choose(SCORES, LABELS, ThresholdGoal.targetRecall(0.25)), 0);
        assertEquals(0.7f, ThresholdSelector.choose(SCORES, LABELS, ThresholdGoal.targetRecall(0.5)), 0);
        assertEquals(0.6f, ThresholdSelector.choose(SCORES, LABELS, ThresholdGoal.targetRecall(0.75)), 0);
        assertEquals(0.3f, ThresholdSelector.choose(SCORES, LABELS, ThresholdGoal.targetRecall(1.0)), 0);
        BinaryEvaluation e = BinaryEvaluation.of(SCORES, LABELS, 0.6f);
        assertEquals(0.75, e.report().recall(), 1e-12, "the chosen threshold reproduces the recall it was chosen for");
    }

    @Test
    void shouldParseTheGoals() {
        assertEquals(ThresholdGoal.bestF1(), ThresholdGoal.parse("F1"));
        assertEquals(ThresholdGoal.targetRecall(0.8), ThresholdGoal.parse("recall=0.8"));
        assertThrows(IllegalArgumentException.class, () -> ThresholdGoal.parse("recall=1.5"));
        assertThrows(IllegalArgumentException.class, () -> ThresholdGoal.parse("precision"));
    }

    @Test
    void shouldComputeAveragePrecisionStepWise() {
        // positives at ranks 1, 3, 4, 6: AP = (1/1 + 2/3 + 3/4 + 4/6) / 4
        double expected = (1.0 + 2.0 / 3 + 3.0 / 4 + 4.0 / 6) / 4;
        assertEquals(expected, BinaryEvaluation.averagePrecision(SCORES, LABELS), 1e-12);
        float[] perfect = {0.9f, 0.8f, 0.1f};
        assertEquals(1.0, BinaryEvaluation.averagePrecision(perfect, new float[] {1, 1, 0}), 1e-12);
        // all tied: one threshold, precision = positive rate
        assertEquals(0.5, BinaryEvaluation.averagePrecision(new float[] {0.5f, 0.5f}, new float[] {1, 0}), 1e-12);
    }

    @Test
    void shouldBinTheCalibrationTable() {
        CalibrationTable t = CalibrationTable.of(new float[] {0.05f, 0.15f, 0.12f, 0.95f, 1.0f},
            new float[] {0, 1, 0, 1, 1}, 10);
        assertEquals(10, t.bins().size());
        assertEquals(1, t.bins().get(0).count());
        assertEquals(2, t.bins().get(1).count());
        assertEquals(0.135, t.bins().get(1).meanPredicted(), 1e-6);
        assertEquals(0.5, t.bins().get(1).observedRate(), 1e-12);
        assertEquals(2, t.bins().get(9).count(), "1.0 falls in the last bin");
        assertTrue(Double.isNaN(t.bins().get(5).meanPredicted()));
        double ece = (1 * 0.05 + 2 * Math.abs(0.135 - 0.5) + 2 * Math.abs(0.975 - 1.0)) / 5;
        assertEquals(ece, t.expectedCalibrationError(), 1e-6);
    }

    @Test
    void shouldReportEveryMetricInTheMap() {
        Map<String, Object> m = BinaryEvaluation.of(SCORES, LABELS, 0.5).toMap();
        for (String key : new String[] {"accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "brier",
            "confusion_matrix", "calibration", "threshold"}) {
            assertTrue(m.containsKey(key), key);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cm = (Map<String, Object>) m.get("confusion_matrix");
        assertEquals(3L, cm.get("true_positive"));   // 0.9, 0.7, 0.6
        assertEquals(1L, cm.get("false_positive"));  // 0.8
        assertEquals(1L, cm.get("false_negative"));  // 0.3
        assertEquals(3L, cm.get("true_negative"));
    }

    @Test
    void shouldSplitStratified() {
        float[] y = new float[100];
        for (int i = 0; i < 20; i++) {
            y[i * 5] = 1;
        }
        StratifiedSplit s = StratifiedSplit.of(y, 0.25, 7);
        assertEquals(25, s.validation().length);
        int pos = 0;
        for (int r : s.validation()) {
            pos += (int) y[r];
        }
        assertEquals(5, pos, "a quarter of the 20 positives");
    }

    @Test
    void shouldBalanceClassWeights() {
        double[] w = ClassWeighting.BALANCED.weights(new float[] {1, 0, 0, 0});
        assertEquals(4.0 / 6, w[0], 1e-12);
        assertEquals(2.0, w[1], 1e-12);
        assertEquals(1.0, ClassWeighting.NONE.weights(new float[] {1, 0})[1]);
    }
}
