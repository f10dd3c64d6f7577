package io.tickgrad.market;

/**
 * The outbound direction: whatever consumes predictions (a queue appender, a strategy in the same process, a
 * test's list). The prediction is a flyweight valid only during the call.
 */
@FunctionalInterface
public interface PredictionSink {
    /**
     * Handles one prediction; must not throw.
     *
     * Called on the inference thread; should allocate nothing.
     *
     * @param prediction the prediction, valid only during the call
     */
    void onPrediction(Prediction prediction);
}
