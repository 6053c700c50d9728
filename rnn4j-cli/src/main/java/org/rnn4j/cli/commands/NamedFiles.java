package org.rnn4j.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.cli.CliException;
import org.rnn4j.util.Names;

/**
 * File flags given either positionally ({@code --input x.npy}, repeated in the model's order) or by
 * name ({@code --input series=x.npy}), as Keras's {@code predict} takes a list or a dict keyed by
 * input name. One form per flag: mixing them would leave the order of the unnamed ones ambiguous.
 */
final class NamedFiles {
    /** One flag value: {@code name} is null for the positional form. */
    record Spec(String name, Path path, String raw) {
    }

    private final String flag;
    private final String kind;
    private final List<Spec> specs;

    private NamedFiles(String flag, String kind, List<Spec> specs) {
        this.flag = flag;
        this.kind = kind;
        this.specs = specs;
    }

    /**
     * Parses the values of {@code flag}. {@code NAME=PATH} is named when NAME holds no path
     * separator and the whole value is not itself an existing file (so {@code a=b.npy} on disk
     * still works positionally).
     */
    static NamedFiles parse(String flag, String kind, List<String> values) {
        List<Spec> specs = new ArrayList<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            String name = eq > 0 ? v.substring(0, eq) : null;
            if (name != null && (name.contains("/") || name.contains("\\") || Files.exists(Path.of(v)))) {
                name = null;
            }
            if (eq == 0 || (name != null && eq == v.length() - 1)) {
                throw new CliException(flag + " " + v + ": give NAME=FILE (both parts) or just FILE");
            }
            specs.add(name == null ? new Spec(null, Path.of(v), v) : new Spec(name, Path.of(v.substring(eq + 1)), v));
        }
        boolean named = !specs.isEmpty() && specs.get(0).name() != null;
        for (Spec s : specs) {
            if ((s.name() != null) != named) {
                throw new CliException(flag + ": give every " + flag + " as NAME=FILE or every one as FILE (in the model's "
                        + kind + " order), not a mix; got " + specs.get(0).raw() + " and " + s.raw());
            }
        }
        return new NamedFiles(flag, kind, specs);
    }

    List<Path> paths() {
        List<Path> p = new ArrayList<>();
        for (Spec s : specs) {
            p.add(s.path());
        }
        return p;
    }

    boolean named() {
        return !specs.isEmpty() && specs.get(0).name() != null;
    }

    /**
     * The files in the model's order of {@code modelNames}: entry i is the file of name i, or null
     * when {@code allowMissing} and that name was not given. Errors are one line naming the model's
     * names (and the closest one for a typo).
     */
    List<Path> inModelOrder(String modelName, List<String> modelNames, boolean allowMissing) {
        String list = String.join(", ", modelNames);
        if (!named()) {
            if (specs.size() != modelNames.size()) {
                throw new CliException("Model '" + modelName + "' has " + modelNames.size() + " " + kind + "(s) " + modelNames
                        + " but " + specs.size() + " " + flag + " " + (specs.size() == 1 ? "was" : "were") + " given; give one "
                        + flag + " per model " + kind + ", in that order, or name them (" + flag + " " + modelNames.get(0)
                        + "=FILE)");
            }
            return paths();
        }
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Spec s : specs) {
            if (!modelNames.contains(s.name())) {
                throw new CliException("Unknown " + kind + " '" + s.name() + "' for model '" + modelName + "'; " + kind + "s: "
                        + list + ". Did you mean '" + Names.closest(s.name(), modelNames) + "'?");
            }
            if (byName.put(s.name(), s.path()) != null) {
                throw new CliException(kind.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + kind.substring(1) + " '"
                        + s.name() + "' of model '" + modelName + "' is given twice (" + flag + "); give each once");
            }
        }
        List<Path> ordered = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : modelNames) {
            Path p = byName.get(n);
            if (p == null) {
                missing.add(n);
            }
            ordered.add(p);
        }
        if (!missing.isEmpty() && !allowMissing) {
            throw new CliException("Missing " + kind + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
                    + "' for model '" + modelName + "'; " + kind + "s: " + list + "; give " + flag + " " + missing.get(0)
                    + "=FILE" + (missing.size() == 1 ? "" : " for each"));
        }
        return ordered;
    }
}
