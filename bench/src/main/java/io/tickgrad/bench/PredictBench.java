package io.tickgrad.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tickgrad.model.onnx.OnnxExporter;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Precision;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-sample predict, JNI included: the input row is already in the network's off-heap input (as a strategy
 * writes its features), one call runs the whole forward pass, the output is read in place. Sampled, so the
 * report carries the median. Same-run peers, each with the same weights: the reference backend (Java, double
 * precision) and ONNX Runtime running the model tickgrad exports (one intra-op and one inter-op thread, all graph
 * optimisations, the input tensor created once over a direct buffer that is refilled; timed: session.run and
 * reading the output). Deeplearning4j's counterpart is the class of the same name in module bench-dl4j. Every
 * setup checks that the peer's outputs match tickgrad's before anything is timed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PredictBench {

    @State(Scope.Thread)
    public abstract static class NetworkState {
        @Param({"mlp32", "chart"})
        public String network;

        Network net;

        abstract io.tickgrad.nn.Backend backend();

        @Setup(Level.Trial)
        public void setUp() {
            net = Networks.build(network, backend(), 1);
            Networks.randomInput(net, 1, 5);
            try (ReferenceBackend reference = new ReferenceBackend();
                 Network oracle = Networks.build(network, reference, 1)) {
                Networks.randomInput(oracle, 1, 5);
                oracle.predict(1);
                net.predict(1);
                for (int i = 0; i < net.outputs(); i++) {
                    float a = net.output().getFloat(i * Float.BYTES);
                    float b = oracle.output().getFloat(i * Float.BYTES);
                    if (!(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)))) {
                        throw new IllegalStateException(network + ": output " + i + " is " + a + ", the reference says " + b);
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            net.close();
        }
    }

    public static class NativeState extends NetworkState {
        NativeCpuBackend backend;

        @Override
        io.tickgrad.nn.Backend backend() {
            backend = NativeCpuBackend.create(1);
            return backend;
        }
    }

    /**
     * The same network predicting with reduced-precision weights ({@link Network#setPrecision}); setup checks the
     * outputs against the fp32 ones within 5% of the largest output plus 1e-3 (a sanity check: the derived bounds
     * are tested in ReducedPrecisionNetworkTest and native/test/test_quant.cpp).
     */
    public abstract static class ReducedState extends NativeState {
        abstract Precision precision();

        @Override
        public void setUp() {
            super.setUp();
            float[] fp32 = new float[net.outputs()];
            double scale = 0;
            for (int i = 0; i < fp32.length; i++) {
                fp32[i] = net.output().getFloat(i * Float.BYTES);
                scale = Math.max(scale, Math.abs(fp32[i]));
            }
            net.setPrecision(precision());
            net.predict(1);
            for (int i = 0; i < fp32.length; i++) {
                float got = net.output().getFloat(i * Float.BYTES);
                if (!(Math.abs(got - fp32[i]) <= 0.05 * scale + 1e-3)) {
                    throw new IllegalStateException(network + " at " + precision().label() + ": output " + i + " is "
                        + got + ", fp32 says " + fp32[i]);
                }
            }
        }
    }

    public static class Bf16State extends ReducedState {
        @Override
        Precision precision() {
            return Precision.BF16;
        }
    }

    public static class Int8State extends ReducedState {
        @Override
        Precision precision() {
            return Precision.INT8;
        }
    }

    /**
     * Busy work as long as tickgrad's fp32 predict of the same network (calibrated in setup), sampled the same way:
     * its p99.9 is what the machine adds to any call that short (timer interrupts, the hypervisor, this JVM's JIT and
     * GC threads), the floor under tickgrad's own p99.9. Engine "platform" in the report.
     */
    public static class PlatformState extends NativeState {
        long tokens;

        @Override
        public void setUp() {
            super.setUp();
            tokens = BusyWork.tokensFor(BusyWork.meanNanos(() -> net.predict(1), 200_000));
        }
    }

    public static class ReferenceState extends NetworkState {
        @Override
        io.tickgrad.nn.Backend backend() {
            return new ReferenceBackend();
        }
    }

    /** The tickgrad network's ONNX export in an ONNX Runtime session on one thread. */
    @State(Scope.Thread)
    public static class OnnxRuntimeState {
        @Param({"mlp32", "chart"})
        public String network;

        OrtEnvironment env;
        OrtSession session;
        OnnxTensor input;
        FloatBuffer inputBuffer;
        float[] row;
        Map<String, OnnxTensor> inputs;

        @Setup(Level.Trial)
        public void setUp() throws OrtException {
            float[] expected;
            byte[] model;
            try (NativeCpuBackend backend = NativeCpuBackend.create(1);
                 Network net = Networks.build(network, backend, 1)) {
                Networks.randomInput(net, 1, 5);
                net.predict(1);
                row = new float[net.inputs()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = net.input().getFloat(i * Float.BYTES);
                }
                expected = new float[net.outputs()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = net.output().getFloat(i * Float.BYTES);
                }
                model = OnnxExporter.toBytes(net);
            }
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(model, options);
            }
            inputBuffer = ByteBuffer.allocateDirect(row.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            inputBuffer.put(row).flip();
            input = OnnxTensor.createTensor(env, inputBuffer, new long[] {1, row.length});
            inputs = Map.of(OnnxExporter.INPUT_NAME, input);
            try (OrtSession.Result result = session.run(inputs)) {
                float[] got = ((float[][]) result.get(0).getValue())[0];
                for (int i = 0; i < expected.length; i++) {
                    if (!(Math.abs(got[i] - expected[i]) <= 1e-4 * Math.max(1, Math.abs(expected[i])))) {
                        throw new IllegalStateException(network + ": ONNX Runtime output " + i + " is " + got[i]
                            + ", tickgrad says " + expected[i]);
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            input.close();
            session.close();
        }
    }

    @Benchmark
    public float onnxruntime(OnnxRuntimeState s) throws OrtException {
        // refill the input the tensor was created over, as a strategy writes its features, then run
        s.inputBuffer.put(0, s.row);
        try (OrtSession.Result result = s.session.run(s.inputs)) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
        }
    }

    @Benchmark
    public float tickgrad(NativeState s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }

    /** tickgrad with bf16 weights (VDPBF16PS where the CPU has AVX512_BF16). */
    @Benchmark
    public float tickgrad_bf16(Bf16State s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }

    /** tickgrad with int8 weights, per-channel scales, activations quantised per row (VPDPBUSD with AVX512_VNNI). */
    @Benchmark
    public float tickgrad_int8(Int8State s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }

    /** The same call timed as a mean, for JMH -prof gc's bytes per operation (sampling itself allocates). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public float tickgrad_mean(NativeState s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }

    /** Busy work of the length of tickgrad's fp32 predict: the platform's own tail at that duration. */
    @Benchmark
    public long platform(PlatformState s) {
        Blackhole.consumeCPU(s.tokens);
        return s.tokens;
    }

    @Benchmark
    public float reference(ReferenceState s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }
}
