package org.rnn4j.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.kernels.Kernels;

/**
 * The peer workloads of shared/bench/WORKLOADS.md (W0-W5, L1) and a matmul table.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.rnn4j.bench.BenchMain [--workload W1|...|all|matmul] [--json]
 * </pre>
 * The CLI's {@code ./rnn4j bench} calls {@link #run}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** The accepted workload names, for help texts and validation. */
    public static List<String> workloads() {
        List<String> names = new ArrayList<>(Workloads.all().keySet());
        names.add("L1");
        names.add("all");
        names.add("matmul");
        return names;
    }

    /**
     * Runs {@code workload} (W0..W5, L1, "all" = W0..W5 then L1, or "matmul") and prints one line
     * per workload: a JSON object when {@code json}, else a readable summary. A config line
     * (JVM, kernels, threads, load) comes first.
     *
     * @throws IllegalArgumentException for an unknown workload name
     */
    public static void run(String workload, boolean json, PrintStream out) {
        String w = workload == null ? "all" : workload.trim();
        Map<String, Workload> all = Workloads.all();
        String key = w.toUpperCase(Locale.ROOT);
        boolean known = all.containsKey(key) || key.equals("L1") || key.equals("ALL") || key.equals("MATMUL");
        if (!known) {
            throw new IllegalArgumentException("Unknown workload '" + workload + "'. Valid: " + workloads());
        }
        emit(config(), json, out);
        if (key.equals("MATMUL")) {
            MatMulTable.run(json, out, true, 2.0);
            return;
        }
        for (Workload wl : all.values()) {
            if (key.equals("ALL") || key.equals(wl.id())) {
                emit(WorkloadRunner.run(wl), json, out);
            }
        }
        if (key.equals("ALL") || key.equals("L1")) {
            emit(LatencyRunner.run(), json, out);
        }
    }

    static Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "config");
        c.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        c.put("matmul", Kernels.matmul().name());
        c.put("available_processors", Runtime.getRuntime().availableProcessors());
        c.put("loadavg_at_start", loadAverage());
        return c;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return String.valueOf(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static void emit(Map<String, Object> rec, boolean json, PrintStream out) {
        if (json) {
            out.println(Json.write(rec));
        } else {
            StringBuilder sb = new StringBuilder();
            rec.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "  ").append(k).append('=')
                    .append(v instanceof int[] a ? java.util.Arrays.toString(a) : v));
            out.println(sb);
        }
        out.flush();
    }

    public static void main(String[] args) {
        String workload = "all";
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--workload", "-w" -> {
                    if (i + 1 >= args.length) {
                        usage("--workload needs a value");
                    }
                    workload = args[++i];
                }
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> {
                    if (args[i].startsWith("--workload=")) {
                        workload = args[i].substring("--workload=".length());
                    } else {
                        usage("Unknown argument '" + args[i] + "'");
                    }
                }
            }
        }
        try {
            run(workload, json, System.out);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
    }

    private static void usage(String error) {
        PrintStream p = error == null ? System.out : System.err;
        if (error != null) {
            p.println("bench: " + error);
        }
        p.println("usage: BenchMain [--workload " + String.join("|", workloads()) + "] [--json]");
        if (error != null) {
            System.exit(2);
        }
    }
}
