package org.rnn4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.config.ConfigValues;

/**
 * Reads the options IntegerLookup and StringLookup share from a Keras config (the inverse of
 * {@link IndexLookup#config()}), in the order the layer needs them: options first, then the
 * vocabulary, which freezes them.
 */
final class IndexLookupConfig {
    private IndexLookupConfig() {
    }

    /** Sets the options and vocabulary of {@code config} on the new layer {@code l}. */
    static <T, L extends IndexLookup<T, L>> L read(L l, Map<String, Object> config) {
        String name = ConfigValues.name(config);
        if (name != null) {
            l.name(name);
        }
        if (ConfigValues.getBoolean(config, "sparse", false)) {
            throw new IllegalArgumentException(l.className() + ": sparse=True is not supported; rnn4j's tensors are dense");
        }
        l.oovMethod(ConfigValues.getString(config, "oov_method", "floormod"));
        long[] salt = OovHashing.salt(l.className(), config.get("salt"));
        if (salt != null) {
            l.salt(salt[0], salt[1]);
        }
        if (config.get("max_tokens") != null) {
            l.maxTokens(ConfigValues.getInt(config, "max_tokens", 0));
        }
        l.numOovIndices(ConfigValues.getInt(config, "num_oov_indices", 1));
        l.maskToken(config.get("mask_token") == null ? null : l.token(config.get("mask_token")));
        l.oovToken(config.get("oov_token") == null ? null : l.token(config.get("oov_token")));
        l.invert(ConfigValues.getBoolean(config, "invert", false));
        l.outputMode(ConfigValues.getString(config, "output_mode", "int"));
        l.padToMaxTokens(ConfigValues.getBoolean(config, "pad_to_max_tokens", false));
        ((IndexLookup<T, L>) l).validateOptions();
        Object vocab = config.get("vocabulary");
        if (vocab instanceof String path) {
            throw new IllegalArgumentException(l.className() + " '" + l.name() + "': a vocabulary file outside the model"
                    + " archive ('" + path + "') is not read; save the model with the vocabulary set as a list or adapted");
        }
        if (vocab instanceof List<?> list) {
            List<T> toks = new ArrayList<>();
            for (Object o : list) {
                toks.add(l.token(o));
            }
            List<Float> idf = null;
            if (config.get("idf_weights") instanceof List<?> w) {
                idf = new ArrayList<>();
                for (Object o : w) {
                    idf.add(((Number) o).floatValue());
                }
            }
            l.vocabulary(toks, idf);
        }
        if (config.get("vocabulary_size") instanceof Number n) {
            ((IndexLookup<T, L>) l).savedVocabularySize(n.intValue());
        }
        l.trainable(ConfigValues.getBoolean(config, "trainable", true));
        return l;
    }
}
