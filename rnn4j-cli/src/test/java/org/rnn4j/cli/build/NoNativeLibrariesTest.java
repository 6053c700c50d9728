package org.rnn4j.cli.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The CLI's all-jar is the union of its runtime class path, so no jar or folder on the test class
 * path (a superset of it) may hold a native library. jhdf's LZ4/LZF filters used to bring
 * lz4-java's {@code .so}/{@code .dylib} files in; {@code .ci/run} also checks the built jars.
 */
class NoNativeLibrariesTest {
    private static final List<String> NATIVE = List.of(".so", ".dll", ".dylib", ".jnilib");

    static boolean isNative(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return NATIVE.stream().anyMatch(n::endsWith) || n.matches(".*\\.so\\.[0-9.]+");
    }

    @Test
    void noNativeLibraryOnTheRuntimeClassPath() throws IOException {
        List<String> found = new ArrayList<>();
        int jars = 0;
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> isNative(f.getFileName().toString())).forEach(f -> found.add(f.toString()));
                }
            } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                jars++;
                try (ZipFile zip = new ZipFile(p.toFile())) {
                    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (isNative(name)) {
                            found.add(p.getFileName() + "!/" + name);
                        }
                    }
                }
            }
        }
        assertTrue(jars > 5, "the class path should list the dependency jars: " + System.getProperty("java.class.path"));
        assertEquals(List.of(), found, "native libraries would ship in the all-jar");
    }

    @Test
    void lz4AndLzfAreNotOnTheClassPath() {
        for (String c : new String[] {"net.jpountz.lz4.LZ4Factory", "com.ning.compress.lzf.LZFDecoder"}) {
            assertTrue(isAbsent(c), c + " is on the class path; exclude it from jhdf");
        }
    }

    @Test
    void commonsLang3IsAtLeast318() throws Exception {
        Class<?> c = Class.forName("org.apache.commons.lang3.StringUtils");
        String jar = c.getProtectionDomain().getCodeSource().getLocation().getPath();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("commons-lang3-3\\.(\\d+)").matcher(jar);
        assertTrue(m.find(), jar);
        assertTrue(Integer.parseInt(m.group(1)) >= 18, "commons-lang3 3.18+ fixes a 2025 CVE: " + jar);
    }

    @Test
    void recognisesNativeLibraryNames() {
        assertTrue(isNative("net/jpountz/util/linux/amd64/liblz4-java.so"));
        assertTrue(isNative("darwin/x86_64/liblz4-java.dylib"));
        assertTrue(isNative("win32/amd64/lz4.DLL"));
        assertTrue(isNative("lib/libfoo.so.1.2"));
        assertTrue(!isNative("org/rnn4j/cli/Main.class") && !isNative("datasets/sales/x.csv"));
    }

    private static boolean isAbsent(String className) {
        try {
            Class.forName(className, false, NoNativeLibrariesTest.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }
}
