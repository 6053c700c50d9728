package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The samples one partition holds, with their global indices (0..N-1 in the data's order). */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] index;
    final Sample[] samples;

    Block(int[] index, Sample[] samples) {
        this.index = index;
        this.samples = samples;
    }

    static Block of(java.util.Iterator<scala.Tuple2<Long, Sample>> it) {
        List<scala.Tuple2<Long, Sample>> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        int[] index = new int[rows.size()];
        Sample[] samples = new Sample[rows.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = Math.toIntExact(rows.get(i)._1());
            samples[i] = rows.get(i)._2();
        }
        return new Block(index, samples);
    }

    /**
     * The samples of this block in the batch covering epoch positions {@code [from, to)}, ordered by
     * position; {@code positions[i]} is sample i's position in the epoch order (null: the identity).
     */
    List<Sample> select(int[] positions, int from, int to) {
        List<long[]> hits = new ArrayList<>();
        for (int j = 0; j < index.length; j++) {
            int pos = positions == null ? index[j] : positions[index[j]];
            if (pos >= from && pos < to) {
                hits.add(new long[] {pos, j});
            }
        }
        hits.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Sample> out = new ArrayList<>(hits.size());
        for (long[] h : hits) {
            out.add(samples[(int) h[1]]);
        }
        return out;
    }
}
