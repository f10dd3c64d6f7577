package io.tickgrad.backtest.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's kept queue reads exactly what a freshly opened one reads, task after task. */
class WorkerQueuesTest {
    @TempDir
    Path dir;

    private static List<String> drain(ChronicleTickSource source, int limit) {
        List<String> out = new ArrayList<>();
        int n;
        do {
            n = source.poll(t -> out.add(t.toString() + "@" + t.sourceIndex()), Math.min(limit - out.size(), 16));
        } while (n > 0 && out.size() < limit);
        return out;
    }

    private Path queue(String name, int ticks) {
        Path q = dir.resolve(name);
        Tick tick = TestTicks.scratch();
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(q)) {
            for (int i = 0; i < ticks; i++) {
                writer.onTick(TestTicks.trade(tick, i, 100 + i * 0.5, 1 + i % 3));
            }
        }
        return q;
    }

    @Test
    void eachTaskReadsItsQueueFromTheStartAsAFreshSourceDoes() {
        Path a = queue("a", 300);
        Path b = queue("b", 40);
        List<String> freshA;
        List<String> freshB;
        try (ChronicleTickSource s = ChronicleTickSource.open(a)) {
            freshA = drain(s, Integer.MAX_VALUE);
        }
        try (ChronicleTickSource s = ChronicleTickSource.open(b)) {
            freshB = drain(s, Integer.MAX_VALUE);
        }
        assertEquals(300, freshA.size());
        try (WorkerQueues queues = new WorkerQueues()) {
            ChronicleTickSource first = queues.fromStart(a);
            assertEquals(freshA.subList(0, 120), drain(first, 120));   // a task that stops at its span's end
            assertEquals(freshB, drain(queues.fromStart(b), Integer.MAX_VALUE));
            ChronicleTickSource again = queues.fromStart(a);
            assertSame(first, again);                                   // kept open, not reopened
            assertEquals(freshA, drain(again, Integer.MAX_VALUE));
            assertEquals(freshA, drain(queues.fromStart(a), Integer.MAX_VALUE));
            queues.discard(a);                                          // after a failed task: opened afresh
            ChronicleTickSource reopened = queues.fromStart(a);
            assertNotSame(first, reopened);
            assertEquals(freshA, drain(reopened, Integer.MAX_VALUE));
        }
    }

    @Test
    void aMissingQueueIsRefusedNamingIt() {
        try (WorkerQueues queues = new WorkerQueues()) {
            Path missing = dir.resolve("none");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queues.fromStart(missing));
            assertEquals(true, e.getMessage().contains(missing.toString()), e.getMessage());
        }
    }
}
