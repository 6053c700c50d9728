package org.rnn4j.cli.commands;

import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the speed benchmarks (workloads W0..W5, L1) against the recorded peers.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "all", description = "W0|W1|...|L1|all (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--json", description = "Print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try {
            Class<?> c = Class.forName("org.rnn4j.bench.BenchMain");
            Object r = c.getMethod("run", String.class, boolean.class, java.io.PrintStream.class).invoke(null, workload, json, System.out);
            return r instanceof Integer i ? i : 0;
        } catch (ClassNotFoundException e) {
            throw new CliException("bench: the benchmark module (rnn4j-bench) is not in this build");
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof IllegalArgumentException) {
                throw new CliException("bench: " + t.getMessage());
            }
            throw t instanceof Exception ex ? ex : new RuntimeException(t);
        }
    }
}
