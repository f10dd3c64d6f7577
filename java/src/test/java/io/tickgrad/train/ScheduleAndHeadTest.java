package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleAndHeadTest {
    @Test
    void shouldFollowTheScheduleFormulas() {
        assertEquals(0.1, LearningRateSchedule.constant().rate(1000, 0.1), 0);
        LearningRateSchedule step = LearningRateSchedule.stepDecay(10, 0.5);
        assertEquals(0.1, step.rate(9, 0.1), 1e-15);
        assertEquals(0.05, step.rate(10, 0.1), 1e-15);
        assertEquals(0.025, step.rate(25, 0.1), 1e-15);
        LearningRateSchedule cos = LearningRateSchedule.cosineWithWarmup(4, 14, 0.0);
        assertEquals(0.025, cos.rate(0, 0.1), 1e-15);
        assertEquals(0.1, cos.rate(3, 0.1), 1e-15);
        assertEquals(0.1, cos.rate(4, 0.1), 1e-15);
        assertEquals(0.05, cos.rate(9, 0.1), 1e-15);
        assertEquals(0.0, cos.rate(14, 0.1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineWithWarmup(5, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0, 0.5));
    }

    @Test
    void shouldParseHeadsAndRefuseBadOnes() {
        assertEquals(Head.binary(), Head.parse("binary"));
        assertEquals(Head.softmax(3), Head.parse("softmax:3"));
        assertEquals(Head.regression(1), Head.parse("regression"));
        assertEquals(Head.regression(2), Head.parse("regression:2"));
        assertThrows(IllegalArgumentException.class, () -> Head.parse("softmax"));
        assertThrows(IllegalArgumentException.class, () -> Head.parse("softmax:x"));
        assertThrows(IllegalArgumentException.class, () -> Head.parse("tree"));
    }

    @Test
    void shouldValidateHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> Adam.adam(0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1e-3f, 1f, 0.999f, 1e-7f, 0f, false));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1f, 0f, true, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1f, 0.9f, false, -1f));
        assertThrows(IllegalArgumentException.class, () -> new FitOptions(0, 32, true, 1, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new FitOptions(1, 32, true, 1, 1.0, 0, true));
    }
}
