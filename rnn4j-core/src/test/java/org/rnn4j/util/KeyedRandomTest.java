package org.rnn4j.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyedRandomTest {
    @Test
    void sameKeySameValuesWhateverTheOrder() {
        long s = KeyedRandom.hash(7, 2, 41);
        double a = KeyedRandom.uniform(s, 3);
        KeyedRandom.uniform(s, 0);
        assertEquals(a, KeyedRandom.uniform(KeyedRandom.hash(7, 2, 41), 3), 0.0);
        assertNotEquals(KeyedRandom.hash(7, 2, 41), KeyedRandom.hash(7, 2, 42));
        assertNotEquals(KeyedRandom.hash(7, 2), KeyedRandom.hash(2, 7));
        assertNotEquals(KeyedRandom.hash(0), KeyedRandom.hash(0, 0));
    }

    @Test
    void permutationIsAPermutationAndDependsOnTheKey() {
        int[] p = KeyedRandom.permutation(1000, 5, 0);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, KeyedRandom.permutation(1000, 5, 0));
        assertTrue(!Arrays.equals(p, KeyedRandom.permutation(1000, 5, 1)));
    }

    @Test
    void uniformLooksUniform() {
        long s = KeyedRandom.hash(1);
        int[] bins = new int[10];
        int n = 100_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double u = KeyedRandom.uniform(s, i);
            assertTrue(u >= 0 && u < 1);
            bins[(int) (u * 10)]++;
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.01);
        for (int b : bins) {
            assertEquals(n / 10.0, b, n * 0.01);
        }
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[KeyedRandom.boundedAt(s, i, 3)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
    }
}
