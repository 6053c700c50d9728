package org.rnn4j.cli.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.cli.CliException;

/** The {@code --model} option: comma-separated {@code kind:units} layers, e.g. {@code lstm:64,lstm:32}. */
public record ModelSpec(List<Entry> layers) {
    public static final List<String> KINDS = List.of("lstm", "gru", "bilstm", "bigru", "simplernn");

    public record Entry(String kind, int units) {
    }

    public static ModelSpec parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            String[] kv = p.split(":");
            if (kv.length != 2 || !KINDS.contains(kv[0])) {
                throw new CliException("--model: '" + part.trim() + "' is not kind:units with kind one of " + String.join(", ", KINDS)
                        + " (e.g. lstm:64 or lstm:64,lstm:32)");
            }
            int units;
            try {
                units = Integer.parseInt(kv[1]);
            } catch (NumberFormatException e) {
                throw new CliException("--model: units in '" + part.trim() + "' must be a whole number");
            }
            if (units < 1 || units > 4096) {
                throw new CliException("--model: units in '" + part.trim() + "' must be between 1 and 4096");
            }
            out.add(new Entry(kv[0], units));
        }
        return new ModelSpec(List.copyOf(out));
    }
}
