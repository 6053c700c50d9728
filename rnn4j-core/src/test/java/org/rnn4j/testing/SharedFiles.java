package org.rnn4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the read-only shared material (seed, fixtures, datasets) beside the project root. */
public final class SharedFiles {
    private SharedFiles() {
    }

    /**
     * {@code shared/<relative>} from {@code $RNN4J_SHARED} when set, else from the first parent
     * folder of the working directory that has a {@code shared} folder holding it.
     */
    public static Path find(String relative) {
        String env = System.getenv("RNN4J_SHARED");
        if (env != null && !env.isBlank() && Files.exists(Path.of(env).resolve(relative))) {
            return Path.of(env).resolve(relative);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Shared test material '" + relative + "' not found in a 'shared' folder"
                + " beside any parent of " + dir + " (expected ../shared/" + relative + " next to the project,"
                + " or set RNN4J_SHARED to the shared folder)");
    }
}
