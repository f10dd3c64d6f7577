/**
 * Market data: the fixed 80-byte tick layout ({@link io.tickgrad.market.TickDescriptor}) in four shapes (trade,
 * quote, bar, bare price) read and written in place through the {@link io.tickgrad.market.Tick} flyweight, the
 * 96-byte prediction layout and its flyweight, the one {@link io.tickgrad.market.TickValidator} that judges a tick
 * everywhere, online features ({@link io.tickgrad.market.OnlineFeatures}), labels that mature at their horizon
 * ({@link io.tickgrad.market.LabelSpec}, {@link io.tickgrad.market.HorizonLabeler}) and CSV import.
 *
 * <p>Units: times are epoch nanoseconds (UTC), prices in the instrument's quote currency, moves and volatilities in
 * basis points. The hot-path types allocate nothing after construction and are single-threaded: one per stream.
 * {@link io.tickgrad.market.TickSource}, {@link io.tickgrad.market.TickHandler} and
 * {@link io.tickgrad.market.PredictionSink} are the interfaces of the two directions, so logic is tested without a
 * queue.
 */
package io.tickgrad.market;
