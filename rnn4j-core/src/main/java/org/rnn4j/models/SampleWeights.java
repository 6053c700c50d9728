package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code sample_weight} and {@code class_weight} arguments of {@code fit} and
 * {@code evaluate}, resolved to one weight tensor (or null) per model output, as Keras's array
 * data adapter does: a single per-sample array is replicated on every output; one array per
 * output is taken as given; {@code class_weight} (single-output models only) becomes per-sample
 * weights from the targets' class (argmax of one-hot targets, else the rounded label), classes
 * absent from the map weighing 1. Both at once is refused, as in Keras.
 */
final class SampleWeights {
    private SampleWeights() {
    }

    /** The per-output weights (entries may be null), or null when neither argument is given. */
    static List<Tensor> resolve(Model model, List<Tensor> ys, List<Tensor> sampleWeights,
                                Map<Integer, Double> classWeight) {
        if (sampleWeights == null && classWeight == null) {
            return null;
        }
        int outputs = ys.size();
        if (sampleWeights != null && classWeight != null) {
            throw new IllegalArgumentException("fit: you cannot give classWeight and sampleWeight at the same time;"
                    + " fold the class weights into the sample weights");
        }
        int n = ys.get(0).dim(0);
        if (classWeight != null) {
            if (outputs != 1) {
                throw new IllegalArgumentException("fit: classWeight is only supported for models with a single output;"
                        + " model '" + model.name() + "' has " + outputs + " " + model.outputNames()
                        + ": give sampleWeights, one array per output");
            }
            return Collections.singletonList(fromClassWeight(ys.get(0), classWeight));
        }
        List<Tensor> out;
        if (sampleWeights.size() == outputs) {
            out = new ArrayList<>(sampleWeights);
        } else if (sampleWeights.size() == 1) {
            Tensor w = sampleWeights.get(0);
            boolean perSample = w.rank() == 1 || (w.rank() == 2 && w.dim(1) == 1);
            if (outputs > 1 && !perSample) {
                throw new IllegalArgumentException("fit: for a model with several outputs a single sampleWeight array"
                        + " must have one scalar per sample, shape (" + n + ",), got " + shape(w)
                        + "; give one array per output for non-scalar weights");
            }
            out = new ArrayList<>(Collections.nCopies(outputs, w));
        } else {
            throw new IllegalArgumentException("fit: model '" + model.name() + "' has " + outputs + " outputs "
                    + model.outputNames() + " but " + sampleWeights.size() + " sampleWeight arrays were given;"
                    + " give one per output, or one for all");
        }
        for (int k = 0; k < out.size(); k++) {
            Tensor w = out.get(k);
            if (w != null && (w.rank() == 0 || w.dim(0) != n)) {
                throw new IllegalArgumentException("fit: sampleWeight" + (outputs > 1 ? " of output '"
                        + model.outputNames().get(k) + "'" : "") + " has shape " + shape(w) + " but y has " + n
                        + " samples; give one weight per sample (shape (" + n + ",) or (" + n + ", timesteps))");
            }
        }
        return out;
    }

    /** Keras's {@code class_weight_to_sample_weights}. */
    static Tensor fromClassWeight(Tensor y, Map<Integer, Double> classWeight) {
        int n = y.dim(0);
        int per = n == 0 ? 0 : y.size() / n;
        float[] d = y.data();
        float[] w = new float[n];
        boolean oneHot = y.rank() > 1 && y.dim(y.rank() - 1) != 1;
        if (oneHot && y.rank() > 2) {
            throw new IllegalArgumentException("fit: classWeight needs targets of shape (samples,), (samples, 1) or"
                    + " one-hot (samples, classes); got " + shape(y) + "; give temporal weights as sampleWeight");
        }
        for (int i = 0; i < n; i++) {
            int cls;
            if (oneHot) {
                cls = 0;
                for (int c = 1; c < per; c++) {
                    if (d[i * per + c] > d[i * per + cls]) {
                        cls = c;
                    }
                }
            } else {
                cls = (int) Math.rint(d[i * per]);
            }
            Double v = classWeight.get(cls);
            w[i] = v == null ? 1f : v.floatValue();
        }
        return Tensor.of(w, n);
    }

    private static String shape(Tensor t) {
        return org.rnn4j.tensor.Shapes.toString(t.shape());
    }
}
