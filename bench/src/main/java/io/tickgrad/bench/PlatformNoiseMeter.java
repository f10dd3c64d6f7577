package io.tickgrad.bench;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The platform's own latency noise, measured in the process under test as jHiccup does: a thread asks to wake every
 * millisecond and records how late it woke (ns). What delays it (the OS scheduler, another process on the core, a
 * JVM safepoint, a GC pause) delays the serving thread too, so its p99 and p99.9 are the floor the tick-to-prediction
 * tail can be compared with. Start it, run the measurement, {@link #stop()}, then read {@link #histogram()}.
 */
final class PlatformNoiseMeter implements AutoCloseable {
    private static final long PERIOD_NS = 1_000_000;
    private final Histogram hiccups = new Histogram(1, 60_000_000_000L, 3);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean recording;

    PlatformNoiseMeter() {
        thread = new Thread(this::run, "platform-noise-meter");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long due = System.nanoTime() + PERIOD_NS;
        while (running) {
            LockSupport.parkNanos(due - System.nanoTime());
            long now = System.nanoTime();
            if (now < due) {
                continue;   // an early return of parkNanos: wait again for the same due time
            }
            if (recording) {
                hiccups.recordValue(Math.max(1, now - due));
            }
            due = now + PERIOD_NS;
        }
    }

    /** Records from now on (call from the measuring thread between rounds). */
    void recording(boolean on) {
        recording = on;
    }

    /** Stops the meter thread and waits for it; the histogram is then safe to read. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** How late each wake-up was, ns. Read only after {@link #stop()}. */
    Histogram histogram() {
        return hiccups;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
