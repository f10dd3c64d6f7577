package io.tickgrad.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real credit table (modeldata's credit_data, 4,454 applications): a network and a logistic
 * regression fitted by the same tool on the same split, compared on rows neither saw.
 */
class TabularCreditDataTest {
    private static Backend backend;
    private static CsvTable train;
    private static CsvTable test;

    @BeforeAll
    static void setUp() {
        backend = NativeCpuBackend.create();
        CsvTable all = CreditData.table();
        train = CreditData.everyKth(all, 5, 0, false);   // 80% to fit (of which 20% validation)
        test = CreditData.everyKth(all, 5, 0, true);     // 20% never seen
    }

    @AfterAll
    static void tearDown() throws Exception {
        backend.close();
    }

    @Test
    void shouldReadTheWholeTableWithItsMissingValues() {
        CsvTable all = CreditData.table();
        assertEquals(4454, all.rowCount());
        assertEquals(List.of("Status", "Seniority", "Home", "Time", "Age", "Marital", "Records", "Job", "Expenses",
            "Income", "Assets", "Debt", "Amount", "Price"), all.header());
        LabelColumn label = LabelColumn.fit(all, "Status", null);
        assertEquals("bad", label.positive(), "the rarer value is the positive class");
        int[] rows = java.util.stream.IntStream.range(0, all.rowCount()).toArray();
        TabularPreprocessor pre = TabularPreprocessor.fit(all, label, rows,
            ColumnOptions.defaults());
        assertTrue(pre.featureNames().contains("Income=missing"), pre.featureNames().toString());
        assertTrue(pre.featureNames().contains("Home=owner"), pre.featureNames().toString());
    }

    @Test
    void shouldCompareTheNetworkWithLogisticRegressionOverFiveFolds() {
        CsvTable all = CreditData.table();
        TabularFitOptions options = TabularFitOptions.defaults();
        double[][] sums = new double[2][4];
        double[] aucDiff = new double[5];
        for (int fold = 0; fold < 5; fold++) {
            CsvTable fitRows = CreditData.everyKth(all, 5, fold, false);
            CsvTable heldOut = CreditData.everyKth(all, 5, fold, true);
            double[][] m = new double[2][];
            for (int k = 0; k < 2; k++) {
                TabularFitOptions o = k == 0 ? options : options.logisticRegression();
                try (TabularModel model = TabularFitter.fit(fitRows, "Status", "bad", o, backend).model()) {
                    BinaryEvaluation e = model.evaluate(heldOut, new TableWarnings());
                    m[k] = new double[] {e.report().rocAuc(), e.averagePrecision(), e.report().logLoss(),
                        e.report().brierScore()};
                }
                for (int j = 0; j < 4; j++) {
                    sums[k][j] += m[k][j] / 5;
                }
            }
            aucDiff[fold] = m[0][0] - m[1][0];
            System.out.printf(Locale.ROOT, "fold %d: ROC AUC network %.4f, logistic regression %.4f%n", fold, m[0][0],
                m[1][0]);
        }
        double mean = 0;
        for (double d : aucDiff) {
            mean += d / 5;
        }
        double var = 0;
        for (double d : aucDiff) {
            var += (d - mean) * (d - mean) / 4;
        }
        String[] names = {"network " + options.hidden(), "logistic regression"};
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "5-fold mean, %-20s ROC AUC %.4f  PR AUC %.4f  log loss %.4f  Brier %.4f%n",
                names[k], sums[k][0], sums[k][1], sums[k][2], sums[k][3]);
        }
        System.out.printf(Locale.ROOT, "ROC AUC network minus logistic regression: mean %+.4f, sd over folds %.4f%n",
            mean, Math.sqrt(var));
        assertTrue(sums[0][0] > 0.8, "network 5-fold ROC AUC " + sums[0][0]);
        assertTrue(sums[1][0] > 0.8, "logistic regression 5-fold ROC AUC " + sums[1][0]);
    }

    @Test
    void shouldScoreTheSameOnTheReferenceBackend(@TempDir Path dir) {
        TabularFitOptions options = TabularFitOptions.defaults().withEpochs(5);
        Path file = dir.resolve("m.safetensors");
        float[] nativeScores;
        try (TabularModel m = TabularFitter.fit(train, "Status", "bad", options, backend).model()) {
            nativeScores = m.score(test, new TableWarnings());
            m.save(file);
        }
        try (ReferenceBackend ref = new ReferenceBackend(); TabularModel back = TabularModel.load(file, ref)) {
            float[] refScores = back.score(test, new TableWarnings());
            for (int i = 0; i < refScores.length; i++) {
                assertEquals(refScores[i], nativeScores[i], 1e-5, "row " + i);
            }
        }
    }

    @Test
    void shouldScoreRowByRowExactlyAsInBulk() {
        try (TabularModel m = TabularFitter.fit(train, "Status", "bad", TabularFitOptions.defaults().withEpochs(3),
            backend).model()) {
            float[] bulk = m.score(test, new TableWarnings());
            RowScorer scorer = new RowScorer(m, test.header(), "stream");
            String[] cells = new String[test.columnCount()];
            for (int r = 0; r < test.rowCount(); r++) {
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = test.cell(r, c);
                }
                float p = scorer.score(cells, test.line(r));
                assertEquals(bulk[r], p, 1e-6, "row " + r);
                assertEquals(p >= m.threshold(), scorer.isPositive(p));
            }
        }
    }

    @Test
    void shouldBeatChanceWithBothTheNetworkAndTheLogisticRegression() {
        TabularFitOptions options = TabularFitOptions.defaults();
        TabularFitResult net = TabularFitter.fit(train, "Status", "bad", options, backend);
        TabularFitResult lr = TabularFitter.fit(train, "Status", "bad", options.logisticRegression(), backend);
        try (TabularModel n = net.model(); TabularModel l = lr.model()) {
            TableWarnings w = new TableWarnings();
            BinaryEvaluation en = n.evaluate(test, w);
            BinaryEvaluation el = l.evaluate(test, w);
            System.out.println("credit_data held-out rows, network " + n.hidden() + ":\n" + en);
            System.out.println("credit_data held-out rows, logistic regression:\n" + el);
            System.out.printf(Locale.ROOT, "held-out ROC AUC network %.4f vs logistic regression %.4f; "
                + "PR AUC %.4f vs %.4f; log loss %.4f vs %.4f%n", en.report().rocAuc(), el.report().rocAuc(),
                en.averagePrecision(), el.averagePrecision(), en.report().logLoss(), el.report().logLoss());
            assertTrue(en.report().rocAuc() > 0.75, "network ROC AUC " + en.report().rocAuc());
            assertTrue(el.report().rocAuc() > 0.75, "logistic regression ROC AUC " + el.report().rocAuc());
            assertTrue(en.averagePrecision() > en.positiveRate() + 0.15, "PR AUC well above the positive rate");
            assertTrue(en.report().brierScore() < 0.2, "Brier " + en.report().brierScore());
            assertTrue(n.threshold() > 0 && n.threshold() < 1);
            assertEquals(0, w.count(), "every category of the held-out rows was seen in training");
        }
    }
}
