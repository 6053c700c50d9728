package org.rnn4j.layers;

import java.util.Map;

/** Keras's Cropping1D: removes (before, after) steps from each spatial axis. */
public class Cropping1D extends BaseSpatialPad {
    public Cropping1D(int both) {
        this(both, both);
    }

    public Cropping1D(int before, int after) {
        super(1, true, new int[][] {{before, after}});
    }

    private Cropping1D(int[][] amounts) {
        super(1, true, amounts);
    }

    @Override
    public Cropping1D name(String n) {
        super.name(n);
        return this;
    }

    @Override
    public Cropping1D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    /** Rebuilds the layer from its Keras config. */
    public static Cropping1D fromConfig(Map<String, Object> config) {
        ConfigReader c = new ConfigReader("Cropping1D", config);
        Cropping1D l = new Cropping1D(readPairs(c, "cropping", c.get("cropping"), 1, new int[][] {{1, 1}}));
        c.channelsLast();
        return c.finish(l);
    }
}
