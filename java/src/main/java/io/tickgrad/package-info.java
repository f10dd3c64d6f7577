/**
 * tickgrad: an embedded machine-learning engine for trading systems. A strategy links it in process, predicts on
 * every tick in microseconds and fine-tunes the network in place on the live stream.
 *
 * <p>Where to start: {@link io.tickgrad.nn.Network} (build, predict, train support), {@link io.tickgrad.train}
 * (losses, optimizers, {@link io.tickgrad.train.Trainer}, {@link io.tickgrad.train.Fitter}),
 * {@link io.tickgrad.model.Checkpoint} (save and load), {@link io.tickgrad.market} (tick shapes, features, labels),
 * {@link io.tickgrad.io} (Chronicle Queue), and the serving session in {@code io.tickgrad.serve}.
 *
 * <p>Contracts that hold throughout:
 * <ul>
 *   <li>JVM flags: every program needs {@value io.tickgrad.JvmFlags#CORE_FLAG}, and queues need
 *       {@link io.tickgrad.JvmFlags#QUEUE_FLAGS}; a missing flag fails with one line naming it
 *       ({@link io.tickgrad.JvmFlags}).</li>
 *   <li>Native memory: every off-heap buffer belongs to the object that allocated it and is freed by its
 *       {@code close()}, never by the garbage collector. An object handed a network or a backend borrows it and
 *       does not close it. Use after close throws {@link java.lang.IllegalStateException}.</li>
 *   <li>Threads: a {@code Network}, a {@code Trainer} and a {@code Fitter} run are used by one thread at a time
 *       (not detected); a {@code Backend} may serve several threads' forward and backward calls; flyweights
 *       ({@code Tick}, {@code Prediction}) handed to a callback are valid only during the call. README's
 *       "Threads" section lists every shared object.</li>
 *   <li>Units: times are epoch nanoseconds (UTC) unless a name says otherwise; price moves are in basis points;
 *       tensors are fp32, row-major, rows x columns, with dense weights [in, out].</li>
 *   <li>Errors: cold paths (loading, configuring) throw exceptions whose one-line message names the file, the
 *       field and what was expected; the hot path allocates nothing and counts bad ticks instead of
 *       throwing.</li>
 * </ul>
 */
package io.tickgrad;
