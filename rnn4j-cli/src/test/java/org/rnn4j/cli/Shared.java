package org.rnn4j.cli;

import java.nio.file.Path;

/** The read-only shared material ({@code shared/} beside the project root), for fixtures. */
public final class Shared {
    private Shared() {
    }

    public static Path find(String relative) {
        return org.rnn4j.testing.SharedFiles.find(relative);
    }
}
