package io.tickgrad.nn.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.tensor.ParamEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CUDA runner's parameter offsets against Java's: runs on every machine, GPU or not, because
 * {@code tg_cuda_mlp_layout} (which {@code tg_cuda_mlp_create} takes its offsets from) is a host function in both
 * builds of libtickgrad_cuda. Widths whose tensors do not fill 16-float blocks are the ones a packed runner got
 * wrong.
 */
class CudaLayoutTest {

    private static Network dense(ReferenceBackend backend, int[] dims, boolean softmax) {
        var b = Network.builder(dims[0]);
        for (int l = 1; l < dims.length; l++) {
            b.dense(dims[l]);
            if (l + 1 < dims.length) {
                b.relu();
            }
        }
        if (softmax) {
            b.softmax();
        }
        return b.build(backend, 4, 7);
    }

    @Test
    void shouldUseTheParamTableOffsetsOfTheJavaNetworkForAwkwardWidths() {
        int[][] shapes = {{10, 5, 3}, {33, 17, 1}, {7, 9, 5, 2}, {1, 1}, {400, 256, 256, 6}};
        try (ReferenceBackend backend = new ReferenceBackend()) {
            for (int[] dims : shapes) {
                try (Network net = dense(backend, dims, dims[dims.length - 1] > 1)) {
                    CudaLayout layout = CudaLayout.of(net);
                    List<ParamEntry> entries = net.parameters().entries();
                    long[] java = new long[entries.size()];
                    for (int i = 0; i < java.length; i++) {
                        java[i] = entries.get(i).offset();
                    }
                    long[] runner = layout.runnerOffsets();
                    assertArrayEquals(java, runner, "runner offsets of " + layout);
                    assertEquals(net.parameters().totalFloats(), layout.paramFloats());
                    assertArrayEquals(dims, layout.dims());
                    assertEquals(Abi.ACT_RELU, dims.length > 2 ? layout.hiddenActivation() : Abi.ACT_RELU);
                    // the same widths without a Network: the same table
                    CudaLayout fromDims = CudaLayout.of(dims, Abi.ACT_RELU, true);
                    assertArrayEquals(java, fromDims.runnerOffsets(), "offsets from widths alone");
                    assertEquals(layout.paramFloats(), fromDims.paramFloats());
                }
            }
        }
    }

    @Test
    void shouldPutTheFirstBiasOfA1053NetworkAtFloat64NotAtThePacked50() {
        long[] offsets = CudaLayout.of(new int[] {10, 5, 3}, Abi.ACT_RELU, true).runnerOffsets();
        assertArrayEquals(new long[] {0, 64, 80, 96}, offsets);
    }

    @Test
    void shouldReadTheOutputSoftmaxAndHiddenActivationFromTheLayers() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Network net = Network.builder(6).dense(4).tanh().dense(3).softmax().build(backend, 2, 1)) {
            CudaLayout layout = CudaLayout.of(net);
            assertEquals(Abi.ACT_TANH, layout.hiddenActivation());
            assertTrue(layout.outputSoftmax());
        }
    }

    @Test
    void shouldRefuseNetworksTheRunnerCannotRunNamingTheLayer() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Network mixed = Network.builder(6).dense(4).relu().dense(4).tanh().dense(2).build(backend, 2, 1);
             Network leaky = Network.builder(6).dense(4).leakyRelu(0.1f).dense(2).build(backend, 2, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaLayout.of(mixed));
            assertTrue(e.getMessage().contains("one hidden activation"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CudaLayout.of(leaky));
            assertTrue(e.getMessage().contains("leaky"), e.getMessage());
        }
    }
}
