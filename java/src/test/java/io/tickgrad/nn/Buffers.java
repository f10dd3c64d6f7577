package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.fail;

import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test helper: off-heap float buffers with random fill, NaN poisoning and toleranced comparison. */
final class Buffers implements AutoCloseable {
    private final List<Slab> slabs = new ArrayList<>();
    final SplittableRandom random;
    final long seed;

    Buffers() {
        this(System.nanoTime());
    }

    Buffers(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    Slab slab(long floats) {
        Slab s = Slab.ofFloats("test", Math.max(1, floats));
        slabs.add(s);
        return s;
    }

    /** A slab of standard-normal values times {@code scale}. */
    Slab gaussian(long floats, double scale) {
        Slab s = slab(floats);
        for (long i = 0; i < floats; i++) {
            s.putFloat(i, (float) (gaussian() * scale));
        }
        return s;
    }

    Slab uniform(long floats, double lo, double hi) {
        Slab s = slab(floats);
        for (long i = 0; i < floats; i++) {
            s.putFloat(i, (float) (lo + (hi - lo) * random.nextDouble()));
        }
        return s;
    }

    Slab poisoned(long floats) {
        Slab s = slab(floats);
        s.fill(Float.NaN);
        return s;
    }

    Slab copyOf(Slab src) {
        Slab s = slab(src.floatCapacity());
        s.copyFrom(src);
        return s;
    }

    double gaussian() {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Asserts |actual - expected| <= tol[i] for the first n floats; tol holds a per-element bound (may be null:
     * then {@code abs + rel * |expected|}).
     */
    static void assertClose(String what, Slab expected, Slab actual, long n, double abs, double rel, double[] tol,
                            long seed) {
        for (long i = 0; i < n; i++) {
            double e = expected.getFloat(i);
            double a = actual.getFloat(i);
            double bound = tol != null ? tol[(int) i] : abs + rel * Math.abs(e);
            if (Double.isNaN(a) || Double.isNaN(e)) {
                fail(what + ": NaN at " + i + " (expected " + e + ", actual " + a + "; seed " + seed + ")");
            }
            double err = Math.abs(a - e);
            if (err > bound) {
                fail(what + ": element " + i + " of " + n + " differs: expected " + e + ", actual " + a + ", error "
                    + err + " > bound " + bound + " (seed " + seed + ")");
            }
        }
    }

    @Override
    public void close() {
        for (Slab s : slabs) {
            s.close();
        }
    }
}
