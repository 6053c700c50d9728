package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vector activations give the same bits interpreted ({@code -Xint}, the Vector API's Java
 * fallback) as JIT-compiled (intrinsics): the Vector API's own EXP/TANH did not, which made a
 * model's first training run in a JVM differ from its second.
 */
class JitIndependentActivationsTest {
    @Test
    void interpretedAndCompiledSigmoidAndTanhAgreeBitForBit() throws Exception {
        long compiled = ActivationBits.digest(3000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), ActivationBits.class.getName()))
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        assertEquals(Long.toString(compiled), out);
    }
}
