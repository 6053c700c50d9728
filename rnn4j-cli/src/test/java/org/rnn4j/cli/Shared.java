package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only shared material ({@code shared/} beside the project root), for fixtures. */
public final class Shared {
    private Shared() {
    }

    public static Path find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Shared test material '" + relative + "' not found beside any parent of " + dir);
    }
}
