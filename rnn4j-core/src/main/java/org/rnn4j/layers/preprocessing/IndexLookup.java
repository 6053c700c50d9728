package org.rnn4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.saving.LayerAssets;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's {@code IndexLookup}, the base of IntegerLookup and StringLookup: a fixed vocabulary
 * maps tokens to ids {@code [mask][oov x num_oov_indices][tokens...]} (the mask slot only with a
 * {@code mask_token} and {@code output_mode="int"}), unknown tokens to the OOV ids, and with
 * {@code invert} ids back to tokens. Other output modes encode the ids as Keras's
 * {@code encode_categorical_inputs} (one_hot, multi_hot, count, tf_idf) with depth = the
 * vocabulary size, or {@code max_tokens} with {@code pad_to_max_tokens}.
 *
 * <p>The vocabulary is set from a list (Keras's {@code vocabulary} argument, kept in the saved
 * config) or, for a layer Keras adapted, from the {@code .keras} asset {@code vocabulary.txt}
 * ({@link LayerAssets}); tf_idf weights come from the config or the weights file's
 * {@code idf_weights}, or built by {@code adapt} on documents (StringLookup and IntegerLookup),
 * as Keras builds it.
 *
 * <p>Apart: the output modes and tf_idf weights in {@link LookupEncoding}, the checks of
 * {@code set_vocabulary} in {@link LookupVocabularyChecks}, reading a Keras config in
 * {@link IndexLookupConfig}, the {@code vocabulary.txt} format in {@link VocabularyFile}.
 */
public abstract class IndexLookup<T, L extends IndexLookup<T, L>> extends Layer implements LayerAssets {
    static final String VOCABULARY_FILE = VocabularyFile.NAME;

    private Integer maxTokens;
    private int numOovIndices = 1;
    private T maskToken;
    private T oovToken;
    private boolean invert;
    /** The output_mode and the tf_idf weights. */
    private final LookupEncoding encoding = new LookupEncoding();
    private boolean padToMaxTokens;
    private String oovMethod = "floormod";
    /** Keras's {@code salt}: SipHash's key words, or null for FarmHash. */
    private long[] salt;

    /** The vocabulary as the user gave it (Keras's {@code input_vocabulary}); null when it came from assets. */
    private List<T> inputVocabulary;
    private List<Float> inputIdfWeights;
    /** The lookup tokens (special tokens stripped) and their ids. */
    private List<T> tokens;
    private Map<T, Integer> ids;
    /** Keras's {@code vocabulary_size} of a saved config: the output depth before the assets are read. */
    private Integer savedVocabularySize;

    protected IndexLookup(T oovToken) {
        this.oovToken = oovToken;
    }

    // ---------------------------------------------------------------- token type

    /** A token of a config value or vocabulary list element. */
    protected abstract T token(Object configValue);

    /** A token of one line of Keras's vocabulary.txt. */
    protected abstract T parseToken(String line);

    /** The config value of a token (Keras's get_config types). */
    protected abstract Object configToken(T token);

    /** Keras's {@code vocabulary_dtype}. */
    protected abstract String vocabularyDtype();

    /** Hashing of OOV tokens into {@code num_oov_indices > 1} buckets (0-based). */
    protected abstract int oovBucket(T token, int buckets);

    /**
     * Keras hashes the text of an OOV token with FarmHash64 ({@code to_hash_bucket_fast}), or with
     * SipHash keyed by the salt ({@code to_hash_bucket_strong}) when one is set.
     */
    protected final int hashBucket(String text, int buckets) {
        return OovHashing.bucket(text, buckets, salt);
    }

    /** Whether a salt needs {@code oov_method="farmhash"} (Keras: only for integer vocabularies). */
    protected boolean saltNeedsFarmhash() {
        return false;
    }

    // ---------------------------------------------------------------- options

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    public L maxTokens(Integer value) {
        checkOptionsOpen();
        if (value != null && value <= 1) {
            throw new IllegalArgumentException(className() + ": if set, `max_tokens` must be greater than 1. Received: max_tokens=" + value);
        }
        this.maxTokens = value;
        return self();
    }

    public L numOovIndices(int value) {
        checkOptionsOpen();
        if (value < 0) {
            throw new IllegalArgumentException(className() + ": `num_oov_indices` must be greater than or equal to 0."
                    + " Received: num_oov_indices=" + value);
        }
        this.numOovIndices = value;
        return self();
    }

    public L maskToken(T value) {
        checkOptionsOpen();
        this.maskToken = value;
        return self();
    }

    public L oovToken(T value) {
        checkOptionsOpen();
        this.oovToken = value;
        return self();
    }

    public L invert(boolean value) {
        checkOptionsOpen();
        this.invert = value;
        return self();
    }

    /** {@code int} (default), {@code one_hot}, {@code multi_hot} ({@code binary}), {@code count}, {@code tf_idf} ({@code tf-idf}). */
    public L outputMode(String mode) {
        checkOptionsOpen();
        encoding.mode(className(), mode);
        return self();
    }

    /**
     * Keras's {@code oov_method} for {@code num_oov_indices > 1}: {@code "floormod"} (default:
     * {@code token % num_oov_indices} for integers) or {@code "farmhash"}; strings always hash.
     */
    public L oovMethod(String method) {
        checkOptionsOpen();
        if (!"floormod".equals(method) && !"farmhash".equals(method)) {
            throw new IllegalArgumentException("Unknown value for `oov_method` argument of layer " + className()
                    + ". Allowed values are: ('floormod', 'farmhash'). Received: " + method);
        }
        this.oovMethod = method;
        return self();
    }

    /** Keras's {@code salt=[k0, k1]}: OOV tokens hash with SipHash keyed by these words. */
    public L salt(long k0, long k1) {
        checkOptionsOpen();
        this.salt = new long[] {k0, k1};
        return self();
    }

    /** Keras's {@code salt=k}, the same as {@code salt=[k, k]}. */
    public L salt(long k) {
        return salt(k, k);
    }

    public String oovMethod() {
        return oovMethod;
    }

    /** The salt as Keras keeps it ({@code [k0, k1]}), or null. */
    public long[] salt() {
        return salt == null ? null : salt.clone();
    }

    public L padToMaxTokens(boolean value) {
        checkOptionsOpen();
        this.padToMaxTokens = value;
        return self();
    }

    /** Sets the vocabulary (Keras's {@code vocabulary} argument / {@code set_vocabulary}). */
    public L vocabulary(List<T> vocabulary) {
        return vocabulary(vocabulary, null);
    }

    /** The vocabulary with its tf_idf weights (Keras's {@code idf_weights}). */
    public L vocabulary(List<T> vocabulary, List<Float> idf) {
        checkNotBuilt();
        validateOptions();
        setVocabulary(vocabulary, idf);
        this.inputVocabulary = List.copyOf(vocabulary);
        this.inputIdfWeights = idf == null ? null : List.copyOf(idf);
        return self();
    }

    /**
     * Keras's {@code set_vocabulary} on a layer built without a {@code vocabulary} argument: the
     * vocabulary is not part of the config and is saved as the asset {@code vocabulary.txt}, as
     * for an adapted layer.
     */
    public L setVocabulary(List<T> vocabulary) {
        checkNotBuilt();
        if (inputVocabulary != null) {
            throw new IllegalStateException(className() + " '" + name() + "' has a vocabulary argument already;"
                    + " use vocabulary(...) before building it");
        }
        validateOptions();
        setVocabulary(vocabulary, null);
        return self();
    }

    /** Ids depend on every option: they are set before the vocabulary (as Keras's constructor takes them). */
    private void checkOptionsOpen() {
        checkNotBuilt();
        if (tokens != null) {
            throw new IllegalStateException(className() + " '" + name() + "': set its options before its vocabulary"
                    + " (vocabulary(...) or adapt(...) comes last)");
        }
    }

    /** Checks the options that depend on each other (package-private for {@link IndexLookupConfig}). */
    void validateOptions() {
        if (invert && !encoding.isInt()) {
            throw new IllegalArgumentException(className() + ": `output_mode` must be `'int'` when `invert` is true."
                    + " Received: output_mode=" + encoding.mode());
        }
        if (salt != null && saltNeedsFarmhash() && !oovMethod.equals("farmhash")) {
            throw new IllegalArgumentException(className() + ": `salt` can only be used when `oov_method='farmhash'`."
                    + " Received: oov_method=" + oovMethod);
        }
        if (padToMaxTokens && maxTokens == null) {
            throw new IllegalArgumentException(className() + ": if pad_to_max_tokens is True, must set `max_tokens`.");
        }
    }

    private int oovStart() {
        return maskToken != null && encoding.isInt() ? 1 : 0;
    }

    private int tokenStart() {
        return oovStart() + numOovIndices;
    }

    /** Keras's set_vocabulary: strips leading special tokens, checks repeats and reserved tokens. */
    private void setVocabulary(List<T> vocabulary, List<Float> idf) {
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException(className() + " '" + name() + "': cannot set an empty vocabulary");
        }
        if (idf != null && !encoding.isTfIdf()) {
            throw new IllegalArgumentException(className() + ": `idf_weights` should only be set if `output_mode` is"
                    + " `'tf_idf'`. Received: output_mode=" + encoding.mode());
        }
        List<T> special = new ArrayList<>();
        for (int i = 0; i < oovStart(); i++) {
            special.add(maskToken);
        }
        for (int i = 0; i < numOovIndices; i++) {
            special.add(oovToken);
        }
        int start = tokenStart();
        boolean foundSpecial = vocabulary.size() >= start && vocabulary.subList(0, start).equals(special);
        List<T> toks = foundSpecial ? vocabulary.subList(start, vocabulary.size()) : vocabulary;
        LookupVocabularyChecks.check(className() + " '" + name() + "'", toks, special, maskToken, oovToken, invert, maxTokens);
        install(toks);
        if (encoding.isTfIdf()) {
            if (idf == null) {
                encoding.idfWeights(null); // read from the weights file (loadOwnVariables)
                return;
            }
            if (idf.size() != vocabulary.size()) {
                throw new IllegalArgumentException(className() + ": `idf_weights` must be the same length as vocabulary."
                        + " len(idf_weights) is " + idf.size() + "; len(vocabulary) is " + vocabulary.size());
            }
            encoding.idfWeights(TokenCounts.givenIdfWeights(idf, foundSpecial ? 0 : start, depth()));
        }
    }

    private void install(List<T> toks) {
        Map<T, Integer> index = new HashMap<>();
        int start = tokenStart();
        for (int i = 0; i < toks.size(); i++) {
            index.put(toks.get(i), start + i);
        }
        this.tokens = List.copyOf(toks);
        this.ids = index;
    }

    /**
     * Keras's {@code adapt} on documents (rows): the vocabulary is every token seen except the
     * mask and OOV tokens, most frequent first, ties by the larger token (Keras's
     * {@code np.lexsort(...)[::-1]}), cut to {@code max_tokens}; tf_idf weights are
     * {@code log(1 + documents / (1 + documents with the token))}, the OOV slots getting their mean.
     */
    protected final void adaptDocuments(List<List<T>> documents) {
        if (inputVocabulary != null) {
            throw new IllegalStateException(className() + " '" + name() + "': cannot adapt after setting a static"
                    + " vocabulary via the `vocabulary` argument");
        }
        validateOptions();
        TokenCounts<T> counts = new TokenCounts<>(documents, maskToken, oovToken);
        List<T> sorted = counts.ranked(this::compareTokens, maxTokens == null ? null : maxTokens - tokenStart());
        install(sorted);
        if (encoding.isTfIdf()) {
            encoding.idfWeights(counts.idfWeights(sorted, tokenStart(), depth()));
        }
    }

    /** Keras's (numpy's) sort order of tokens. */
    protected abstract int compareTokens(T a, T b);

    // ---------------------------------------------------------------- accessors

    /** Keras's get_vocabulary(include_special_tokens=True): ids are positions. */
    public List<T> vocabulary() {
        requireVocabulary();
        List<T> v = new ArrayList<>();
        for (int i = 0; i < tokenStart(); i++) {
            v.add(i < oovStart() ? maskToken : oovToken);
        }
        v.addAll(tokens);
        return v;
    }

    /** Keras's get_vocabulary(include_special_tokens): without them, only the learned/given tokens. */
    public List<T> vocabulary(boolean includeSpecialTokens) {
        requireVocabulary();
        return includeSpecialTokens ? vocabulary() : tokens;
    }

    /** The vocabulary size including the mask and OOV slots. */
    public int vocabularySize() {
        requireVocabulary();
        return tokenStart() + tokens.size();
    }

    public String outputMode() {
        return encoding.mode();
    }

    public boolean invert() {
        return invert;
    }

    public int numOovIndices() {
        return numOovIndices;
    }

    public T maskToken() {
        return maskToken;
    }

    public T oovToken() {
        return oovToken;
    }

    private int depth() {
        if (padToMaxTokens) {
            return maxTokens;
        }
        if (tokens == null && savedVocabularySize != null) {
            return savedVocabularySize;
        }
        requireVocabulary();
        return tokenStart() + tokens.size();
    }

    private void requireVocabulary() {
        if (tokens == null) {
            throw new IllegalStateException(className() + " '" + name() + "' has no vocabulary: pass `vocabulary`, or load"
                    + " a Keras file whose layer was adapted (its vocabulary is in the file's assets)");
        }
    }

    // ---------------------------------------------------------------- the lookup

    @Override
    public int[] computeOutputShape(int[] in) {
        return encoding.outputShape(name(), this::depth, in);
    }

    /** The id of one token, {@link CategoricalOutput#DROPPED} for a mask token outside int mode. */
    protected final long idOf(T token) {
        if (maskToken != null && maskToken.equals(token)) {
            return encoding.isInt() ? 0 : CategoricalOutput.DROPPED;
        }
        Integer id = ids.get(token);
        if (id != null) {
            return id;
        }
        if (numOovIndices == 0) {
            throw new IllegalArgumentException(className() + " '" + name() + "': when `num_oov_indices=0` all inputs"
                    + " should be in vocabulary, found OOV value " + token + "; consider setting `num_oov_indices=1`");
        }
        return oovStart() + (numOovIndices == 1 ? 0 : oovBucket(token, numOovIndices));
    }

    /** The token of one id ({@code invert=true}): the mask token for 0 (with one), else the OOV token when unknown. */
    protected final T tokenOf(long id) {
        requireVocabulary();
        if (maskToken != null && id == 0) {
            return maskToken;
        }
        long k = id - tokenStart();
        return k >= 0 && k < tokens.size() ? tokens.get((int) k) : oovToken;
    }

    /** The layer's output for the ids of its inputs, laid out as {@code shape} (batch first). */
    protected final Tensor output(long[] idsOfInputs, int[] shape) {
        requireVocabulary();
        return encoding.encode(className() + " '" + name() + "'", name(), this::depth, idsOfInputs, shape);
    }

    /** The inputs are tokens or ids: no gradient flows to them. */
    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return null;
    }

    // ---------------------------------------------------------------- saving

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("invert", invert);
        c.put("max_tokens", maxTokens);
        c.put("num_oov_indices", numOovIndices);
        c.put("oov_token", oovToken == null ? null : configToken(oovToken));
        c.put("mask_token", maskToken == null ? null : configToken(maskToken));
        c.put("output_mode", encoding.mode());
        c.put("sparse", false);
        c.put("pad_to_max_tokens", padToMaxTokens);
        c.put("vocabulary_dtype", vocabularyDtype());
        c.put("idf_weights", inputIdfWeights == null ? null : new ArrayList<Object>(inputIdfWeights));
        List<Object> vocab = null;
        if (inputVocabulary != null) {
            vocab = new ArrayList<>();
            for (T t : inputVocabulary) {
                vocab.add(configToken(t));
            }
        }
        c.put("vocabulary", vocab);
        c.put("vocabulary_size", tokens == null ? null : vocabularySize());
        c.put("oov_method", oovMethod);
        c.put("salt", salt == null ? null : List.of(salt[0], salt[1]));
        return c;
    }

    /** Reads the options shared by IntegerLookup and StringLookup from a Keras config into {@code l}. */
    protected static <T, L extends IndexLookup<T, L>> L readConfig(L l, Map<String, Object> config) {
        return IndexLookupConfig.read(l, config);
    }

    /** Keras's {@code vocabulary_size} of a saved config, for {@link IndexLookupConfig}. */
    void savedVocabularySize(int size) {
        this.savedVocabularySize = size;
    }

    /** Keras's save_assets: vocabulary.txt only when the vocabulary is not in the config (adapted). */
    @Override
    public Map<String, byte[]> saveAssets() {
        if (inputVocabulary != null || tokens == null) {
            return Map.of();
        }
        List<String> lines = new ArrayList<>();
        for (T t : vocabulary()) {
            lines.add(String.valueOf(configToken(t)));
        }
        return Map.of(VOCABULARY_FILE, VocabularyFile.write(lines));
    }

    /** Keras's load_assets: vocabulary.txt, one token a line, special tokens first. */
    @Override
    public void loadAssets(Map<String, byte[]> files) {
        if (inputVocabulary != null) {
            return;
        }
        byte[] file = files.get(VOCABULARY_FILE);
        if (file == null) {
            throw new IllegalArgumentException(className() + " '" + name() + "': the model file has no vocabulary (neither"
                    + " in the config nor as the asset " + VOCABULARY_FILE + ")");
        }
        List<T> toks = new ArrayList<>();
        for (String line : VocabularyFile.read(file)) {
            toks.add(parseToken(line));
        }
        setVocabulary(toks, null);
        if (savedVocabularySize != null && !padToMaxTokens && savedVocabularySize != vocabularySize()) {
            throw new IllegalArgumentException(className() + " '" + name() + "': " + VOCABULARY_FILE + " holds "
                    + vocabularySize() + " entries (with special tokens) but the config's vocabulary_size is "
                    + savedVocabularySize);
        }
    }

    /** Keras's save_own_variables: {@code idf_weights} for tf_idf. */
    @Override
    public Map<String, Tensor> ownVariables() {
        return encoding.ownVariables();
    }

    @Override
    public Map<String, int[]> ownVariableShapes() {
        return encoding.ownVariableShapes(this::depth);
    }

    @Override
    public void loadOwnVariables(Map<String, Tensor> values) {
        encoding.loadOwnVariables(values);
    }
}
