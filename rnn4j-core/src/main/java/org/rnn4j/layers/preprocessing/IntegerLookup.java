package org.rnn4j.layers.preprocessing;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's IntegerLookup: integer tokens (carried in float tensors, exact up to 2^24) to
 * vocabulary ids, or with {@code invert} ids back to tokens; see {@link IndexLookup} for ids and
 * output modes. Defaults as Keras: one OOV index, {@code oov_token=-1}, no mask token. Several OOV
 * indices take {@code token % num_oov_indices} (Keras's default {@code oov_method="floormod"}) or,
 * with {@code "farmhash"}, FarmHash64 of the token's decimal text (SipHash with a {@code salt}).
 */
public class IntegerLookup extends IndexLookup<Long, IntegerLookup> {
    public IntegerLookup() {
        super(-1L);
    }

    /** Keras's {@code IntegerLookup(vocabulary=[...])}. */
    public IntegerLookup(List<Long> vocabulary) {
        this();
        vocabulary(vocabulary);
    }

    @Override
    protected Long token(Object configValue) {
        if (configValue instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException("IntegerLookup: vocabulary entries must be integers, got " + configValue);
            }
            return checked(n.longValue());
        }
        throw new IllegalArgumentException("IntegerLookup: vocabulary entries must be integers, got " + configValue);
    }

    /** Float tensors carry integers exactly only up to 2^24: a larger token could not be told apart. */
    private static Long checked(long v) {
        if (Math.abs(v) > (1 << 24)) {
            throw new IllegalArgumentException("IntegerLookup: token " + v + " is beyond 2^24, which rnn4j's float32"
                    + " tensors cannot carry exactly; remap the tokens to smaller integers");
        }
        return v;
    }

    @Override
    protected Long parseToken(String line) {
        try {
            return checked(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IntegerLookup '" + name() + "': vocabulary.txt line '" + line
                    + "' is not an integer", e);
        }
    }

    @Override
    protected Object configToken(Long token) {
        return token;
    }

    @Override
    protected String vocabularyDtype() {
        return "int64";
    }

    /** {@code floormod} by default; with {@code oov_method="farmhash"} the hash of the decimal text (tf.strings.as_string). */
    @Override
    protected int oovBucket(Long token, int buckets) {
        if (oovMethod().equals("farmhash")) {
            return hashBucket(Long.toString(token), buckets);
        }
        return (int) Math.floorMod(token, (long) buckets);
    }

    @Override
    protected boolean saltNeedsFarmhash() {
        return true;
    }

    @Override
    protected int compareTokens(Long a, Long b) {
        return Long.compare(a, b);
    }

    /**
     * Keras's {@code adapt} on an array of integer tokens: a rank-1 tensor is one token per
     * document (Keras expands it to {@code (n, 1)}), higher ranks one document per row.
     */
    public IntegerLookup adapt(Tensor data) {
        float[] d = data.data();
        int docs = data.rank() == 1 ? d.length : data.dim(0);
        int per = docs == 0 ? 0 : d.length / docs;
        List<List<Long>> documents = new java.util.ArrayList<>();
        for (int i = 0; i < docs; i++) {
            List<Long> doc = new java.util.ArrayList<>();
            for (int j = 0; j < per; j++) {
                doc.add(checked(CategoricalOutput.integer(name(), d[i * per + j])));
            }
            documents.add(doc);
        }
        adaptDocuments(documents);
        return this;
    }

    /** {@link #adapt(Tensor)} on a list of tokens (one per document). */
    public IntegerLookup adapt(long... tokens) {
        float[] d = new float[tokens.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = checked(tokens[i]);
        }
        return adapt(Tensor.of(d, d.length));
    }

    @Override
    public IntegerLookup name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public IntegerLookup inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        float[] d = x.data();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            long v = CategoricalOutput.integer(name(), d[i]);
            out[i] = invert() ? tokenOf(v) : idOf(v);
        }
        return output(out, x.shape());
    }

    public static IntegerLookup fromConfig(Map<String, Object> config) {
        String dtype = (String) config.getOrDefault("vocabulary_dtype", "int64");
        if (!"int64".equals(dtype)) {
            throw new IllegalArgumentException("IntegerLookup: only vocabulary_dtype='int64' is supported, got " + dtype);
        }
        return readConfig(new IntegerLookup(), config);
    }
}
