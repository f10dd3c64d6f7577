package io.tickgrad.reliability;

import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.ServingSession;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A strategy's process that serves with the library's {@link ServingSession} in process (no CLI): ticks from a
 * queue, predictions to a queue and to a callback on the inference thread, online learning with checkpoints.
 * Arguments: ticks, predictions, checkpoints, model, exit-when-idle ms (0: run until killed).
 */
public final class SessionServerMain {
    private SessionServerMain() {
    }

    public static void main(String[] args) throws Exception {
        long exitWhenIdleMs = Long.parseLong(args[4]);
        AtomicLong called = new AtomicLong();
        OnlineConfig online = OnlineConfig.defaults().withBatch(16).withCadence(16).withWindow(256);
        try (ServingSession session = ServingSession.builder().model(Path.of(args[3])).ticks(Path.of(args[0]))
            .predictions(Path.of(args[1])).checkpoints(Path.of(args[2]), 5, 50_000_000L).online(online)
            .onPrediction(p -> called.lazySet(called.get() + 1))     // the inference thread only: no contention
            .idle(IdleStrategies.parse("sleeping"), IdleStrategies.parse("sleeping"))
            .notices(System.out::println).errors(System.out).open()) {
            session.start();
            long lastSeen = -1;
            long lastChange = System.nanoTime();
            while (true) {
                Thread.sleep(20);
                long seen = session.activity();
                if (seen != lastSeen) {
                    lastSeen = seen;
                    lastChange = System.nanoTime();
                } else if (exitWhenIdleMs > 0 && System.nanoTime() - lastChange > exitWhenIdleMs * 1_000_000L) {
                    break;
                }
            }
            session.stop();
            System.out.println("session: predictions " + session.predictions() + ", callback calls " + called.get());
            System.out.println(session.learning().report());
        }
    }
}
