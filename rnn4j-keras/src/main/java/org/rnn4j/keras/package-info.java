/**
 * Keras model files for rnn4j.
 *
 * <ul>
 *   <li>{@link org.rnn4j.keras.KerasModels#load(java.nio.file.Path)} (or {@link org.rnn4j.keras.Models#load})
 *       reads a Keras 3 {@code .keras} zip or a legacy {@code .h5} (Keras 3, tf.keras and Keras 2.x),
 *       into an {@link org.rnn4j.models.Model}: a {@link org.rnn4j.models.Sequential} for Sequential files,
 *       a functional model (several inputs and outputs, shared and nested layers, recurrent states)
 *       built by calling the core's layers on symbolic tensors, with the file's layer names, weights
 *       and (for {@code .keras}) compile state. Layers are found through the core's
 *       {@link org.rnn4j.saving.LayerRegistry}.</li>
 *   <li>{@link org.rnn4j.keras.KerasModels#save} writes a {@code .keras} zip that Keras 3 loads with
 *       {@code keras.saving.load_model}, including the optimizer state of a compiled model.</li>
 *   <li>Every problem with a file is a {@link org.rnn4j.keras.KerasFormatException} naming the layer,
 *       its position and what is supported; sizes are bounded by {@link org.rnn4j.keras.KerasLimits}.</li>
 * </ul>
 */
package org.rnn4j.keras;
