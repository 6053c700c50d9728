package org.rnn4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a HotSpot compilation log ({@code -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation
 * -XX:LogFile=...}) and finds the C2 compiles of our kernels in which C2 left Vector API
 * operations as calls instead of intrinsics.
 *
 * <p>Why: C2 turns each {@code jdk.internal.vm.vector.VectorSupport} call (load, store, fma, ...)
 * into a machine instruction only when it can, late in the compile and within a node budget.
 * When it cannot, the call stays, every vector it touches is boxed, and the method runs several
 * times slower for the life of the JVM. Issue #10 found one bench process in four or five running
 * 6-7x slower for that reason; timings alone cannot tell such a process from a noisy machine, this
 * log can. In a good compile every VectorSupport call the log shows has its {@code <intrinsic
 * id='_Vector...'>}; a shortfall is a bad compile.
 *
 * <pre>
 * java -cp rnn4j-bench.jar org.rnn4j.bench.JitCheck compiles.log [package-prefix]
 * </pre>
 */
public final class JitCheck {
    /** The methods checked by default: our kernels. */
    public static final String KERNELS = "org.rnn4j.kernels";

    private static final Pattern ATTR = Pattern.compile("(\\w+)='([^']*)'");
    private static final Pattern KLASS = Pattern.compile("^<klass id='(\\d+)' name='([^']*)'");
    private static final Pattern METHOD = Pattern.compile("^<method id='(\\d+)' holder='(\\d+)' name='([^']*)'");
    private static final Pattern CALL = Pattern.compile("^<call method='(\\d+)'");
    private static final Pattern INTRINSIC = Pattern.compile("^<intrinsic id='(_Vector\\w*)'");

    private JitCheck() {
    }

    /**
     * One C2 compile of a checked method: the VectorSupport calls its log shows, how many of them
     * became intrinsics, and the stores among them.
     */
    public record Compile(String method, int compileId, boolean osr, double stampSeconds,
                          int vectorCalls, int intrinsics, int storeCalls, boolean failed) {
        /** Vector operations C2 left as calls on boxed vectors. */
        public int missing() {
            return Math.max(0, vectorCalls - intrinsics);
        }

        public boolean bad() {
            return missing() > 0;
        }

        @Override
        public String toString() {
            return (bad() ? "BAD " : "ok  ") + method + (osr ? " (osr)" : "") + " #" + compileId + " at " + stampSeconds
                    + " s: " + intrinsics + " of " + vectorCalls + " vector calls intrinsified" + (failed ? ", compile failed" : "");
        }
    }

    /** The C2 compiles of methods whose holder starts with {@code prefix}, in log order. */
    public static List<Compile> check(Path log, String prefix) throws IOException {
        try (InputStream raw = Files.newInputStream(log)) {
            InputStream in = log.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return check(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), prefix);
        }
    }

    /** {@link #check(Path, String)} on a log being read; reads it to the end. */
    public static List<Compile> check(BufferedReader log, String prefix) throws IOException {
        List<Compile> out = new ArrayList<>();
        Task task = null;
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            if (line.startsWith("<task ")) {
                task = Task.start(line, prefix);
            } else if (task == null) {
                continue;
            } else if (line.startsWith("</task>")) {
                out.add(task.finish());
                task = null;
            } else {
                task.read(line);
            }
        }
        return out;
    }

    /**
     * The bad compiles of {@code compiles} (in log order) that last: all but an OSR compile
     * followed by a good standard compile of its method. An OSR compile only finishes the loop
     * it was entered from; the next call runs the standard one. (Our gate kernels' OSR compiles
     * take their hoisted constants from the interpreter's frame, boxed, so they often count one
     * call short: every W4 JVM showed one, each superseded about 0.1 s later.)
     */
    public static List<Compile> bad(List<Compile> compiles) {
        List<Compile> out = new ArrayList<>();
        for (int i = 0; i < compiles.size(); i++) {
            Compile c = compiles.get(i);
            if (c.bad() && !(c.osr() && supersededByAGoodStandardCompile(compiles, i))) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean supersededByAGoodStandardCompile(List<Compile> compiles, int i) {
        String method = compiles.get(i).method();
        for (int k = i + 1; k < compiles.size(); k++) {
            Compile later = compiles.get(k);
            if (later.method().equals(method) && !later.osr() && !later.bad() && !later.failed()) {
                return true;
            }
        }
        return false;
    }

    /** A checked task being read; null from {@link #start} for tasks not checked (C1, other methods). */
    private static final class Task {
        final String method;
        final int id;
        final boolean osr;
        final double stamp;
        final Set<String> vectorSupport = new HashSet<>();
        final Map<String, String> methodNames = new HashMap<>();
        final Set<String> storeMethods = new HashSet<>();
        int calls;
        int intrinsics;
        int stores;
        boolean failed;

        private Task(String method, int id, boolean osr, double stamp) {
            this.method = method;
            this.id = id;
            this.osr = osr;
            this.stamp = stamp;
        }

        static Task start(String line, String prefix) {
            Map<String, String> a = attributes(line);
            String m = a.getOrDefault("method", "");
            // C1 tasks carry a tier level; C2 (and a JVM without tiers) do not.
            if (a.containsKey("level") || !m.startsWith(prefix)) {
                return null;
            }
            String[] parts = m.split(" ");
            String holder = parts[0];
            String name = holder.substring(holder.lastIndexOf('.') + 1) + "." + (parts.length > 1 ? parts[1] : "?");
            return new Task(name, parseInt(a.get("compile_id")), a.containsKey("osr_bci"), parseDouble(a.get("stamp")));
        }

        void read(String line) {
            Matcher k = KLASS.matcher(line);
            if (k.find()) {
                if (k.group(2).endsWith("VectorSupport")) {
                    vectorSupport.add(k.group(1));
                }
                return;
            }
            Matcher m = METHOD.matcher(line);
            if (m.find()) {
                if (vectorSupport.contains(m.group(2))) {
                    methodNames.put(m.group(1), m.group(3));
                }
                return;
            }
            Matcher c = CALL.matcher(line);
            if (c.find()) {
                String name = methodNames.get(c.group(1));
                if (name != null) {
                    calls++;
                    if (name.equals("store")) {
                        stores++;
                    }
                }
                return;
            }
            if (INTRINSIC.matcher(line).find()) {
                intrinsics++;
            } else if (line.startsWith("<failure ")) {
                failed = true;
            }
        }

        Compile finish() {
            return new Compile(method, id, osr, stamp, calls, intrinsics, stores, failed);
        }
    }

    private static Map<String, String> attributes(String line) {
        Map<String, String> a = new HashMap<>();
        Matcher m = ATTR.matcher(line);
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        return a;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double parseDouble(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Prints every checked compile; exits 1 when one is bad, 2 on a usage or read error. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: JitCheck <compilation log, from -XX:+LogCompilation -XX:LogFile=...> [package prefix, default "
                    + KERNELS + "]");
            System.exit(2);
        }
        List<Compile> compiles;
        try {
            compiles = check(Path.of(args[0]), args.length > 1 ? args[1] : KERNELS);
        } catch (IOException e) {
            System.err.println("JitCheck: cannot read " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        // Compiles without vector calls (dispatchers, loops around the kernels) have nothing to check.
        compiles.stream().filter(c -> c.vectorCalls() > 0 || c.failed()).forEach(System.out::println);
        List<Compile> bad = bad(compiles);
        System.out.println(compiles.size() + " C2 compiles checked, " + bad.size() + " bad that last"
                + " (an OSR compile superseded by a good standard one does not)");
        System.exit(bad.isEmpty() ? 0 : 1);
    }
}
