package org.rnn4j.layers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.kernels.Resize;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's UpSampling2D(size=(2, 2), data_format, interpolation): "nearest" repeats pixels,
 * "bilinear" resizes as {@code tf.image.resize} (half-pixel centers). channels_first runs as
 * channels_last between two transposes. Stateless; masks dropped as in Keras.
 */
public class UpSampling2D extends Layer {
    private final int sizeH;
    private final int sizeW;
    private String interpolation = "nearest";
    private boolean channelsFirst;

    public UpSampling2D() {
        this(2, 2);
    }

    public UpSampling2D(int size) {
        this(size, size);
    }

    public UpSampling2D(int sizeH, int sizeW) {
        if (sizeH <= 0 || sizeW <= 0) {
            throw new IllegalArgumentException("UpSampling2D: size must be positive integers, got (" + sizeH + ", "
                    + sizeW + ")");
        }
        this.sizeH = sizeH;
        this.sizeW = sizeW;
    }

    /** "nearest" (default) or "bilinear"; Keras's bicubic and lanczos kernels are not implemented. */
    public UpSampling2D interpolation(String name) {
        checkNotBuilt();
        String v = name.toLowerCase(Locale.ROOT);
        if (!v.equals("nearest") && !v.equals("bilinear")) {
            throw new IllegalArgumentException("UpSampling2D '" + name() + "': interpolation '" + name
                    + "' is not supported; supported: 'nearest', 'bilinear'");
        }
        this.interpolation = v;
        return this;
    }

    public UpSampling2D dataFormat(String format) {
        checkNotBuilt();
        channelsFirst = DataFormats.channelsFirst("UpSampling2D", format);
        return this;
    }

    public String interpolation() {
        return interpolation;
    }

    @Override
    public UpSampling2D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public UpSampling2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] in) {
        if (in.length != 3) {
            throw shapeError(channelsFirst ? "(None, channels, rows, cols)" : "(None, rows, cols, channels)", in);
        }
        int h = channelsFirst ? 1 : 0;
        int[] out = in.clone();
        out[h] = in[h] < 0 ? -1 : in[h] * sizeH;
        out[h + 1] = in[h + 1] < 0 ? -1 : in[h + 1] * sizeW;
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        if (x.rank() != 4) {
            throw shapeError(channelsFirst ? "(None, channels, rows, cols)" : "(None, rows, cols, channels)",
                    Shapes.dropFirst(x.shape()));
        }
        Tensor xl = channelsFirst ? Permute.transpose(x, new int[] {0, 2, 3, 1}) : x;
        int b = xl.dim(0);
        int h = xl.dim(1);
        int w = xl.dim(2);
        int c = xl.dim(3);
        Tensor y = Tensor.zeros(b, h * sizeH, w * sizeW, c);
        if (interpolation.equals("nearest")) {
            Resize.nearest(xl.data(), b, h, w, c, sizeH, sizeW, y.data());
        } else {
            Resize.bilinear(xl.data(), b, h, w, c, new Resize.Axis(h, h * sizeH), new Resize.Axis(w, w * sizeW),
                    y.data());
        }
        return channelsFirst ? Permute.transpose(y, new int[] {0, 3, 1, 2}) : y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        if (!ctx.inputGradientNeeded()) {
            return null;
        }
        Tensor gl = channelsFirst ? Permute.transpose(gradOutput, new int[] {0, 2, 3, 1}) : gradOutput;
        int b = gl.dim(0);
        int h = gl.dim(1) / sizeH;
        int w = gl.dim(2) / sizeW;
        int c = gl.dim(3);
        Tensor dx = Tensor.zeros(b, h, w, c);
        if (interpolation.equals("nearest")) {
            Resize.nearestBackward(gl.data(), b, h, w, c, sizeH, sizeW, dx.data());
        } else {
            Resize.bilinearBackward(gl.data(), b, h, w, c, new Resize.Axis(h, h * sizeH),
                    new Resize.Axis(w, w * sizeW), dx.data());
        }
        return channelsFirst ? Permute.transpose(dx, new int[] {0, 3, 1, 2}) : dx;
    }

    /** Rebuilds the layer from its Keras config. */
    public static UpSampling2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("UpSampling2D", config);
        int[] s = c.sizes("size", 2, new int[] {2, 2});
        UpSampling2D l = new UpSampling2D(s[0], s[1]);
        l.interpolation(c.string("interpolation", "nearest"));
        l.dataFormat(c.string("data_format", "channels_last"));
        return c.finish(l);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("size", List.of(sizeH, sizeW));
        c.put("data_format", channelsFirst ? "channels_first" : "channels_last");
        c.put("interpolation", interpolation);
        return c;
    }
}
