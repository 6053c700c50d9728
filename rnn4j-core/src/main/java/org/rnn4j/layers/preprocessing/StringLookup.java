package org.rnn4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.StringInput;
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
 * Not supported yet: {@code invert=true} (its output is strings), several OOV indices (Keras
 * hashes strings into them with FarmHash64).
 */
public class StringLookup extends IndexLookup<String, StringLookup> implements StringInput {
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
    public StringLookup invert(boolean value) {
        if (value) {
            throw new IllegalArgumentException("StringLookup: invert=True is not supported yet: its output is"
                    + " strings, which rnn4j's models cannot return; map ids back in Java with vocabulary().get(id)");
        }
        return super.invert(false);
    }

    @Override
    public StringLookup numOovIndices(int value) {
        if (value > 1) {
            throw new IllegalArgumentException("StringLookup: num_oov_indices=" + value + " is not supported yet"
                    + " (Keras hashes strings into the OOV indices with FarmHash64); use 0 or 1");
        }
        return super.numOovIndices(value);
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
        throw new IllegalStateException("StringLookup: several OOV indices are not supported");
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

    /** Strings to vocabulary ids (as floats), the tensor this layer's {@code forward} takes. */
    @Override
    public Tensor encodeStrings(StringTensor strings) {
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

    /** Takes the ids of {@link #encodeStrings} (-1: a mask token, left out) and applies the output mode. */
    @Override
    public Tensor forward(Tensor ids, Mask mask, boolean training, LayerContext ctx) {
        float[] d = ids.data();
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
