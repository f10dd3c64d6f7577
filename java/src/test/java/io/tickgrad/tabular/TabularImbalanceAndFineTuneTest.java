package io.tickgrad.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class weights, threshold goals, and fine-tuning across tables with the trunk frozen, on credit_data. */
class TabularImbalanceAndFineTuneTest {
    private static Backend backend;
    private static CsvTable all;

    @BeforeAll
    static void setUp() {
        backend = NativeCpuBackend.create();
        all = CreditData.table();
    }

    @AfterAll
    static void tearDown() throws Exception {
        backend.close();
    }

    @Test
    void shouldRaiseRecallAtOneHalfWithBalancedClassWeights() {
        CsvTable train = CreditData.everyKth(all, 4, 0, false);
        CsvTable test = CreditData.everyKth(all, 4, 0, true);
        TabularFitOptions options = TabularFitOptions.defaults().logisticRegression().withEpochs(15);
        TabularFitResult plain = TabularFitter.fit(train, "Status", "bad", options, backend);
        TabularFitResult balanced = TabularFitter.fit(train, "Status", "bad",
            options.withClassWeighting(ClassWeighting.BALANCED), backend);
        try (TabularModel p = plain.model(); TabularModel b = balanced.model()) {
            BinaryEvaluation ep = p.evaluate(test, new TableWarnings(), 0.5);
            BinaryEvaluation eb = b.evaluate(test, new TableWarnings(), 0.5);
            System.out.printf(Locale.ROOT, "at threshold 0.5: recall %.4f unweighted vs %.4f balanced; precision %.4f vs "
                + "%.4f; ECE %.4f vs %.4f%n", ep.report().recall(), eb.report().recall(), ep.report().precision(),
                eb.report().precision(), ep.calibration().expectedCalibrationError(),
                eb.calibration().expectedCalibrationError());
            assertTrue(eb.report().recall() > ep.report().recall() + 0.1, "balanced weights catch more of the bad loans");
            assertTrue(eb.report().precision() < ep.report().precision(), "at the cost of precision");
        }
    }

    @Test
    void shouldMeetATargetRecallOnTheValidationRows() {
        TabularFitOptions options = TabularFitOptions.defaults().logisticRegression().withEpochs(10)
            .withThresholdGoal(ThresholdGoal.targetRecall(0.9));
        TabularFitResult r = TabularFitter.fit(all, "Status", null, options, backend);
        try (TabularModel m = r.model()) {
            assertTrue(r.validation().report().recall() >= 0.9, "recall " + r.validation().report().recall());
            assertEquals(m.threshold(), r.validation().report().threshold(), 0);
            assertTrue(m.threshold() < 0.5, "a high recall needs a low threshold, got " + m.threshold());
        }
    }

    @Test
    void shouldFineTuneOnASmallerRelatedTableWithTheTrunkFrozen(@TempDir Path dir) {
        // pretrain: applicants with a fixed job; fine-tune: 300 applicants with other jobs; test: the rest of those
        CsvTable fixed = CreditData.where(all, "Job", "fixed"::equals);
        CsvTable other = CreditData.where(all, "Job", j -> !"fixed".equals(j));
        CsvTable small = CreditData.everyKth(other, 5, 0, true);
        CsvTable test = CreditData.everyKth(other, 5, 0, false);
        assertTrue(small.rowCount() > 250 && small.rowCount() < 400, "fine-tune rows " + small.rowCount());
        TabularFitOptions options = TabularFitOptions.defaults();
        TabularFitResult pre = TabularFitter.fit(fixed, "Status", "bad", options, backend);
        Path file = dir.resolve("pretrained.safetensors");
        try (TabularModel m = pre.model()) {
            m.save(file);
        }
        try (TabularModel pretrained = TabularModel.load(file, backend)) {
            TabularFitResult tuned = TabularFitter.fineTune(pretrained, small, "Status", "bad", true,
                options.withPatience(0).withEpochs(30), backend);
            TabularFitResult scratch = TabularFitter.fit(small, "Status", "bad", options, backend);
            try (TabularModel t = tuned.model(); TabularModel s = scratch.model()) {
                List<ParamEntry> entries = t.network().parameters().entries();
                int frozen = 0;
                for (ParamEntry e : entries) {
                    if (!e.trainable()) {
                        frozen++;
                        assertArrayEquals(pretrained.network().getParameter(e.name()), t.network().getParameter(e.name()),
                            e.name() + " is frozen and must not move");
                    }
                }
                assertEquals(4, frozen, "both hidden dense layers (kernel and bias) are frozen");
                assertFalse(entries.get(entries.size() - 1).name().startsWith("dense_"), "the head was replaced");
                TableWarnings w = new TableWarnings();
                BinaryEvaluation et = t.evaluate(test, w);
                BinaryEvaluation es = s.evaluate(test, w);
                BinaryEvaluation ep = pretrained.evaluate(test, w);
                System.out.printf(Locale.ROOT, "other jobs, %d held-out rows: ROC AUC pretrained as is %.4f, fine-tuned "
                        + "head (frozen trunk, %d rows) %.4f, from scratch on the same rows %.4f%n", test.rowCount(),
                    ep.report().rocAuc(), small.rowCount(), et.report().rocAuc(), es.report().rocAuc());
                assertTrue(et.report().rocAuc() > 0.7, "fine-tuned ROC AUC " + et.report().rocAuc());

                Path tunedFile = dir.resolve("tuned.safetensors");
                t.save(tunedFile);
                try (TabularModel back = TabularModel.load(tunedFile, backend)) {
                    assertEquals(t.threshold(), back.threshold(), 0);
                    assertArrayEquals(t.score(test, new TableWarnings()), back.score(test, new TableWarnings()));
                    assertNotEquals(back.network().parameters().trainableParameterCount(),
                        back.network().parameters().parameterCount(), "the frozen flags are saved");
                }
            }
        }
    }

    @Test
    void shouldRefuseToFineTuneALogisticRegression() {
        TabularFitResult lr = TabularFitter.fit(CreditData.everyKth(all, 10, 0, true), "Status", null,
            TabularFitOptions.defaults().logisticRegression().withEpochs(2), backend);
        try (TabularModel m = lr.model()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TabularFitter.fineTune(m, all, "Status", null, true, TabularFitOptions.defaults(), backend));
            assertTrue(e.getMessage().contains("no trunk"), e.getMessage());
        }
    }
}
