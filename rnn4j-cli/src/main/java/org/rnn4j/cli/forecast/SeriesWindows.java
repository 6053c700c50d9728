package org.rnn4j.cli.forecast;

import org.rnn4j.cli.CliException;
import org.rnn4j.data.Datasets;
import org.rnn4j.data.TimeseriesDataset;
import org.rnn4j.tensor.Tensor;

/**
 * Windows over a multivariate series for forecasting {@code horizon} steps past the end of a
 * {@code window}-step input, split by time on the TARGET's position: the first {@code trainFrac}
 * of the rows hold the training targets, the next {@code valFrac} the validation targets, the rest
 * the test targets. Inputs of a validation or test window may reach back into the earlier period
 * (that past is known when the forecast is made); no window sees a row at or after its target.
 *
 * <p>Windows are made with {@link Datasets#timeseriesDatasetFromArray}, with a stride per split
 * (a stride over 1 thins the strongly overlapping training windows to keep an epoch short).
 */
public final class SeriesWindows {
    /** One split: model inputs {@code x [n, window, features]}, raw targets {@code y [n, 1]}, target rows. */
    public record Part(Tensor x, Tensor y, int[] targetRows) {
        public int size() {
            return targetRows.length;
        }

        /** The same windows with other targets (e.g. the change since the last value). */
        public Part withTargets(Tensor newY) {
            return new Part(x, newY, targetRows);
        }
    }

    public final float[][] rows;
    public final float[] target;
    public final int window;
    public final int horizon;
    public final int trainEnd;
    public final int valEnd;

    public SeriesWindows(float[][] rows, float[] target, int window, int horizon, double trainFrac, double valFrac) {
        if (window < 1) {
            throw new CliException("--window must be at least 1, got " + window);
        }
        if (horizon < 1) {
            throw new CliException("--horizon must be at least 1, got " + horizon);
        }
        int n = rows.length;
        this.rows = rows;
        this.target = target;
        this.window = window;
        this.horizon = horizon;
        this.trainEnd = (int) Math.round(n * trainFrac);
        this.valEnd = (int) Math.round(n * (trainFrac + valFrac));
        int firstTarget = window - 1 + horizon;
        if (trainEnd - firstTarget < 4 || valEnd - trainEnd < 1 || n - valEnd < 1) {
            throw new CliException("The series has " + n + " rows: too few for --window " + window + " and --horizon "
                    + horizon + " (need about " + (int) Math.ceil((firstTarget + 4) / trainFrac)
                    + " rows); use a smaller --window");
        }
    }

    public Part train(int stride) {
        return part(window - 1 + horizon, trainEnd, stride);
    }

    public Part validation(int stride) {
        return part(Math.max(trainEnd, window - 1 + horizon), valEnd, stride);
    }

    public Part test(int stride) {
        return part(valEnd, rows.length, stride);
    }

    /** Windows whose targets are rows {@code [from, to)} every {@code stride}. */
    public Part part(int from, int to, int stride) {
        int lead = window - 1 + horizon;
        int inputFrom = from - lead;
        int count = to - from;
        int f = rows[0].length;
        // Data rows [inputFrom, inputFrom + count + window - 1); targets[i] belongs to the window starting at i.
        int dataRows = count + window - 1;
        float[] d = new float[dataRows * f];
        for (int r = 0; r < dataRows; r++) {
            System.arraycopy(rows[inputFrom + r], 0, d, r * f, f);
        }
        float[] t = new float[count];
        System.arraycopy(target, from, t, 0, count);
        TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(Tensor.of(d, dataRows, f), Tensor.of(t, count, 1),
                window, Math.max(1, stride), 1, 0, false, null, null, null);
        TimeseriesDataset.Batch all = ds.all();
        int[] targetRows = new int[ds.size()];
        for (int i = 0; i < targetRows.length; i++) {
            targetRows[i] = from + ds.targetIndex(i);
        }
        return new Part(all.x(), all.y(), targetRows);
    }

    /** Rows {@code [0, trainEnd)} as a tensor: what the Normalization layer adapts to (no test leakage). */
    public Tensor trainingRows() {
        int f = rows[0].length;
        float[] d = new float[trainEnd * f];
        for (int r = 0; r < trainEnd; r++) {
            System.arraycopy(rows[r], 0, d, r * f, f);
        }
        return Tensor.of(d, trainEnd, f);
    }

    public Tensor trainingTargets() {
        float[] t = new float[trainEnd];
        System.arraycopy(target, 0, t, 0, trainEnd);
        return Tensor.of(t, trainEnd, 1);
    }

    /** Targets as changes: {@code target[row] - target[row - horizon]} for each window. */
    public Tensor changes(Part p) {
        float[] d = new float[p.size()];
        for (int i = 0; i < d.length; i++) {
            int r = p.targetRows()[i];
            d[i] = target[r] - target[r - horizon];
        }
        return Tensor.of(d, d.length, 1);
    }

    /** The changes over the horizon at every training target row (what a change model's output adapts to). */
    public Tensor trainingChanges() {
        int from = window - 1 + horizon;
        float[] d = new float[trainEnd - from];
        for (int r = from; r < trainEnd; r++) {
            d[r - from] = target[r] - target[r - horizon];
        }
        return Tensor.of(d, d.length, 1);
    }

    /** Persistence: the last observed target value, {@code target[row - horizon]}. */
    public double[] lastValueBaseline(Part p) {
        double[] out = new double[p.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = target[p.targetRows()[i] - horizon];
        }
        return out;
    }

    /**
     * Seasonal naive: the value one season before the target's time ({@code target[row - k*season]}
     * with the smallest k reaching back to the input window), e.g. the same hour yesterday for
     * hourly data with season 24. At a horizon that is a whole number of seasons this equals
     * persistence.
     */
    public double[] seasonalBaseline(Part p, int season) {
        int k = (horizon + season - 1) / season;
        double[] out = new double[p.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = target[p.targetRows()[i] - k * season];
        }
        return out;
    }

    /** Mean of the target at the same phase over the {@code cycles} most recent seasons in the window, or null if they do not fit. */
    public double[] seasonalMeanBaseline(Part p, int season, int cycles) {
        int k0 = (horizon + season - 1) / season;
        if ((k0 + cycles - 1) * season > window - 1 + horizon) {
            return null;
        }
        double[] out = new double[p.size()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int k = k0; k < k0 + cycles; k++) {
                s += target[p.targetRows()[i] - k * season];
            }
            out[i] = s / cycles;
        }
        return out;
    }

    public static double mae(double[] predicted, Tensor actual) {
        double s = 0;
        float[] a = actual.data();
        for (int i = 0; i < predicted.length; i++) {
            s += Math.abs(predicted[i] - a[i]);
        }
        return s / predicted.length;
    }

    public static double[] toDoubles(Tensor t) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[i];
        }
        return out;
    }
}
