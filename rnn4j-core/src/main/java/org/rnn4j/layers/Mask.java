package org.rnn4j.layers;

/** Keras's sequence mask: {@code [batch, time]}, true where a step is real (not padding). */
public final class Mask {
    private final boolean[] values;
    private final int batch;
    private final int time;

    public Mask(boolean[] values, int batch, int time) {
        if (values.length != batch * time) {
            throw new IllegalArgumentException("Mask has " + values.length + " values, expected "
                    + batch + " x " + time);
        }
        this.values = values;
        this.batch = batch;
        this.time = time;
    }

    public boolean get(int b, int t) {
        return values[b * time + t];
    }

    public int batch() {
        return batch;
    }

    public int time() {
        return time;
    }

    public boolean[] values() {
        return values;
    }

    /** Rows {@code [from, to)} of the batch. */
    public Mask slice(int from, int to) {
        boolean[] v = java.util.Arrays.copyOfRange(values, from * time, to * time);
        return new Mask(v, to - from, time);
    }

    /** Same mask in reversed time order (for go_backwards). */
    public Mask reversed() {
        boolean[] v = new boolean[values.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                v[b * time + t] = values[b * time + (time - 1 - t)];
            }
        }
        return new Mask(v, batch, time);
    }
}
