package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values printed by Keras 3.15's TextVectorization on the same inputs. */
class TextVectorizationTest {
    @Test
    void wordVocabularyByFrequencyTiesDescendingAndOov() {
        TextVectorization tv = new TextVectorization().maxTokens(8).outputSequenceLength(6);
        tv.adapt(List.of("The cat sat.", "the dog, the CAT!", "a bird"));
        assertEquals(List.of("", "[UNK]", "the", "cat", "sat", "dog", "bird", "a"), tv.getVocabulary());
        assertArrayEquals(new int[][] {{2, 3, 1, 7, 1, 0}, {6, 0, 0, 0, 0, 0}},
                tv.apply(List.of("the cat ate a fish", "bird")));
    }

    @Test
    void maxTokensKeepsTheMostFrequent() {
        TextVectorization tv = new TextVectorization().maxTokens(4);
        tv.adapt(List.of("The cat sat.", "the dog, the CAT!", "a bird"));
        assertEquals(List.of("", "[UNK]", "the", "cat"), tv.getVocabulary());
        assertArrayEquals(new int[] {1, 3}, tv.encode("dog cat"));
    }

    @Test
    void characterSplitWithoutStandardizationPadsToLongest() {
        TextVectorization tv = new TextVectorization().split("character").standardize(null);
        tv.adapt(List.of("abba", "cab"));
        assertEquals(List.of("", "[UNK]", "b", "a", "c"), tv.getVocabulary());
        assertArrayEquals(new int[][] {{3, 2, 4, 1}, {2, 3, 0, 0}}, tv.apply(List.of("abcz", "ba")));
        assertEquals("abc", tv.decode(new int[] {3, 2, 4}, ""));
    }

    @Test
    void standardizationStripsKerasPunctuation() {
        TextVectorization tv = new TextVectorization();
        assertEquals("hello world its 5pm", tv.standardizeText("Hello, World! It's 5-p.m."));
        assertEquals(List.of("hello", "world"), tv.tokenize("  Hello \t\n World?? "));
    }
}
