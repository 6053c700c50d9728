package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.rnn4j.callbacks.ModelWriter;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/**
 * Lets {@code Sequential.save} and {@code ModelCheckpoint} write {@code .keras} files (Keras 3's
 * zip) and {@code .weights.h5} files (Keras 3's {@code model.save_weights} format, the zip's
 * {@code model.weights.h5}); found by ServiceLoader.
 */
public final class KerasModelWriter implements ModelWriter {
    @Override
    public void write(Model model, Path target) throws IOException {
        if (isWeightsH5(target)) {
            if (!model.isBuilt()) {
                throw new IllegalStateException("Model '" + model.name() + "' is not built: give the first layer an"
                        + " inputShape(...) or call build(shape) before saving its weights");
            }
            Files.write(target, WeightsH5Writer.weightsH5(model));
        } else {
            KerasSaver.save(model, target);
        }
    }

    @Override
    public boolean supports(Path target) {
        return target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".keras") || isWeightsH5(target);
    }

    private static boolean isWeightsH5(Path target) {
        return target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".weights.h5");
    }
}
