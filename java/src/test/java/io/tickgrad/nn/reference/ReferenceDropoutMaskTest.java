package io.tickgrad.nn.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.DropoutMask;
import org.junit.jupiter.api.Test;

/** The dropout hash: bit-exact against the C formula of tickgrad.h, deterministic, and with the right rate. */
class ReferenceDropoutMaskTest {

    /**
     * Hash outputs printed by a C program of the header's formula (uint64_t arithmetic). For seed 0 they
     * are also the first outputs of Vigna's SplitMix64 seeded with 0 (0xE220A8397B1DCDAF, ...).
     */
    @Test
    void shouldReproduceTheCHashBitForBit() {
        long[][] cases = {
            {0, 0, 0xe220a8397b1dcdafL}, {0, 1, 0x6e789e6aa1b965f4L}, {0, 2, 0x06c45d188009454fL},
            {0, 3, 0xf88bb8a8724c81ecL}, {42, 0, 0xbdd732262feb6e95L}, {42, 3, 0x581ce1ff0e4ae394L},
            {-7, 0, 0x6c1e186443822970L}, {-7, 2, 0xe8313fe1d7350611L},
        };
        for (long[] c : cases) {
            assertEquals(c[2], DropoutMask.splitmix64(c[0] + c[1] * DropoutMask.GOLDEN_GAMMA),
                    "seed " + c[0] + " index " + c[1]);
        }
        assertEquals(0.883310795f, DropoutMask.uniform(0, 0), 0.0f);
        assertEquals(0.0264337659f, DropoutMask.uniform(0, 2), 0.0f);
        assertEquals(0.159910381f, DropoutMask.uniform(42, 1), 0.0f);
        assertEquals(0x3fb6db6e, Float.floatToIntBits(DropoutMask.keepScale(0.3f))); // 1.0f / 0.7f in C
    }

    @Test
    void shouldDropAtTheRequestedRateAndKeepTheMeanAtOne() {
        int n = 200_000;
        float rate = 0.3f;
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        double[] y = new double[n];
        double[] mask = new double[n];
        ReferenceKernels.dropoutForward(y, 0, mask, 0, x, 0, n, rate, 12345L);
        int dropped = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i] == 0.0) {
                dropped++;
            } else {
                assertEquals(DropoutMask.keepScale(rate), mask[i], 0.0);
            }
            sum += y[i];
        }
        // binomial: sd of the dropped fraction is sqrt(r (1 - r) / n) = 0.001; allow 5 sd
        assertEquals(rate, dropped / (double) n, 0.005);
        assertEquals(1.0, sum / n, 0.005 / (1 - rate));
    }

    @Test
    void shouldBeDeterministicPerSeedAndDifferAcrossSeeds() {
        int n = 10_000;
        int same = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(DropoutMask.value(99, i, 0.5f), DropoutMask.value(99, i, 0.5f), 0.0f);
            if (DropoutMask.value(99, i, 0.5f) == DropoutMask.value(100, i, 0.5f)) {
                same++;
            }
        }
        // independent masks agree on about half the elements at rate 0.5
        assertTrue(Math.abs(same - n / 2) < 5 * Math.sqrt(n / 4.0), "agreements " + same);
    }

    @Test
    void rateZeroShouldKeepEverythingUnscaled() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(1.0f, DropoutMask.value(7, i, 0.0f), 0.0f);
        }
    }
}
