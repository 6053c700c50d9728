package org.rnn4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.StringInput;
import org.rnn4j.layers.StringOutput;
import org.rnn4j.layers.config.ConfigValues;
import org.rnn4j.tensor.StringTensor;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's StringLookup: strings to vocabulary ids (see {@link IndexLookup} for ids and output
 * modes); defaults as Keras: one OOV index, {@code oov_token="[UNK]"}, no mask token.
 *
 * <p>Strings stop at the model boundary ({@link StringInput}): {@code Model.predict(StringTensor)}
 * looks the strings up with {@link #encodeStrings} (strings to ids) and the graph runs this layer's
 * {@code forward} on those ids, which applies the output mode (ids unchanged for {@code int},
 * else one_hot/multi_hot/count/tf_idf). Eagerly, {@link #call(StringTensor)} does both.
 *
 * <p>With {@code invert=true} it maps integer ids to strings (Keras's output dtype "string"): in
 * the graph {@code forward} passes the checked ids on, and the boundary turns them into strings
 * ({@link StringOutput}: {@code Model.predictOutputs}, or {@link #lookupTokens} eagerly); id 0 is
 * the mask token (with one), unknown ids give the OOV token. With {@code num_oov_indices > 1} OOV
 * strings go to the bucket of Keras's hash: FarmHash64 of the UTF-8 bytes, or SipHash with a
 * {@code salt} (whatever {@code oov_method} says, as in Keras).
 */
public class StringLookup extends IndexLookup<String, StringLookup> implements StringInput, StringOutput {
    private String encoding = "utf-8";

    public StringLookup() {
        super("[UNK]");
    }

    /** Keras's {@code StringLookup(vocabulary=[...])}. */
    public StringLookup(List<String> vocabulary) {
        this();
        vocabulary(vocabulary);
    }

    @Override
    protected String token(Object configValue) {
        if (configValue instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("StringLookup: vocabulary entries must be strings, got " + configValue);
    }

    @Override
    protected String parseToken(String line) {
        return line;
    }

    @Override
    protected Object configToken(String token) {
        return token;
    }

    @Override
    protected String vocabularyDtype() {
        return "string";
    }

    @Override
    protected int oovBucket(String token, int buckets) {
        return hashBucket(token, buckets);
    }

    /** The order of numpy's sort of TensorFlow's UTF-8 bytes, i.e. by code point. */
    @Override
    protected int compareTokens(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    @Override
    public StringLookup name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public StringLookup inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Keras's {@code adapt} on rows of strings (one document per row). */
    public StringLookup adapt(StringTensor data) {
        int docs = data.shape().length == 1 ? data.size() : data.dim(0);
        int per = docs == 0 ? 0 : data.size() / docs;
        List<List<String>> documents = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            List<String> doc = new ArrayList<>();
            for (int j = 0; j < per; j++) {
                doc.add(data.get(i * per + j));
            }
            documents.add(doc);
        }
        adaptDocuments(documents);
        return this;
    }

    /** {@link #adapt(StringTensor)} on single-token documents. */
    public StringLookup adapt(String... tokens) {
        return adapt(StringTensor.of(tokens, tokens.length));
    }

    /** An inverted lookup reads integer ids, not strings. */
    @Override
    public boolean readsStrings() {
        return !invert();
    }

    /** Strings to vocabulary ids (as floats), the tensor this layer's {@code forward} takes. */
    @Override
    public Tensor encodeStrings(StringTensor strings) {
        if (invert()) {
            throw new IllegalArgumentException("StringLookup '" + name() + "' has invert=True: it takes integer ids, not"
                    + " strings; feed it a Tensor of ids (e.g. keras.Input(..., dtype=\"int64\"))");
        }
        float[] ids = new float[strings.size()];
        for (int i = 0; i < ids.length; i++) {
            long id = idOf(strings.get(i));
            ids[i] = id == CategoricalOutput.DROPPED ? -1f : id; // a mask token outside int mode is counted nowhere
        }
        return Tensor.of(ids, strings.shape());
    }

    /** Eager use: the layer's output for strings (Keras's {@code layer(strings)}). */
    public Tensor call(StringTensor strings) {
        return forward(encodeStrings(strings));
    }

    /** Eager {@code invert=True} use: the tokens of these ids (Keras's {@code layer(ids)}). */
    public StringTensor lookupTokens(Tensor ids) {
        return decodeStrings(forward(ids));
    }

    /** The strings of the ids an inverted lookup's {@code forward} passed on. */
    @Override
    public StringTensor decodeStrings(Tensor ids) {
        if (!invert()) {
            throw new IllegalStateException("StringLookup '" + name() + "' returns ids, not strings: only a lookup"
                    + " with invert=True outputs strings");
        }
        float[] d = ids.data();
        String[] out = new String[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = tokenOf(CategoricalOutput.integer(name(), d[i]));
        }
        return StringTensor.of(out, ids.shape());
    }

    /** An inverted lookup outputs strings (carried as ids inside the graph). */
    @Override
    public String outputDtype(String inputDtype) {
        return invert() ? "string" : super.outputDtype(inputDtype);
    }

    /**
     * Takes the ids of {@link #encodeStrings} (-1: a mask token, left out) and applies the output
     * mode; with {@code invert=true} it takes ids and passes them on, checked, for {@link #decodeStrings}.
     */
    @Override
    public Tensor forward(Tensor ids, Mask mask, boolean training, LayerContext ctx) {
        float[] d = ids.data();
        if (invert()) {
            for (float v : d) {
                CategoricalOutput.integer(name(), v);
            }
            return Tensor.of(d.clone(), ids.shape());
        }
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            long v = CategoricalOutput.integer(name(), d[i]);
            out[i] = v == -1 ? CategoricalOutput.DROPPED : v;
        }
        return output(out, ids.shape());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.remove("vocabulary_dtype");
        c.put("encoding", encoding);
        return c;
    }

    public static StringLookup fromConfig(Map<String, Object> config) {
        String enc = ConfigValues.getString(config, "encoding", "utf-8");
        if (!enc.equalsIgnoreCase("utf-8") && !enc.equalsIgnoreCase("utf8")) {
            throw new IllegalArgumentException("StringLookup: encoding '" + enc + "' is not supported; Java strings are"
                    + " read as utf-8");
        }
        return readConfig(new StringLookup(), config);
    }
}
