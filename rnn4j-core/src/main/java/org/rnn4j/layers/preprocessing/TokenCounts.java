package org.rnn4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counting half of Keras's IndexLookup {@code adapt} (and its tf_idf weights): how often each token occurs and in how
 * many documents, the vocabulary order Keras gives (most frequent first, ties by the larger token:
 * {@code np.lexsort(...)[::-1]}) and tf_idf's {@code log(1 + documents / (1 + documents with the token))}.
 *
 * @param <T> the token type
 */
final class TokenCounts<T> {
    /** token -> {occurrences, documents holding it} */
    private final Map<T, long[]> counts = new HashMap<>();
    private final int documents;

    /** Counts every token of {@code docs}, leaving out the reserved tokens (null: none). */
    TokenCounts(List<List<T>> docs, T maskToken, T oovToken) {
        for (List<T> doc : docs) {
            Set<T> inDoc = new HashSet<>();
            for (T t : doc) {
                long[] c = counts.computeIfAbsent(t, k -> new long[2]);
                c[0]++;
                if (inDoc.add(t)) {
                    c[1]++;
                }
            }
        }
        if (maskToken != null) {
            counts.remove(maskToken);
        }
        if (oovToken != null) {
            counts.remove(oovToken);
        }
        this.documents = docs.size();
    }

    /** The tokens in Keras's vocabulary order, at most {@code limit} of them (null: all). */
    List<T> ranked(Comparator<T> tokenOrder, Integer limit) {
        List<T> sorted = new ArrayList<>(counts.keySet());
        sorted.sort((a, b) -> {
            int byCount = Long.compare(counts.get(b)[0], counts.get(a)[0]);
            return byCount != 0 ? byCount : tokenOrder.compare(b, a);
        });
        if (limit != null && sorted.size() > limit) {
            sorted = new ArrayList<>(sorted.subList(0, Math.max(0, limit)));
        }
        return sorted;
    }

    /**
     * tf_idf weights of {@code depth} slots: {@code tokens} from slot {@code start} on, the slots
     * before it (mask/OOV) getting the tokens' mean, as Keras's adapt sets them.
     */
    float[] idfWeights(List<T> tokens, int start, int depth) {
        float[] w = new float[depth];
        float sum = 0;
        for (int i = 0; i < tokens.size(); i++) {
            w[start + i] = (float) Math.log(1 + (double) documents / (1 + counts.get(tokens.get(i))[1]));
            sum += w[start + i];
        }
        float mean = tokens.isEmpty() ? 0f : sum / tokens.size();
        for (int i = 0; i < start; i++) {
            w[i] = mean;
        }
        return w;
    }

    /**
     * Keras's set_vocabulary with {@code idf_weights}: the given weights from slot {@code front}
     * on (0 when the vocabulary listed its special tokens), the slots before it their mean.
     */
    static float[] givenIdfWeights(List<Float> idf, int front, int depth) {
        float[] w = new float[depth];
        double avg = 0;
        for (Float f : idf) {
            avg += f;
        }
        avg /= idf.size();
        for (int i = 0; i < front; i++) {
            w[i] = (float) avg;
        }
        for (int i = 0; i < idf.size(); i++) {
            w[front + i] = idf.get(i);
        }
        return w;
    }
}
