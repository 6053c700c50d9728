package org.rnn4j.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rnn4j.layers.recurrent.Cells;
import org.rnn4j.ops.Ops;
import org.rnn4j.saving.LayerRegistry;

/**
 * README's tables of what loads from Keras files, generated from the registries themselves
 * ({@link LayerRegistry#supported()}, {@link Cells#supported()}, {@link Ops#supported()}) and from
 * the registry samples that do not load (with the loader's own error), so README cannot drift
 * from the code. {@link SupportedTableTest} fails when README differs; {@link #main} rewrites it.
 */
public final class SupportedTable {
    static final String BEGIN = "<!-- supported:begin -->";
    static final String END = "<!-- supported:end -->";
    static final String UNSUPPORTED_BEGIN = "<!-- unsupported:begin -->";
    static final String UNSUPPORTED_END = "<!-- unsupported:end -->";
    /** What regenerates README's tables (quoted by the test's failure message). */
    static final String REGENERATE = "mvn -q -o -pl rnn4j-keras -am test -Dtest=SupportedTableTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Drnn4j.readme.write=true";

    private SupportedTable() {
    }

    /** Keras class -> its keras/src/layers/ family (test resource from tools/keras-refs/layer_families.py). */
    static Map<String, String> families() throws IOException {
        Map<String, String> f = new TreeMap<>();
        try (InputStream in = SupportedTable.class.getResourceAsStream("/keras-layer-families.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] p = line.strip().split(" ");
                if (p.length == 2 && !line.startsWith("#")) {
                    f.put(p[0], p[1]);
                }
            }
        }
        return f;
    }

    /** The table of supported layers (by Keras family), cells and ops. */
    static String supported() throws IOException {
        Map<String, String> families = families();
        Map<String, Set<String>> layers = new TreeMap<>();
        Set<String> layerNames = LayerRegistry.supported();
        for (String cls : layerNames) {
            layers.computeIfAbsent(families.getOrDefault(cls, "other"), k -> new TreeSet<>()).add(cls);
        }
        Map<String, Set<String>> ops = new TreeMap<>();
        for (String op : Ops.supported()) {
            int dot = op.lastIndexOf('.');
            ops.computeIfAbsent(op.substring(0, dot), k -> new TreeSet<>()).add(op.substring(dot + 1));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Generated from the registries (").append(layerNames.size()).append(" layers, ")
                .append(Cells.supported().size()).append(" RNN cells, ").append(Ops.supported().size())
                .append(" operations); `SupportedTableTest` checks it.\n\n");
        sb.append("| Kind | Keras module | Classes |\n|---|---|---|\n");
        for (Map.Entry<String, Set<String>> e : layers.entrySet()) {
            row(sb, "layers", "`keras.layers` (" + e.getKey() + ")", e.getValue());
        }
        row(sb, "RNN cells (in `RNN`)", "`keras.layers` (rnn)", Cells.supported());
        for (Map.Entry<String, Set<String>> e : ops.entrySet()) {
            row(sb, "operations", "`" + e.getKey() + "`", e.getValue());
        }
        return sb.toString();
    }

    /**
     * The registry samples (one real Keras model per class) that do not load, with the first
     * part of the loader's error (before the list of what is supported).
     */
    static String unsupported() throws Exception {
        Map<String, String> families = families();
        StringBuilder sb = new StringBuilder();
        sb.append("Generated from the registry samples that do not load (`rnn4j-keras/src/test/resources/registry-samples/`,"
                + " one real Keras 3 model per class), with the loader's error. A class of your own (or one of these)"
                + " can be supplied in Java with `CustomObjects.register(\"ClassName\", config -> new MyLayer(...))`.\n\n");
        sb.append("| Keras class | Keras module | Loader error |\n|---|---|---|\n");
        int n = 0;
        for (String cls : RegistrySamplesTest.sampleClasses()) {
            String error;
            try {
                KerasModels.load(RegistrySamplesTest.samples().resolve(cls).resolve("model.keras"));
                continue;
            } catch (KerasFormatException e) {
                error = e.getMessage();
            }
            // The loader's error up to its hints (the list of what is supported, CustomObjects).
            for (String tail : new String[] {"; supported: ", "; if '"}) {
                int cut = error.indexOf(tail);
                error = cut < 0 ? error : error.substring(0, cut);
            }
            int at = error.indexOf("layer class '");
            error = at < 0 ? error : error.substring(at);
            sb.append("| ").append(cls).append(" | `keras.layers` (").append(families.getOrDefault(cls, "other")).append(") | ")
                    .append(error.replace("|", "\\|")).append(" |\n");
            n++;
        }
        return n == 0 ? sb.append("| (none) | | |\n").toString() : sb.toString();
    }

    private static void row(StringBuilder sb, String kind, String module, Iterable<String> classes) {
        List<String> c = new ArrayList<>();
        classes.forEach(c::add);
        sb.append("| ").append(kind).append(" | ").append(module).append(" | ").append(String.join(", ", c)).append(" |\n");
    }

    /** {@code readme} with the text between {@code begin} and {@code end} replaced by {@code body}. */
    static String replace(String readme, String begin, String end, String body) {
        int b = readme.indexOf(begin);
        int e = readme.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException("README.md has no " + begin + " ... " + end + " markers");
        }
        return readme.substring(0, b + begin.length()) + "\n" + body + readme.substring(e);
    }

    /** README.md as it should be. */
    static String expected(String readme) throws Exception {
        String r = replace(readme, BEGIN, END, supported());
        return replace(r, UNSUPPORTED_BEGIN, UNSUPPORTED_END, unsupported());
    }

    /** The project's README.md: the first folder up from here that holds it beside rnn4j-keras/. */
    static Path readme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("rnn4j-keras"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
    }

    /** Rewrites README.md's generated tables (argument: README's path; default: found from here). */
    public static void main(String[] args) throws Exception {
        Path readme = args.length > 0 ? Path.of(args[0]) : readme();
        String now = Files.readString(readme);
        Files.writeString(readme, expected(now));
    }
}
