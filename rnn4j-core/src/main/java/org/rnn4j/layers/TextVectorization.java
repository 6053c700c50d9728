package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keras's {@code TextVectorization} with {@code output_mode="int"}: standardizes and splits
 * strings into tokens and maps them to integer ids, 0 for padding and 1 for out-of-vocabulary
 * ({@code "[UNK]"}). The vocabulary is built by {@link #adapt}: most frequent first, ties broken
 * by the token in descending order (Keras's {@code np.lexsort(...)[::-1]}).
 *
 * <p>Unlike the other layers it works on strings, so it runs before a model, not inside one; its
 * output feeds an {@code Embedding}.
 */
public final class TextVectorization {
    /** Keras's punctuation class for {@code strip_punctuation}. */
    private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~']");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    public static final String OOV = "[UNK]";

    private Integer maxTokens;
    private String standardize = "lower_and_strip_punctuation";
    private String split = "whitespace";
    private Integer outputSequenceLength;
    private final List<String> vocabulary = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    public TextVectorization() {
        setVocabulary(List.of());
    }

    /** Vocabulary size including padding and OOV (Keras's {@code max_tokens}); null = unlimited. */
    public TextVectorization maxTokens(Integer value) {
        if (value != null && value < 3) {
            throw new IllegalArgumentException("TextVectorization: max_tokens must be at least 3 (padding, OOV and one token), got " + value);
        }
        this.maxTokens = value;
        return this;
    }

    /** {@code "lower_and_strip_punctuation"} (default), {@code "lower"}, {@code "strip_punctuation"} or null. */
    public TextVectorization standardize(String value) {
        if (value != null && !List.of("lower_and_strip_punctuation", "lower", "strip_punctuation").contains(value)) {
            throw new IllegalArgumentException("TextVectorization: unknown standardize '" + value
                    + "'; use lower_and_strip_punctuation, lower, strip_punctuation or null");
        }
        this.standardize = value;
        return this;
    }

    /** {@code "whitespace"} (default), {@code "character"} or null (the whole string is one token). */
    public TextVectorization split(String value) {
        if (value != null && !value.equals("whitespace") && !value.equals("character")) {
            throw new IllegalArgumentException("TextVectorization: unknown split '" + value + "'; use whitespace, character or null");
        }
        this.split = value;
        return this;
    }

    /** Pads (with 0, at the end) or truncates every output to this length; null = longest in the call. */
    public TextVectorization outputSequenceLength(Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException("TextVectorization: output_sequence_length must be positive, got " + value);
        }
        this.outputSequenceLength = value;
        return this;
    }

    /** The text after standardization (Keras order: lowercase, then strip punctuation). */
    public String standardizeText(String text) {
        String s = text;
        if ("lower".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
            s = s.toLowerCase(Locale.ROOT);
        }
        if ("strip_punctuation".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
            s = PUNCTUATION.matcher(s).replaceAll("");
        }
        return s;
    }

    /** The tokens of one text after standardization and splitting. */
    public List<String> tokenize(String text) {
        String s = standardizeText(text);
        List<String> tokens = new ArrayList<>();
        if (split == null) {
            tokens.add(s);
        } else if (split.equals("character")) {
            s.codePoints().forEach(cp -> tokens.add(new String(Character.toChars(cp))));
        } else {
            for (String t : WHITESPACE.split(s)) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }

    /** Builds the vocabulary from the texts, most frequent tokens first, up to {@code maxTokens}. */
    public TextVectorization adapt(Iterable<String> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String text : texts) {
            for (String t : tokenize(text)) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        // Count descending, then token descending (Keras sorts ascending by (count, token) and reverses).
        entries.sort((a, b) -> {
            int c = Integer.compare(b.getValue(), a.getValue());
            return c != 0 ? c : compareUtf8(b.getKey(), a.getKey());
        });
        List<String> vocab = new ArrayList<>();
        int limit = maxTokens == null ? Integer.MAX_VALUE : maxTokens - 2;
        for (Map.Entry<String, Integer> e : entries) {
            if (vocab.size() >= limit) {
                break;
            }
            if (!e.getKey().isEmpty() && !e.getKey().equals(OOV)) {
                vocab.add(e.getKey());
            }
        }
        setVocabulary(vocab);
        return this;
    }

    /** numpy compares the token bytes (UTF-8); Java's compareTo compares UTF-16 units. */
    private static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    /** Sets the learned tokens (without the padding and OOV entries, which are always added). */
    public TextVectorization setVocabulary(List<String> tokens) {
        vocabulary.clear();
        index.clear();
        vocabulary.add("");
        vocabulary.add(OOV);
        for (String t : tokens) {
            if (index.containsKey(t) || t.isEmpty() || t.equals(OOV)) {
                throw new IllegalArgumentException("TextVectorization: vocabulary token '" + t
                        + "' is repeated or reserved ('' and '[UNK]' are added automatically)");
            }
            index.put(t, vocabulary.size());
            vocabulary.add(t);
        }
        return this;
    }

    /** Keras's {@code get_vocabulary()}: {@code ["", "[UNK]", tokens...]}. */
    public List<String> getVocabulary() {
        return Collections.unmodifiableList(vocabulary);
    }

    public int vocabularySize() {
        return vocabulary.size();
    }

    /** The id of one token: 1 when it is not in the vocabulary. */
    public int tokenId(String token) {
        return index.getOrDefault(token, 1);
    }

    /** The ids of one text, without padding or truncation. */
    public int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenId(tokens.get(i));
        }
        return ids;
    }

    /** Vectorizes a batch: rows padded with 0 (or truncated) to {@code outputSequenceLength} or the longest. */
    public int[][] apply(List<String> texts) {
        int[][] ids = new int[texts.size()][];
        int longest = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encode(texts.get(i));
            longest = Math.max(longest, ids[i].length);
        }
        int len = outputSequenceLength != null ? outputSequenceLength : longest;
        int[][] out = new int[ids.length][len];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, out[i], 0, Math.min(len, ids[i].length));
        }
        return out;
    }

    /** Maps ids back to tokens (for text generation). */
    public String decode(int[] ids, String separator) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(ids[i] >= 0 && ids[i] < vocabulary.size() ? vocabulary.get(ids[i]) : OOV);
        }
        return sb.toString();
    }

    /** Keras config keys. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_tokens", maxTokens);
        c.put("standardize", standardize);
        c.put("split", split);
        c.put("output_mode", "int");
        c.put("output_sequence_length", outputSequenceLength);
        c.put("vocabulary_size", vocabulary.size());
        return c;
    }
}
