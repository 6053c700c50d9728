package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.fuzz.LoaderFuzz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The hostile-model fuzz run of issue #11: mutated real model files through the loader. */
@Command(name = "fuzz-loader", mixinStandardHelpOptions = true,
        description = {"Mutates real .keras/.h5 model files (byte flips, truncation, huge header fields, config.json",
            "and weights edits inside the zip) and loads each one (then predicts on zeros when it loads).",
            "Every case must end in a clean refusal (KerasFormatException) or a working model; reports crashes",
            "(any other exception or Error), hangs (over --timeout-seconds) and heap over --heap-mb. Exit 1 if any."})
public final class FuzzLoaderCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "10000", description = "Mutated files to load (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folders of seed model files (default: $RNN4J_SHARED/fixtures/"
            + "keras and keras-functional). Repeatable.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "11", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--timeout-seconds", defaultValue = "10", description = "A case taking longer is a hang (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--heap-mb", defaultValue = "512", description = "Live heap bound after a case, checked after a GC (default: ${DEFAULT-VALUE})")
    long heapMb;

    @Override
    public Integer call() throws Exception {
        if (count <= 0 || timeoutSeconds <= 0 || heapMb <= 0) {
            throw new CliException("fuzz-loader: --count, --timeout-seconds and --heap-mb must be positive");
        }
        if (dirs.isEmpty()) {
            String shared = System.getenv("RNN4J_SHARED");
            if (shared == null) {
                throw new CliException("fuzz-loader: give --dir DIR (folders of .keras/.h5 files) or set RNN4J_SHARED");
            }
            dirs.add(Path.of(shared, "fixtures", "keras"));
            dirs.add(Path.of(shared, "fixtures", "keras-functional"));
        }
        LoaderFuzz fuzz = new LoaderFuzz(dirs, seed, timeoutSeconds, heapMb << 20, System.out);
        LoaderFuzz.Report r = fuzz.run(count);
        System.out.println(r);
        return r.clean() ? 0 : 1;
    }
}
