package org.rnn4j.layers;

import java.util.Map;

/** Keras's ZeroPadding2D: adds (before, after) zeros around each spatial axis. */
public class ZeroPadding2D extends BaseSpatialPad {
    public ZeroPadding2D(int both) {
        this(both, both, both, both);
    }

    public ZeroPadding2D(int rows, int cols) {
        this(rows, rows, cols, cols);
    }

    public ZeroPadding2D(int top, int bottom, int left, int right) {
        super(2, false, new int[][] {{top, bottom}, {left, right}});
    }

    private ZeroPadding2D(int[][] amounts) {
        super(2, false, amounts);
    }

    public ZeroPadding2D dataFormat(String format) {
        setChannelsFirst(DataFormats.channelsFirst(className(), format));
        return this;
    }

    @Override
    public ZeroPadding2D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ZeroPadding2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config. */
    public static ZeroPadding2D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("ZeroPadding2D", config);
        ZeroPadding2D l = new ZeroPadding2D(readPairs(c, "padding", c.get("padding"), 2, new int[][] {{1, 1}, {1, 1}}));
        l.setChannelsFirst(DataFormats.channelsFirst("ZeroPadding2D", c.string("data_format", "channels_last")));
        return c.finish(l);
    }
}
