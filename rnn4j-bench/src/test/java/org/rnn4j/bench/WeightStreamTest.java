package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightStreamTest {
    @Test
    void aPassOverFourTimesTheFloatsTakesLonger() {
        WeightStream.microsPerPass(64 * 256, 0.5); // compiled by now: the best pass is no longer interpreted
        double small = WeightStream.microsPerPass(64 * 256, 0.2);
        double large = WeightStream.microsPerPass(256 * 256, 0.2);
        assertTrue(small > 0, "pass over 64 KB: " + small + " us");
        // 4x the bytes, from the same or a slower cache level: at least twice as long.
        assertTrue(large > 2 * small, "64 KB: " + small + " us, 256 KB: " + large + " us");
    }

    @Test
    void aLengthNotAMultipleOfEightVectorsIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> WeightStream.microsPerPass(1000, 0.01));
    }
}
