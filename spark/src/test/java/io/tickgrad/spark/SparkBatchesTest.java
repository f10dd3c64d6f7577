package io.tickgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.backtest.sweep.SweepGrid;
import io.tickgrad.backtest.sweep.SweepTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the Spark runner groups a sweep's tasks into Spark tasks. */
class SparkBatchesTest {
    private static List<SweepTask> tasks(int n) {
        List<SweepTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SweepTask("d", i, 0, 1, 1, 2, SweepGrid.Arm.FROZEN, 0, Double.NaN, 0, 0, 0, 0, 0, 0.5, 0.5,
                0, null));
        }
        return out;
    }

    @Test
    void everyTaskOnceInOrderInBatchesOfAtMostEightWithFourPerSlotWhenThereAreEnough() {
        for (int n : new int[] {0, 1, 3, 7, 8, 9, 31, 32, 33, 100, 448, 1001}) {
            for (int slots : new int[] {1, 2, 3, 16, 100}) {
                List<SweepTask> all = tasks(n);
                List<List<SweepTask>> b = SparkSweepRunner.batches(all, slots);
                List<SweepTask> flat = new ArrayList<>();
                b.forEach(flat::addAll);
                assertEquals(all, flat, n + " tasks, " + slots + " slots");
                for (List<SweepTask> batch : b) {
                    assertTrue(!batch.isEmpty() && batch.size() <= SparkSweepRunner.MAX_BATCH, n + "/" + slots);
                }
                // four batches a slot when there are tasks enough: no slot waits long for the last one
                assertTrue(b.size() >= Math.min(n, 4 * slots), n + " tasks, " + slots + " slots: " + b.size());
            }
        }
        assertEquals(56, SparkSweepRunner.batches(tasks(448), 2).size());   // 8 each
        assertEquals(16, SparkSweepRunner.batches(tasks(16), 100).size());  // more slots than tasks: 1 each
    }
}
