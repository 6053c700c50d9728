package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;

/**
 * A JVM without {@code --add-modules jdk.incubator.vector} runs the scalar kernels and says so,
 * once, naming the flag; with it, nothing is printed and {@link Rnn4j#kernels} says "vector".
 */
class SlowPathWarningTest {
    /** Uses the kernels twice and prints {@link Rnn4j#kernels}. */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            new org.rnn4j.layers.Dense(3).inputShape(4);
            Kernels.matmul();
        }
        System.out.println(Rnn4j.kernels());
    }

    private static String[] run(boolean withModule) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(SlowPathWarningTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        return new String[] {out.strip(), err};
    }

    @Test
    void withoutTheModuleOneWarningNamesTheFlag() throws Exception {
        String[] r = run(false);
        assertTrue(r[0].startsWith("scalar (jdk.incubator.vector is not enabled: start java with --add-modules jdk.incubator.vector)"), r[0]);
        long warnings = r[1].lines().filter(l -> l.contains("Vector API module is not enabled")).count();
        assertEquals(1, warnings, r[1]);
        assertTrue(r[1].contains("start java with --add-modules jdk.incubator.vector"), r[1]);
    }

    @Test
    void withTheModuleNoWarning() throws Exception {
        String[] r = run(true);
        assertTrue(r[0].startsWith("vector ("), r[0]);
        assertTrue(!r[1].contains("rnn4j"), r[1]);
        assertTrue(Rnn4j.kernels().startsWith("vector ("), "the tests run with the module: " + Rnn4j.kernels());
    }
}
