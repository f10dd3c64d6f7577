package io.tickgrad.backtest;

/**
 * The headline metrics of a {@link Comparison}, each with a standard error, so that a difference between models can
 * be told apart from noise.
 *
 * <p>Prediction metrics are averages over labelled predictions, but a prediction is made on every tick and its label
 * spans the next h ticks, so neighbouring labels share most of their move and are far from independent. Their
 * standard errors therefore count one independent label per horizon: n / h samples, h the label horizon in
 * predictions as the run shows it ({@link BacktestSummary.Strategy#inferredHorizonRows()}, 1 when it shows none).
 * The strategy decides once per horizon, so its periods are counted as they are.
 */
enum ComparedMetric {
    ACCURACY("accuracy", "accuracy", true) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().prediction().accuracy();
        }

        @Override
        double stdErr(BacktestAnalysis a) {
            double p = value(a);
            return Math.sqrt(p * (1 - p) / independentLabels(a));
        }

        @Override
        String format(double v) {
            return BacktestFormat.percent(v);
        }
    },
    ROC_AUC("roc_auc", "ROC AUC", true) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().prediction().rocAuc();
        }

        /** The null standard error of BacktestSummary at n / h labels: the AUC's noise around 0.5. */
        @Override
        double stdErr(BacktestAnalysis a) {
            return a.summary().prediction().aucNullStdErr() * Math.sqrt(horizon(a));
        }
    },
    LOG_LOSS("log_loss", "log loss", false) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().prediction().logLoss();
        }

        @Override
        double stdErr(BacktestAnalysis a) {
            int n = a.labelledScores.length;
            if (n < 2) {
                return Double.NaN;
            }
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double p = Math.min(Math.max(a.labelledScores[i], LOG_EPS), 1 - LOG_EPS);
                double loss = a.labelledLabels[i] >= 0.5f ? -Math.log(p) : -Math.log(1 - p);
                sum += loss;
                sumSq += loss * loss;
            }
            double mean = sum / n;
            double variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
            return Math.sqrt(variance / independentLabels(a));
        }
    },
    NET_PNL("net_pnl_bps", "net PnL after costs (bps)", true) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().strategy().netPnlBps();
        }

        /** Sum of independent periods: the per-period standard deviation times sqrt(periods). */
        @Override
        double stdErr(BacktestAnalysis a) {
            BacktestSummary.Strategy s = a.summary().strategy();
            return s.stdNetBps() * Math.sqrt(s.periods());
        }

        @Override
        String format(double v) {
            return BacktestFormat.number(v, 1);
        }
    },
    SHARPE("sharpe_annualised", "Sharpe, annualised", true) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().strategy().sharpeAnnualised();
        }

        /** Lo (2002), i.i.d. returns: sqrt((1 + SR^2 / 2) / T) per period, annualised like the ratio. */
        @Override
        double stdErr(BacktestAnalysis a) {
            BacktestSummary.Strategy s = a.summary().strategy();
            double sr = s.sharpePerPeriod();
            return Math.sqrt((1 + sr * sr / 2) / s.periods()) * Math.sqrt(s.periodsPerYear());
        }

        @Override
        String format(double v) {
            return BacktestFormat.number(v, 2);
        }
    },
    MAX_DRAWDOWN("max_drawdown_bps", "max drawdown (bps)", false) {
        @Override
        double value(BacktestAnalysis a) {
            return a.summary().strategy().maxDrawdownBps();
        }

        /** None: a drawdown is one path's extreme, with no simple standard error. */
        @Override
        double stdErr(BacktestAnalysis a) {
            return Double.NaN;
        }

        @Override
        String format(double v) {
            return BacktestFormat.number(v, 1);
        }
    };

    /** Keras' clip for the log loss, as {@link io.tickgrad.train.ClassificationReport} uses. */
    private static final double LOG_EPS = 1e-7;

    final String key;
    final String label;
    final boolean higherIsBetter;

    ComparedMetric(String key, String label, boolean higherIsBetter) {
        this.key = key;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    abstract double value(BacktestAnalysis a);

    /** Standard error of {@link #value}, NaN when there is none. */
    abstract double stdErr(BacktestAnalysis a);

    String format(double v) {
        return BacktestFormat.number(v, 4);
    }

    /** The label horizon in predictions, as the run shows it; 1 when it shows none. */
    static int horizon(BacktestAnalysis a) {
        return Math.max(1, a.summary().strategy().inferredHorizonRows());
    }

    /** Labelled predictions counted once per horizon (at least 1). */
    static double independentLabels(BacktestAnalysis a) {
        return Math.max(1.0, (double) a.labelledScores.length / horizon(a));
    }
}
