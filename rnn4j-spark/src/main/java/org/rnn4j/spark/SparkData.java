package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rnn4j.data.Datasets;
import org.rnn4j.data.TimeseriesDataset;
import org.rnn4j.tensor.Tensor;

/**
 * Turns DataFrames into training samples on the executors: rows of (x, y) columns, or rows that
 * each hold a whole time series, cut into windows with Keras's {@code timeseries_dataset_from_array}
 * semantics ({@link Datasets#timeseriesDatasetFromArray} itself runs on each series). Columns are
 * numbers, arrays of numbers, or arrays of arrays (then the sample shape is {@code [outer, inner]}).
 */
public final class SparkData {
    private SparkData() {
    }

    /** One sample per row: {@code xCols} are the model's inputs, {@code yCols} its targets, in order. */
    public static JavaRDD<Sample> samples(Dataset<Row> df, List<String> xCols, List<String> yCols) {
        for (String c : concat(xCols, yCols)) {
            df.schema().fieldIndex(c); // fails early with Spark's message naming the missing column
        }
        return df.javaRDD().map(new RowToSample(new ArrayList<>(xCols), new ArrayList<>(yCols)));
    }

    /** One sample per row with one input column and one target column. */
    public static JavaRDD<Sample> samples(Dataset<Row> df, String xCol, String yCol) {
        return samples(df, List.of(xCol), List.of(yCol));
    }

    /**
     * The windows of every series (one series per row), in row order then window order; each
     * series is windowed on its own (no window crosses two series).
     */
    public static JavaRDD<Sample> timeseriesWindows(Dataset<Row> series, Windows spec) {
        series.schema().fieldIndex(spec.dataCol);
        series.schema().fieldIndex(spec.targetCol);
        return series.javaRDD().flatMap(new SeriesToWindows(spec));
    }

    /**
     * How to window each series: {@code data} (steps x features) and {@code targets} columns; a window
     * of {@code sequenceLength} rows every {@code sequenceStride} steps, rows {@code samplingRate}
     * apart, paired with {@code targets[start + shift]}; optional {@code startIndex}/{@code endIndex}
     * as in Keras. {@code targetShift(d)} is Keras's usual forecasting call
     * {@code timeseries_dataset_from_array(data[:-d], targets[d:], ...)}.
     */
    public static final class Windows implements Serializable {
        private static final long serialVersionUID = 1L;
        final String dataCol;
        final String targetCol;
        final int sequenceLength;
        int sequenceStride = 1;
        int samplingRate = 1;
        Integer startIndex;
        Integer endIndex;
        int targetShift;

        private Windows(String dataCol, String targetCol, int sequenceLength) {
            this.dataCol = dataCol;
            this.targetCol = targetCol;
            this.sequenceLength = sequenceLength;
        }

        public static Windows of(String dataCol, String targetCol, int sequenceLength) {
            return new Windows(dataCol, targetCol, sequenceLength);
        }

        public Windows sequenceStride(int value) {
            this.sequenceStride = value;
            return this;
        }

        public Windows samplingRate(int value) {
            this.samplingRate = value;
            return this;
        }

        public Windows startIndex(Integer value) {
            this.startIndex = value;
            return this;
        }

        public Windows endIndex(Integer value) {
            this.endIndex = value;
            return this;
        }

        public Windows targetShift(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("targetShift must be >= 0, got " + value);
            }
            this.targetShift = value;
            return this;
        }

        /** The windows of one series, exactly as {@link Datasets#timeseriesDatasetFromArray} makes them. */
        public List<Sample> windows(Tensor data, Tensor targets) {
            if (targetShift > 0) {
                int steps = data.dim(0);
                data = data.slice(0, steps - targetShift);
                targets = targets.slice(targetShift, targets.dim(0));
            }
            TimeseriesDataset ds = Datasets.timeseriesDatasetFromArray(data, targets, sequenceLength, sequenceStride,
                    samplingRate, 1, false, null, startIndex, endIndex);
            int[] xShape = data.shape();
            xShape[0] = sequenceLength;
            int[] yShape = java.util.Arrays.copyOfRange(targets.shape(), 1, targets.rank());
            List<Sample> out = new ArrayList<>(ds.size());
            for (int b = 0; b < ds.numBatches(); b++) {
                TimeseriesDataset.Batch w = ds.batch(b);
                out.add(Sample.of(w.x().data(), xShape, w.y().data(), yShape));
            }
            return out;
        }
    }

    private static final class RowToSample implements Function<Row, Sample> {
        private static final long serialVersionUID = 1L;
        private final List<String> xCols;
        private final List<String> yCols;

        RowToSample(List<String> xCols, List<String> yCols) {
            this.xCols = xCols;
            this.yCols = yCols;
        }

        @Override
        public Sample call(Row row) {
            float[][] x = new float[xCols.size()][];
            int[][] xs = new int[xCols.size()][];
            for (int i = 0; i < x.length; i++) {
                Tensor t = value(row, xCols.get(i));
                x[i] = t.data();
                xs[i] = t.shape();
            }
            float[][] y = new float[yCols.size()][];
            int[][] ys = new int[yCols.size()][];
            for (int i = 0; i < y.length; i++) {
                Tensor t = value(row, yCols.get(i));
                y[i] = t.data();
                ys[i] = t.shape();
            }
            return new Sample(x, xs, y, ys);
        }
    }

    private static final class SeriesToWindows implements FlatMapFunction<Row, Sample> {
        private static final long serialVersionUID = 1L;
        private final Windows spec;

        SeriesToWindows(Windows spec) {
            this.spec = spec;
        }

        @Override
        public Iterator<Sample> call(Row row) {
            Tensor data = value(row, spec.dataCol);
            Tensor targets = value(row, spec.targetCol);
            if (data.rank() == 1) {
                data = data.reshape(data.dim(0), 1);
            }
            if (data.rank() == 0 || targets.rank() == 0) {
                throw new IllegalArgumentException("Series columns '" + spec.dataCol + "' and '" + spec.targetCol
                        + "' must be arrays (one entry per time step)");
            }
            return spec.windows(data, targets).iterator();
        }
    }

    /** A cell as a tensor: a number is a scalar (shape []), an array a vector, an array of arrays a matrix. */
    static Tensor value(Row row, String col) {
        Object v = row.get(row.fieldIndex(col));
        if (v == null) {
            throw new IllegalArgumentException("Column '" + col + "' is null in a row");
        }
        List<Integer> shape = new ArrayList<>();
        List<Float> flat = new ArrayList<>();
        flatten(v, 0, shape, flat, col);
        float[] data = new float[flat.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = flat.get(i);
        }
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i);
        }
        return Tensor.of(data, s);
    }

    private static void flatten(Object v, int depth, List<Integer> shape, List<Float> out, String col) {
        if (v instanceof Number) {
            if (depth < shape.size()) {
                throw new IllegalArgumentException("Column '" + col + "' is a ragged array");
            }
            out.add(((Number) v).floatValue());
            return;
        }
        List<?> items = asList(v, col);
        if (depth == shape.size()) {
            shape.add(items.size());
        } else if (shape.get(depth) != items.size()) {
            throw new IllegalArgumentException("Column '" + col + "' is a ragged array: lengths " + shape.get(depth)
                    + " and " + items.size() + " at depth " + depth);
        }
        for (Object item : items) {
            if (item == null) {
                throw new IllegalArgumentException("Column '" + col + "' holds a null element");
            }
            flatten(item, depth + 1, shape, out, col);
        }
    }

    private static List<?> asList(Object v, String col) {
        if (v instanceof List) {
            return (List<?>) v;
        }
        if (v instanceof scala.collection.Seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) v);
        }
        if (v instanceof float[]) {
            float[] a = (float[]) v;
            List<Float> l = new ArrayList<>(a.length);
            for (float f : a) {
                l.add(f);
            }
            return l;
        }
        if (v instanceof double[]) {
            double[] a = (double[]) v;
            List<Double> l = new ArrayList<>(a.length);
            for (double d : a) {
                l.add(d);
            }
            return l;
        }
        throw new IllegalArgumentException("Column '" + col + "' holds " + v.getClass().getName()
                + "; use numbers or arrays of numbers");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
