package io.tickgrad.online;

/**
 * The direction of matured samples, from the collector on the inference thread to the trainer: what the
 * {@link SampleCollector} hands each labelled sample to. In serving it is a {@link SampleChannel} (a ring buffer the
 * trainer agent drains on its own thread); a test can collect the samples directly.
 *
 * <p>Called on the inference thread; an implementation must not block, throw or allocate, so that a slow trainer
 * can never slow serving down.
 */
@FunctionalInterface
public interface SampleSink {
    /**
     * Takes one matured sample.
     *
     * @param sample a flyweight valid only during the call (copy what is kept)
     * @return false when the sample cannot be taken now (a full ring buffer): the collector drops and counts it
     */
    boolean onSample(MaturedSample sample);
}
