package org.rnn4j.layers;

import java.util.Map;

/** Keras's ZeroPadding1D: adds (before, after) zeros around each spatial axis. */
public class ZeroPadding1D extends BaseSpatialPad {
    public ZeroPadding1D(int both) {
        this(both, both);
    }

    public ZeroPadding1D(int before, int after) {
        super(1, false, new int[][] {{before, after}});
    }

    private ZeroPadding1D(int[][] amounts) {
        super(1, false, amounts);
    }

    public ZeroPadding1D dataFormat(String format) {
        setChannelsFirst(DataFormats.channelsFirst(className(), format));
        return this;
    }

    @Override
    public ZeroPadding1D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public ZeroPadding1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config. */
    public static ZeroPadding1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("ZeroPadding1D", config);
        ZeroPadding1D l = new ZeroPadding1D(readPairs(c, "padding", c.get("padding"), 1, new int[][] {{1, 1}}));
        l.setChannelsFirst(DataFormats.channelsFirst("ZeroPadding1D", c.string("data_format", "channels_last")));
        return c.finish(l);
    }
}
