package org.rnn4j.cli.commands;

import java.util.concurrent.Callable;
import org.rnn4j.bench.BenchMain;
import org.rnn4j.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Delegates to the speed benchmarks of module rnn4j-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the speed benchmarks (workloads W0..W5, L1) against the recorded peers.",
            "Workloads: see rnn4j-bench; 'all' runs W0..W5 then L1."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "all", description = "W0|W1|...|W5|L1|all (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--json", description = "Print one JSON object per workload instead of a summary")
    boolean json;

    @Override
    public Integer call() {
        try {
            BenchMain.run(workload, json, System.out);
        } catch (IllegalArgumentException e) {
            // An unknown workload name: BenchMain's message lists the valid ones.
            throw new CliException("bench: " + e.getMessage());
        }
        return 0;
    }
}
