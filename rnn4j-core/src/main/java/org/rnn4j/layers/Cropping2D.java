package org.rnn4j.layers;

import java.util.Map;

/** Keras's Cropping2D: removes (before, after) steps from each spatial axis. */
public class Cropping2D extends BaseSpatialPad {
    public Cropping2D(int both) {
        this(both, both, both, both);
    }

    public Cropping2D(int rows, int cols) {
        this(rows, rows, cols, cols);
    }

    public Cropping2D(int top, int bottom, int left, int right) {
        super(2, true, new int[][] {{top, bottom}, {left, right}});
    }

    private Cropping2D(int[][] amounts) {
        super(2, true, amounts);
    }

    public Cropping2D dataFormat(String format) {
        setChannelsFirst(DataFormats.channelsFirst(className(), format));
        return this;
    }

    @Override
    public Cropping2D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public Cropping2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config. */
    public static Cropping2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Cropping2D", config);
        Cropping2D l = new Cropping2D(readPairs(c, "cropping", c.get("cropping"), 2, new int[][] {{0, 0}, {0, 0}}));
        l.setChannelsFirst(DataFormats.channelsFirst("Cropping2D", c.string("data_format", "channels_last")));
        return c.finish(l);
    }
}
