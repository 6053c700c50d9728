package org.rnn4j.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.bench.BenchMain;
import org.rnn4j.bench.Scaling;
import org.rnn4j.cli.CliException;
import org.rnn4j.cli.plot.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Delegates to the speed benchmarks of module rnn4j-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the speed benchmarks (workloads W0..W5, L1) against the recorded peers.",
            "Workloads: see rnn4j-bench; 'all' runs W0..W5 then L1.",
            "--forks N: each workload in N fresh JVMs, in turns, with the median over them (one JVM's JIT can be 6x off).",
            "--scaling: ms/step of LSTM(units)->Dense(1) as T, batch and units grow, as CSV and PNG."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "all", description = "W0|W1|...|W5|L1|all|matmul (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--json", description = "Print one JSON object per workload instead of a summary")
    boolean json;

    @Option(names = "--forks", defaultValue = "0", description = "Run each workload in this many fresh JVMs, taken in"
            + " turns, and report the median over them and each JVM's figures (default: in this JVM)")
    int forks;

    @Option(names = "--jit-check", description = "Log each fork's JIT compiles and count the kernel compiles in which C2"
            + " left vector operations as calls (a JVM that runs slow for its whole life); implies --forks 1 at least")
    boolean jitCheck;

    @Option(names = "--scaling", description = "Measure how an LSTM's step time grows with T (16..512), batch (1..512)"
            + " and units (16..1024), one axis at a time around T=64, batch=64, units=64")
    boolean scaling;

    @Option(names = "--csv", defaultValue = "scaling.csv", description = "With --scaling: the CSV file (default: ${DEFAULT-VALUE})")
    Path csv;

    @Option(names = "--png", defaultValue = "scaling.png", description = "With --scaling: the plot (default: ${DEFAULT-VALUE})")
    Path png;

    @Option(names = "--grid", defaultValue = "default", hidden = true, description = "With --scaling: default|tiny")
    String grid;

    @Option(names = "--seconds", defaultValue = "1.0", hidden = true,
            description = "With --scaling: timed seconds per point (default: ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() {
        if (scaling) {
            return runScaling();
        }
        if (forks < 0) {
            throw new CliException("bench: --forks must be at least 1, got " + forks);
        }
        if (forks > 0 || jitCheck) {
            return BenchForks.run(workload, Math.max(1, forks), jitCheck, json, System.out);
        }
        try {
            BenchMain.run(workload, json, System.out);
        } catch (IllegalArgumentException e) {
            // An unknown workload name: BenchMain's message lists the valid ones.
            throw new CliException("bench: " + e.getMessage());
        }
        return 0;
    }

    private int runScaling() {
        List<Scaling.Point> points;
        try {
            points = Scaling.grid(grid);
        } catch (IllegalArgumentException e) {
            throw new CliException("bench: " + e.getMessage());
        }
        boolean tiny = "tiny".equalsIgnoreCase(grid);
        List<Scaling.Row> rows = Scaling.run(points, seconds, tiny ? 0 : 3.0, System.out);
        try {
            Scaling.writeCsv(rows, csv);
        } catch (java.io.UncheckedIOException e) {
            throw new CliException("bench: " + e.getMessage());
        }
        Charts.scalingPng(png, rows);
        System.out.println("Wrote " + csv + " and " + png);
        return 0;
    }
}
