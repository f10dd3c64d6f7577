package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The summary of a run with a real-valued label, by hand; a run whose score is no direction stays flat. */
class BacktestRegressionTest {
    private static final long T = 1_700_000_000_000_000_000L;

    @Test
    void shouldSummariseTheForecastRowsWithAKnownLabelAndNaiveForecast() throws Exception {
        BacktestRun run = new BacktestRun();
        run.markRealValued("realised volatility (bps) over the next 3 ticks", "the constant 2");
        double[] f = {1, 2, 3, 4, 5, 6};
        double[] y = {1, 3, 2, 6, 7, Double.NaN};
        double[] g = {2, 2, 2, 2, Double.NaN, 2};
        for (int i = 0; i < f.length; i++) {
            run.add(i, T + i * 1_000_000_000L, 100, 0.9f, BacktestRun.NO_LABEL, 0.001, 10);
            run.setForecast(i, f[i], g[i]);
            run.setTarget(i, y[i]);
        }
        BacktestSummary s = BacktestSummary.of(run, BacktestOptions.defaults());
        // rows 4 (no naive forecast yet) and 5 (label not matured) are left out: the hand case of RegressionReportTest
        assertEquals(4, s.regression().n());
        assertEquals(Math.sqrt(1.5), s.regression().rmse(), 1e-12);
        assertEquals(1 - 1.5 / 4.5, s.regression().r2Naive(), 1e-12);
        assertEquals(0.8, s.regression().spearman(), 1e-12);
        assertEquals(4, s.regression().independent(), 0, "no horizon shown: every label counted");
        assertEquals(0, s.strategy().longPeriods() + s.strategy().shortPeriods(), "score 0.9, yet flat");
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        assertEquals(1 - 1.5 / 4.5, json.path("regression").path("r2_naive").asDouble(), 1e-12);
        assertEquals("the constant 2", json.path("regression").path("naive_forecast").asText());
        assertEquals(s.stdErrors().label(), json.path("regression").path("std_err_label").asText());
        assertFalse(json.path("strategy").path("directional").asBoolean(true));
        assertTrue(s.toString().contains("R² against the naive forecast"), s.toString());
    }

    @Test
    void shouldTradeOnlyOnADirectionScore() {
        for (boolean directional : new boolean[] {true, false}) {
            BacktestRun run = new BacktestRun();
            if (!directional) {
                run.markNotDirectional();
            }
            for (int i = 0; i < 10; i++) {
                run.add(i, T + i * 1_000_000_000L, 100, i % 2 == 0 ? 0.9f : 0.1f, i % 2, 0.001, 10);
            }
            BacktestSummary s = BacktestSummary.of(run, BacktestOptions.defaults());
            assertNull(s.regression());
            assertEquals(directional, s.strategy().longPeriods() + s.strategy().shortPeriods() > 0);
            assertEquals(10, s.prediction().labelled(), "class labels are scored either way");
            assertEquals(directional, !s.toJson().contains("\"directional\""), "written only when false");
        }
    }
}
