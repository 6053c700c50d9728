package org.rnn4j.keras;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.rnn4j.callbacks.ModelWriter;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/** Lets {@code Sequential.save} and {@code ModelCheckpoint} write {@code .keras} files (found by ServiceLoader). */
public final class KerasModelWriter implements ModelWriter {
    @Override
    public void write(Model model, Path target) throws IOException {
        KerasSaver.save(model, target);
    }

    @Override
    public boolean supports(Path target) {
        return target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".keras");
    }
}
