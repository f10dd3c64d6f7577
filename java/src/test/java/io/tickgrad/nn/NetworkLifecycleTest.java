package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Trainer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Bad arguments raise exceptions before anything crosses JNI; close is explicit, idempotent and complete. */
class NetworkLifecycleTest {
    @Test
    void shouldRefuseBadBatchesAndLengthsWithExceptions() {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(4).dense(3).relu().dense(2).build(backend, 8, 1)) {
            assertThrows(IllegalArgumentException.class, () -> net.predict(0));
            assertThrows(IllegalArgumentException.class, () -> net.predict(9));
            assertThrows(IllegalArgumentException.class, () -> net.predict(new float[3], new float[2]));
            assertThrows(IllegalArgumentException.class, () -> net.predict(new float[4], new float[1]));
            assertThrows(IllegalArgumentException.class, () -> net.predict(new float[8], 3, new float[6]));
            assertThrows(IllegalArgumentException.class, () -> net.setParameter("dense_0.weight", new float[5]));
            assertThrows(IllegalArgumentException.class, () -> net.getParameter("nope"));
            assertThrows(IndexOutOfBoundsException.class, () -> net.input().putFloat(8 * 4 * Float.BYTES, 1f));
            assertThrows(IllegalArgumentException.class, () -> net.forward(1, true, 0, -2));
            assertThrows(IllegalArgumentException.class, () -> net.forward(1, true, 0, 3));
            assertThrows(IllegalArgumentException.class,
                () -> Network.builder(4).dense(3).dense(3).build(backend, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> Network.create(4,
                java.util.List.of(new Dense("a", 3, true), new Dense("a", 2, true)), backend, 1));
        }
    }

    @Test
    void shouldStopAForwardPassAtTheLastLayerAsked() {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(4).dense(3).relu().dense(2).softmax().build(backend, 2, 1)) {
            for (int i = 0; i < 8; i++) {
                net.input().putFloat(i * Float.BYTES, 0.25f * i - 1f);
            }
            long logits = net.layerOutputAddress(2);
            long probabilities = net.layerOutputAddress(3);
            net.forward(2, false, 0);
            float[] full = read(probabilities, 4);
            UnsafeBuffer out = new UnsafeBuffer(probabilities, 4 * Float.BYTES);
            for (int i = 0; i < 4; i++) {
                out.putFloat(i * Float.BYTES, Float.NaN);
            }
            net.forward(2, false, 0, 2);
            for (float v : read(probabilities, 4)) {
                assertEquals(Float.NaN, v, "the softmax after the last layer asked must not run");
            }
            float[] z = read(logits, 4);
            for (int r = 0; r < 2; r++) {   // the logits are those the full pass turned into its probabilities
                double sum = Math.exp(z[2 * r]) + Math.exp(z[2 * r + 1]);
                assertEquals(Math.exp(z[2 * r]) / sum, full[2 * r], 1e-6);
            }
        }
    }

    private static float[] read(long address, int n) {
        UnsafeBuffer b = new UnsafeBuffer(address, n * Float.BYTES);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getFloat(i * Float.BYTES);
        }
        return v;
    }

    @Test
    void shouldThrowAfterCloseAndIgnoreASecondClose() {
        NativeCpuBackend backend = NativeCpuBackend.create();
        Network net = Network.builder(4).dense(2).build(backend, 1, 1);
        Trainer trainer = Trainer.builder(net).optimizer(Adam.adam(1e-3f)).build();
        trainer.close();
        net.close();
        assertDoesNotThrow(net::close);
        assertDoesNotThrow(trainer::close);
        assertThrows(IllegalStateException.class, () -> net.predict(1));
        assertThrows(IllegalStateException.class, net::input);
        assertThrows(IllegalStateException.class, () -> net.forward(1, true, 0));
        assertThrows(IllegalStateException.class, () -> trainer.step(1));
        backend.close();
        assertDoesNotThrow(backend::close);
    }

    @Test
    void shouldReturnEveryNativeByteAfterManyNetworksAndTrainers() {
        try (NativeCpuBackend backend = NativeCpuBackend.create()) {
            long before = TickgradNative.tg_allocated_bytes();
            for (int i = 0; i < 1_000; i++) {
                try (Network net = Network.builder(8).dense(16).layerNorm().relu().dropout(0.1f).dense(1)
                         .build(backend, 4, i);
                     Trainer trainer = Trainer.builder(net).optimizer(Adam.adam(1e-3f)).build()) {
                    net.predict(1);
                }
            }
            assertEquals(before, TickgradNative.tg_allocated_bytes(), "native bytes still allocated");
        }
    }
}
