package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Keras's SpatialDropout2D and 3D (SpatialDropout1D's design, with a {@code data_format}): in
 * training drops whole feature maps, one draw per (sample, channel) (noise shape
 * {@code (batch, 1, ..., 1, C)} for channels_last, {@code (batch, C, 1, ..., 1)} for
 * channels_first), and scales the kept ones by {@code 1/(1-rate)}; identity at inference.
 */
public abstract class BaseSpatialDropout extends NoiseLayer {
    private final double rate;
    private final int spatialRank;
    private String dataFormat = DataFormat.LAST;

    protected BaseSpatialDropout(double rate, int spatialRank) {
        this.rate = checkUnit(getClass().getSimpleName(), "rate", rate);
        this.spatialRank = spatialRank;
    }

    public double rate() {
        return rate;
    }

    public String dataFormat() {
        return dataFormat;
    }

    /** Sets Keras's {@code data_format} ("channels_last", the default, or "channels_first"). */
    protected final void setDataFormat(String value) {
        checkNotBuilt();
        this.dataFormat = DataFormat.of(className(), value);
    }

    @Override
    protected void checkInputShape(int[] in) {
        if (in.length != spatialRank + 1) {
            String dims = spatialRank == 2 ? "rows, cols" : "dim1, dim2, dim3";
            throw shapeError(dataFormat.equals(DataFormat.LAST) ? "(None, " + dims + ", channels)"
                    : "(None, channels, " + dims + ")", in);
        }
    }

    @Override
    protected boolean active() {
        return rate > 0;
    }

    @Override
    protected float[] applyNoise(Tensor x, Rng rng, float[] out) {
        int[] shape = x.shape();
        checkInputShape(org.rnn4j.tensor.Shapes.dropFirst(shape));
        if (rate >= 1) {
            // Keras's backend dropout rejects rate=1 in training too
            throw new IllegalStateException(className() + " '" + name() + "': rate=1 drops every feature map;"
                    + " use a rate below 1");
        }
        boolean last = dataFormat.equals(DataFormat.LAST);
        int batch = shape[0];
        int channels = last ? shape[shape.length - 1] : shape[1];
        int spatial = x.size() / Math.max(1, batch * channels);
        float keepScale = (float) (1.0 / (1.0 - rate));
        float[] scale = new float[batch * channels];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = rng.nextDouble() < rate ? 0f : keepScale;
        }
        float[] xd = x.data();
        float[] dydx = new float[out.length];
        for (int b = 0; b < batch; b++) {
            int base = b * spatial * channels;
            for (int p = 0; p < spatial; p++) {
                for (int c = 0; c < channels; c++) {
                    int i = base + (last ? p * channels + c : c * spatial + p);
                    dydx[i] = scale[b * channels + c];
                    out[i] = xd[i] * dydx[i];
                }
            }
        }
        return dydx;
    }

    /** Reads Keras's config of a spatial dropout into {@code layer} (rate is read by the caller). */
    static <L extends BaseSpatialDropout> L read(ConfigReader c, L layer) {
        layer.setDataFormat(c.string("data_format", null));
        return c.finish(readSeed(c, layer));
    }

    static double requiredRate(ConfigReader c) {
        if (!c.has("rate")) {
            throw c.error("option rate is required");
        }
        return c.number("rate", 0);
    }

    /** Keras's config: rate, seed, name, dtype, data_format (its constructor takes no {@code trainable}). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.remove("trainable");
        c.put("rate", rate);
        c.put("seed", seed());
        c.put("data_format", dataFormat);
        return c;
    }
}
