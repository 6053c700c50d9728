package org.rnn4j.kernels.vector;

/** One thread's pack buffers, grown on demand and then reused by every later call. */
final class Workspace {
    private float[] a = new float[0];
    private float[] b = new float[0];
    private final float[] tile = new float[MicroKernel.MR * MicroKernel.NR];

    float[] aPack(int size) {
        if (a.length < size) {
            a = new float[size];
        }
        return a;
    }

    float[] bPack(int size) {
        if (b.length < size) {
            b = new float[size];
        }
        return b;
    }

    float[] tile() {
        return tile;
    }
}
