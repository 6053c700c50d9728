package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.tensor.Tensor;

/**
 * The arguments of Keras's {@code fit}, with Keras's defaults: {@code FitOptions.epochs(20).batchSize(32)
 * .validationSplit(0.2)}. Getters are prefixed with {@code get} because the fluent setters hold the Keras names.
 */
public final class FitOptions {
    private int epochs = 1;
    private int batchSize = 32;
    private double validationSplit;
    private Tensor validationX;
    private Tensor validationY;
    private Tensor validationSampleWeight;
    private List<Tensor> sampleWeights;
    private java.util.Map<Integer, Double> classWeight;
    private boolean shuffle = true;
    private int verbose = 1;
    private final List<Callback> callbacks = new ArrayList<>();
    private int initialEpoch;
    private Integer validationBatchSize;
    private PrintStream output;
    private Boolean terminal;

    private FitOptions() {
    }

    /** Keras's defaults ({@code epochs=1}). */
    public static FitOptions defaults() {
        return new FitOptions();
    }

    /** Starts options with the number of epochs, Keras's most common argument. */
    public static FitOptions epochs(int epochs) {
        return new FitOptions().totalEpochs(epochs);
    }

    /** Sets the number of epochs on existing options (the index of the last epoch run, as Keras's {@code epochs}). */
    public FitOptions totalEpochs(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("fit: epochs must be >= 1, got " + value);
        }
        this.epochs = value;
        return this;
    }

    public FitOptions batchSize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("fit: batchSize must be >= 1, got " + value);
        }
        this.batchSize = value;
        return this;
    }

    /** The LAST fraction of x and y (taken before shuffling, as Keras does) is held out for validation. */
    public FitOptions validationSplit(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("fit: validationSplit must be in [0, 1), got " + value);
        }
        this.validationSplit = value;
        return this;
    }

    /** Validation data; takes precedence over {@link #validationSplit}, as in Keras. */
    public FitOptions validationData(Tensor x, Tensor y) {
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    /** Validation data with per-sample weights for the validation loss (Keras's 3-tuple {@code validation_data}). */
    public FitOptions validationData(Tensor x, Tensor y, Tensor sampleWeight) {
        validationData(x, y);
        this.validationSampleWeight = sampleWeight;
        return this;
    }

    /**
     * Keras's {@code sample_weight}: one weight per sample, shape {@code (samples,)}, or per time
     * step, {@code (samples, timesteps)}, for every output; the loss is weighted, logged metrics
     * are not (as Keras's {@code metrics}, unlike {@code weighted_metrics}).
     */
    public FitOptions sampleWeight(Tensor value) {
        this.sampleWeights = value == null ? null : List.of(value);
        return this;
    }

    /** One {@code sample_weight} array per model output, in output order (null entries: unweighted). */
    public FitOptions sampleWeights(List<Tensor> values) {
        this.sampleWeights = values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
        return this;
    }

    /**
     * Keras's {@code class_weight}: class index -> weight of that class's samples in the loss
     * (single-output models; classes not in the map weigh 1).
     */
    public FitOptions classWeight(java.util.Map<Integer, Double> value) {
        this.classWeight = value == null ? null : Collections.unmodifiableMap(new java.util.HashMap<>(value));
        return this;
    }

    public FitOptions shuffle(boolean value) {
        this.shuffle = value;
        return this;
    }

    /** 0 = silent, 1 = progress bar, 2 = one line per epoch. */
    public FitOptions verbose(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + value);
        }
        this.verbose = value;
        return this;
    }

    public FitOptions callbacks(Callback... values) {
        this.callbacks.addAll(Arrays.asList(values));
        return this;
    }

    public FitOptions callbacks(List<? extends Callback> values) {
        this.callbacks.addAll(values);
        return this;
    }

    /** The epoch to start at (0-based), to resume a previous run. */
    public FitOptions initialEpoch(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("fit: initialEpoch must be >= 0, got " + value);
        }
        this.initialEpoch = value;
        return this;
    }

    public FitOptions validationBatchSize(int value) {
        this.validationBatchSize = value;
        return this;
    }

    /** Where the progress bar goes (default {@code System.out}). */
    public FitOptions output(PrintStream value) {
        this.output = value;
        return this;
    }

    /** Forces in-place (true) or one-line-per-epoch (false) progress; default: whether a console is attached. */
    public FitOptions terminal(boolean value) {
        this.terminal = value;
        return this;
    }

    public int getEpochs() {
        return epochs;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public double getValidationSplit() {
        return validationSplit;
    }

    public Tensor getValidationX() {
        return validationX;
    }

    public Tensor getValidationY() {
        return validationY;
    }

    public Tensor getValidationSampleWeight() {
        return validationSampleWeight;
    }

    public List<Tensor> getSampleWeights() {
        return sampleWeights;
    }

    public java.util.Map<Integer, Double> getClassWeight() {
        return classWeight;
    }

    public boolean getShuffle() {
        return shuffle;
    }

    public int getVerbose() {
        return verbose;
    }

    public List<Callback> getCallbacks() {
        return Collections.unmodifiableList(callbacks);
    }

    public int getInitialEpoch() {
        return initialEpoch;
    }

    public int getValidationBatchSize() {
        return validationBatchSize == null ? batchSize : validationBatchSize;
    }

    public PrintStream getOutput() {
        return output == null ? System.out : output;
    }

    public Boolean getTerminal() {
        return terminal;
    }
}
