package org.rnn4j.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rnn4j.bench.JitCheck;
import org.rnn4j.cli.CliException;
import org.rnn4j.keras.Json;
import org.rnn4j.keras.KerasFormatException;

/**
 * {@code ./rnn4j bench --forks N}: each workload in N fresh JVMs, taken in turns (fork 1 of every
 * workload, then fork 2, ...), with one summary per workload: the median over the JVMs of each
 * figure, and each JVM's headline figures.
 *
 * <p>Why: what a JVM's JIT makes of the kernels differs from one process to the next, so one
 * process's median can be far from the next one's (issue #10 found one bench process in four or
 * five 6-7x slower all through). JMH forks for the same reason. With {@code --jit-check} every
 * child also logs its compiles, and {@link JitCheck} counts the kernel compiles in which C2 left
 * vector operations as calls: a slow fork with bad compiles is the JIT, one without is the machine.
 */
final class BenchForks {
    /** The figures reported per fork, when the workload has them. */
    static final List<String> HEADLINE = List.of("train_ms_per_step", "infer_samples_per_s", "gflops", "p50_us");
    private static final long CHILD_TIMEOUT_MINUTES = 20;

    private BenchForks() {
    }

    /** The workload ids {@code workload} stands for, in the order {@code bench} runs them. */
    static List<String> expand(String workload) {
        String key = workload.trim().toUpperCase(Locale.ROOT);
        if (key.equals("ALL")) {
            List<String> ids = new ArrayList<>(org.rnn4j.bench.BenchMain.workloads());
            ids.removeAll(List.of("all", "matmul"));
            return ids;
        }
        if (key.equals("MATMUL")) {
            throw new CliException("bench: --forks runs workloads (W0..W5, L1, all), not the matmul table");
        }
        if (!org.rnn4j.bench.BenchMain.workloads().contains(key)) {
            throw new CliException("bench: Unknown workload '" + workload + "'. Valid: " + org.rnn4j.bench.BenchMain.workloads());
        }
        return List.of(key);
    }

    static int run(String workload, int forks, boolean jitCheck, boolean json, PrintStream out) {
        if (forks < 1) {
            throw new CliException("bench: --forks must be at least 1, got " + forks);
        }
        List<String> ids = expand(workload);
        Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        for (String id : ids) {
            results.put(id, new ArrayList<>());
        }
        for (int f = 0; f < forks; f++) {
            for (String id : ids) {
                results.get(id).add(fork(id, jitCheck));
            }
        }
        for (String id : ids) {
            Map<String, Object> summary = summarize(results.get(id));
            out.println(json ? org.rnn4j.keras.Json.write(summary) : readable(summary));
        }
        out.flush();
        return 0;
    }

    /** One child JVM running {@code bench --workload id --json}: its workload record, plus the JIT check. */
    private static Map<String, Object> fork(String id, boolean jitCheck) {
        Path log = null;
        Path output = null;
        try {
            output = Files.createTempFile("rnn4j-bench-fork", ".out");
            List<String> cmd = new ArrayList<>(javaCommand());
            if (jitCheck) {
                log = Files.createTempFile("rnn4j-bench-fork", ".jit.log");
                cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), org.rnn4j.cli.Main.class.getName(),
                    "bench", "--workload", id, "--json"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new CliException("bench: the fork running " + id + " did not finish in " + CHILD_TIMEOUT_MINUTES + " minutes");
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new CliException("bench: the fork running " + id + " exited with " + p.exitValue() + ": "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
            }
            Map<String, Object> rec = workloadRecord(id, lines);
            if (jitCheck) {
                List<JitCheck.Compile> bad = JitCheck.bad(JitCheck.check(log, JitCheck.KERNELS));
                rec.put("jit_bad_compiles", bad.size());
                rec.put("jit_bad_methods", bad.stream().map(JitCheck.Compile::method).distinct().toList());
            }
            return rec;
        } catch (IOException e) {
            throw new CliException("bench: cannot run a fork for " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("bench: interrupted while a fork ran " + id);
        } finally {
            deleteQuietly(log);
            deleteQuietly(output);
        }
    }

    /**
     * This JVM's java and its flags (the launcher's --add-modules, -D and -XX options, and
     * RNN4J_JAVA_OPTS), so a fork runs as {@code ./rnn4j bench} itself would.
     */
    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A compile log of our own would be overwritten by every fork; each fork gets its own.
            if (!arg.startsWith("-XX:LogFile=")) {
                cmd.add(arg);
            }
        }
        // Properties set at run time (tests, embedding code) are not in the input arguments.
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("rnn4j.") && !cmd.contains("-D" + k + "=" + System.getProperty(k)))
                .sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        return cmd;
    }

    private static Map<String, Object> workloadRecord(String id, List<String> lines) {
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            Object v;
            try {
                v = Json.parse(line, "a fork's bench record");
            } catch (KerasFormatException e) {
                throw new CliException("bench: " + e.getMessage());
            }
            if (v instanceof Map<?, ?> m && id.equals(m.get("workload"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> rec = new LinkedHashMap<>((Map<String, Object>) m);
                return rec;
            }
        }
        throw new CliException("bench: the fork running " + id + " printed no record for it: " + String.join("\n", lines));
    }

    /**
     * The workload's record with every number replaced by its median over the forks, then
     * {@code forks}, each fork's headline figures ({@code <figure>_forks}) and the JIT check's.
     */
    static Map<String, Object> summarize(List<Map<String, Object>> forks) {
        Map<String, Object> first = forks.get(0);
        Map<String, Object> s = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : first.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("jit_")) {
                continue;
            }
            if (e.getValue() instanceof Number) {
                double[] xs = forks.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
                double med = median(xs);
                // Counts (batch, steps) stay integers when every fork agrees on one.
                s.put(key, e.getValue() instanceof Long && med == Math.rint(med) ? (Object) (long) med : (Object) roundLike(med));
            } else {
                s.put(key, e.getValue());
            }
        }
        s.put("forks", forks.size());
        for (String key : HEADLINE) {
            if (first.get(key) instanceof Number) {
                s.put(key + "_forks", forks.stream().map(r -> r.get(key)).toList());
            }
        }
        if (first.containsKey("jit_bad_compiles")) {
            s.put("jit_bad_compiles_forks", forks.stream().map(r -> r.get("jit_bad_compiles")).toList());
            s.put("jit_bad_methods", forks.stream()
                    .flatMap(r -> ((List<?>) r.get("jit_bad_methods")).stream()).distinct().toList());
        }
        return s;
    }

    static double median(double[] xs) {
        double[] v = xs.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double roundLike(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }

    private static String readable(Map<String, Object> s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.get("workload")).append(' ').append(s.get("name")).append(", ").append(s.get("forks")).append(" JVMs:");
        for (String key : HEADLINE) {
            if (s.containsKey(key + "_forks")) {
                sb.append("  ").append(key).append('=').append(s.get(key)).append(" (forks ").append(s.get(key + "_forks")).append(')');
            }
        }
        if (s.containsKey("jit_bad_compiles_forks")) {
            sb.append("  jit_bad_compiles=").append(s.get("jit_bad_compiles_forks"));
            List<?> methods = (List<?>) s.get("jit_bad_methods");
            if (!methods.isEmpty()) {
                sb.append(" in ").append(methods);
            }
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A temp file left behind is not worth failing the bench for.
            }
        }
    }
}
