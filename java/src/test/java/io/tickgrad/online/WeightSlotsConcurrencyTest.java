package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamCopy;
import io.tickgrad.tensor.ParamEntry;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The weight-swap protocol under a long randomised race: one thread predicts as fast as it can while another
 * publishes thousands of revisions as fast as the protocol lets it, each revision with every weight different.
 * Every prediction is then recomputed with the weights of the revision it reported: it must equal that
 * revision's output bit for bit (a half-written or wrong slot would not), and differ from its neighbours' (so the
 * check can tell revisions apart).
 */
class WeightSlotsConcurrencyTest {
    private static final int INPUTS = 16;
    private static final int POOL = 64;
    private static final int REVISIONS = 4000;
    private static final int MAX_RECORDS = 4_000_000;
    private static NativeCpuBackend backend;

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Network network() {
        // wide enough that copying a revision takes a while, so reads overlap writes often
        return Network.builder(INPUTS).dense(256).tanh().dense(256).tanh().dense(1).build(backend, 1, 3);
    }

    /** Revision r's weights: every one different from every other revision's. */
    private static void writeRevision(Network net, long r) {
        for (ParamEntry e : net.parameters().entries()) {
            float[] v = new float[(int) e.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (Math.sin(r * 0.7311 + i * 0.1379 + e.offset() * 0.01) * 0.2);
            }
            net.setParameter(e.name(), v);
        }
    }

    @Test
    void shouldServeEveryPredictionFromExactlyOnePublishedRevision() throws Exception {
        float[][] inputs = new float[POOL][INPUTS];
        SplittableRandom random = new SplittableRandom(20261128);
        for (float[] row : inputs) {
            for (int i = 0; i < INPUTS; i++) {
                row[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        long[] revisionOf = new long[MAX_RECORDS];
        int[] inputOf = new int[MAX_RECORDS];
        float[] outputOf = new float[MAX_RECORDS];
        int[] count = new int[1];
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        try (Network a = network(); Network b = network(); Network source = network()) {
            writeRevision(a, 0);
            WeightSlots slots = WeightSlots.of(a, b, 42, 0);
            ParamCopy copy = ParamCopy.trainable(source.parameters(), a.parameters());
            Thread reader = new Thread(() -> {
                try {
                    int n = 0;
                    while (!done.get() && n < MAX_RECORDS) {
                        int k = n % POOL;
                        Network net = slots.acquire();
                        MutableDirectBuffer in = net.input();
                        for (int i = 0; i < INPUTS; i++) {
                            in.putFloat(i * Float.BYTES, inputs[k][i]);
                        }
                        net.predict(1);
                        revisionOf[n] = slots.acquiredRevision();
                        inputOf[n] = k;
                        outputOf[n] = net.output().getFloat(0);
                        n++;
                    }
                    count[0] = n;
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "reader");
            reader.start();
            long refused = 0;
            for (long r = 1; r <= REVISIONS; r++) {
                writeRevision(source, r);
                while (!slots.tryPublish(copy, source.parameterSlab())) {
                    refused++;
                    Thread.onSpinWait();
                    if (!reader.isAlive()) {
                        break;
                    }
                }
            }
            done.set(true);
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
            assertEquals(REVISIONS, slots.publishedRevision());

            // recompute every prediction with the reported revision's weights
            int n = count[0];
            int distinctRevisions = 0;
            long last = -1;
            float[][] expected = new float[REVISIONS + 2][];
            try (Network check = network()) {
                float[] y = new float[1];
                for (int r = 0; r <= REVISIONS + 1; r++) {
                    writeRevision(check, r);
                    expected[r] = new float[POOL];
                    for (int k = 0; k < POOL; k++) {
                        check.predict(inputs[k], y);
                        expected[r][k] = y[0];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                long r = revisionOf[j];
                assertTrue(r >= last, "revisions went backwards at prediction " + j);
                distinctRevisions += r != last ? 1 : 0;
                int k = inputOf[j];
                assertEquals(Float.floatToIntBits(expected[(int) r][k]), Float.floatToIntBits(outputOf[j]),
                    "prediction " + j + " reported revision " + r + " but does not match its weights");
                if (r > 0) {
                    assertNotEquals(expected[(int) r - 1][k], outputOf[j], "revision " + r + " looks like " + (r - 1));
                }
                assertNotEquals(expected[(int) r + 1][k], outputOf[j], "revision " + r + " looks like " + (r + 1));
                last = r;
            }
            System.out.printf("weight slots: %d predictions over %d revisions (%d seen by the reader); %d publication"
                + " attempts refused while the reader lagged%n", n, REVISIONS, distinctRevisions, refused);
            assertTrue(n > 10_000, "too few predictions to race: " + n);
            assertTrue(distinctRevisions > REVISIONS / 10, "the reader saw too few revisions: " + distinctRevisions);
        }
    }
}
