package org.rnn4j.layers.preprocessing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of Keras's {@code IndexLookup.set_vocabulary} on the tokens of a vocabulary once its
 * leading special tokens are stripped: no repeats, no mask token (nor, with {@code invert}, OOV
 * token) among them, and at most {@code max_tokens} ids in all. Messages as Keras's.
 */
final class LookupVocabularyChecks {
    private LookupVocabularyChecks() {
    }

    /**
     * Checks {@code toks}; {@code special} is the special-token prefix Keras expects (mask, then
     * OOV tokens), so its size is the first token id. {@code who} names the layer in errors.
     */
    static <T> void check(String who, List<T> toks, List<T> special, T maskToken, T oovToken, boolean invert,
                          Integer maxTokens) {
        Set<T> seen = new LinkedHashSet<>();
        Set<T> repeated = new LinkedHashSet<>();
        for (T t : toks) {
            if (!seen.add(t)) {
                repeated.add(t);
            }
        }
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException(who + ": the passed vocabulary has at least one"
                    + " repeated term. Please uniquify your dataset. The repeated terms are: " + repeated);
        }
        if (maskToken != null && seen.contains(maskToken)) {
            throw new IllegalArgumentException(who + ": found reserved mask token at unexpected"
                    + " location in `vocabulary`. Either remove all mask and OOV tokens, or include them only at the start"
                    + " of the vocabulary in precisely this order: " + special);
        }
        if (oovToken != null && invert && seen.contains(oovToken)) {
            throw new IllegalArgumentException(who + ": found reserved OOV token at unexpected"
                    + " location in `vocabulary`. Either remove all mask and OOV tokens, or include them only at the start"
                    + " of the vocabulary in precisely this order: " + special);
        }
        int start = special.size();
        if (maxTokens != null && start + toks.size() > maxTokens) {
            throw new IllegalArgumentException(who + ": attempted to set a vocabulary larger than"
                    + " the maximum vocab size. Received vocabulary size is " + (start + toks.size())
                    + "; `max_tokens` is " + maxTokens);
        }
    }
}
