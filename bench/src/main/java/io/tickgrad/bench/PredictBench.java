package io.tickgrad.bench;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
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

/**
 * Single-sample predict, JNI included: the input row is already in the network's off-heap input (as a strategy
 * writes its features), one call runs the whole forward pass, the output is read in place. Sampled, so the
 * report carries the median. The reference backend (Java, double precision) is the same-run peer; setup checks
 * that both give the same outputs before anything is timed.
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

    public static class ReferenceState extends NetworkState {
        @Override
        io.tickgrad.nn.Backend backend() {
            return new ReferenceBackend();
        }
    }

    @Benchmark
    public float tickgrad(NativeState s) {
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

    @Benchmark
    public float reference(ReferenceState s) {
        s.net.predict(1);
        return s.net.output().getFloat(0);
    }
}
