package io.tickgrad.train;

/** Hyperparameter validation shared by the optimizers and schedules. */
final class OptimizerChecks {
    private OptimizerChecks() {
    }

    static void positive(String what, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + value);
        }
    }

    static void nonNegative(String what, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
        }
    }

    static void inUnitInterval(String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
        }
    }
}
