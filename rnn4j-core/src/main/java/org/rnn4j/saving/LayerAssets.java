package org.rnn4j.saving;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * A layer with state outside its config and numbered weights, as Keras's {@code save_assets} /
 * {@code save_own_variables}: files in the {@code .keras} zip under {@code assets/<layer path>/}
 * (a lookup layer's adapted {@code vocabulary.txt}) and named entries of its weights group
 * ({@code idf_weights}). The Keras file reader and writer (rnn4j-keras) call these around the
 * layer's numbered weights; assets are loaded before the named variables, whose shapes may
 * depend on them.
 */
public interface LayerAssets {
    /** The layer's asset files by file name; empty when its config carries everything. */
    Map<String, byte[]> saveAssets();

    /** Restores from the asset files found for this layer (possibly none). */
    void loadAssets(Map<String, byte[]> files);

    /** Named (not numbered) entries of the layer's {@code vars} group, for saving. */
    Map<String, Tensor> ownVariables();

    /** The named entries loading expects, with their shapes (called after {@link #loadAssets}). */
    Map<String, int[]> ownVariableShapes();

    /** Restores the named entries read from the weights file. */
    void loadOwnVariables(Map<String, Tensor> values);
}
