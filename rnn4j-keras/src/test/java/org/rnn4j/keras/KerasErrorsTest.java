package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Sequential;

/** Unsupported content and corrupt, truncated or hostile files fail with a clear KerasFormatException. */
class KerasErrorsTest {
    @TempDir
    Path tmp;

    private Path base() {
        return Fixtures.dir("keras").resolve("dense_mlp.keras");
    }

    private String message(Path file) {
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasModels.load(file));
        if (Boolean.getBoolean("rnn4j.printErrors")) {
            System.out.println("MESSAGE " + e.getMessage());
        }
        return e.getMessage();
    }

    private static void contains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    /** dense_mlp.keras with config.json edited by {@code edit}. */
    private Path withConfig(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        String cfg = ZipTools.text(e.get("config.json"));
        String changed = edit.apply(cfg);
        assertTrue(!changed.equals(cfg), "the edit must change the config");
        e.put("config.json", ZipTools.bytes(changed));
        Path p = tmp.resolve(name + ".keras");
        Files.write(p, ZipTools.zip(e));
        return p;
    }

    @Test
    void notAKerasFile() throws Exception {
        Path p = tmp.resolve("x.keras");
        Files.writeString(p, "hello, not a model");
        contains(message(p), "x.keras", "not a Keras model file");
    }

    @Test
    void truncatedZip() throws Exception {
        byte[] all = Files.readAllBytes(base());
        Path p = tmp.resolve("cut.keras");
        Files.write(p, Arrays.copyOf(all, all.length / 2));
        contains(message(p), "cut.keras", "zip");
    }

    @Test
    void missingWeightsEntry() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        e.remove("model.weights.h5");
        Path p = tmp.resolve("noweights.keras");
        Files.write(p, ZipTools.zip(e));
        contains(message(p), "no model.weights.h5");
    }

    @Test
    void unsupportedLayerNamesItsPositionAndTheSupportedOnes() throws Exception {
        Path p = withConfig("lambda", c -> c.replaceFirst("\"class_name\": \"Dense\", \"config\": \\{\"name\": \"dense_1\"",
                "\"class_name\": \"Lambda\", \"config\": {\"name\": \"dense_1\""));
        contains(message(p), "layer 2 'dense_1' (Lambda)", "'Lambda' is not supported", "supported: ", "Dense");
    }

    @Test
    void unsupportedOptionIsNamed() throws Exception {
        Path p = withConfig("option", c -> c.replaceFirst("\"units\": 10,", "\"units\": 10, \"frobnicate\": 3,"));
        contains(message(p), "layer 1 'dense' (Dense)", "frobnicate=3");
    }

    @Test
    void unknownActivationSuggestsTheClosest() throws Exception {
        Path p = withConfig("act", c -> c.replaceFirst("\"activation\": \"relu\"", "\"activation\": \"relux\""));
        contains(message(p), "layer 1 'dense' (Dense)", "relux", "relu");
    }

    @Test
    void wrongWeightShapeNamesLayerAndShapes() throws Exception {
        Path p = withConfig("shape", c -> c.replaceFirst("\"units\": 10,", "\"units\": 11,"));
        contains(message(p), "layer 1 'dense' (Dense)", "(6, 10)", "(6, 11)");
    }

    @Test
    void sizeLargerThanTheWeightsFileIsRefusedBeforeAllocating() throws Exception {
        Path p = withConfig("huge", c -> c.replaceFirst("\"units\": 10,", "\"units\": 2000000000,"));
        contains(message(p), "layer 1 'dense' (Dense)", "units", "2000000000");
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        e.put("config.json", ZipTools.bytes("[".repeat(100_000) + "]".repeat(100_000)));
        Path p = tmp.resolve("deep.keras");
        Files.write(p, ZipTools.zip(e));
        contains(message(p), "config.json", "nesting deeper than");
    }

    @Test
    void zipBombIsStoppedAtTheLimit() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        e.put("model.weights.h5", new byte[8 << 20]);
        Path p = tmp.resolve("bomb.keras");
        Files.write(p, ZipTools.zip(e));
        KerasLimits small = new KerasLimits(1 << 20, 1 << 20, 100, 1_000_000);
        KerasFormatException ex = assertThrows(KerasFormatException.class, () -> KerasModels.load(p, small));
        contains(ex.getMessage(), "model.weights.h5", "limit");
    }

    @Test
    void zipEntryLyingAboutItsSizeIsStoppedWhileInflating() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        e.put("model.weights.h5", new byte[8 << 20]);
        byte[] zip = ZipTools.zip(e);
        // Patch the central directory's uncompressed size of model.weights.h5 to 100 bytes.
        byte[] name = ZipTools.bytes("model.weights.h5");
        boolean patched = false;
        for (int i = 0; i + 46 + name.length <= zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2
                    && Arrays.equals(Arrays.copyOfRange(zip, i + 46, i + 46 + name.length), name)) {
                zip[i + 24] = 100;
                zip[i + 25] = 0;
                zip[i + 26] = 0;
                zip[i + 27] = 0;
                patched = true;
            }
        }
        assertTrue(patched);
        Path p = tmp.resolve("liar.keras");
        Files.write(p, zip);
        KerasLimits small = new KerasLimits(1 << 20, 1 << 20, 100, 1_000_000);
        KerasFormatException ex = assertThrows(KerasFormatException.class, () -> KerasModels.load(p, small));
        contains(ex.getMessage(), "model.weights.h5");
    }

    @Test
    void missingDatasetIsNamed() throws Exception {
        Sequential one = new Sequential("sequential");
        one.add(new Dense(10).name("dense").inputShape(6));
        Map<String, byte[]> e = ZipTools.entries(base());
        e.put("model.weights.h5", WeightsH5Writer.weightsH5(one));
        Path p = tmp.resolve("missing.keras");
        Files.write(p, ZipTools.zip(e));
        contains(message(p), "layer 2 'dense_1' (Dense)", "layers/dense_1/vars", "missing");
    }

    @Test
    void datasetClaimingTerabytesIsRefusedWithoutAllocating() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        byte[] h5 = e.get("model.weights.h5");
        // The dataspace of layers/dense/vars/0 stores its dims (6, 10) as two little-endian 8-byte sizes.
        byte[] dims = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(6).putLong(10).array();
        int hits = 0;
        for (int i = 0; i + 16 <= h5.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(h5, i, i + 16), dims)) {
                java.nio.ByteBuffer.wrap(h5, i + 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
                hits++;
            }
        }
        assertTrue(hits >= 1, "dims (6, 10) not found in the weights file");
        e.put("model.weights.h5", h5);
        Path p = tmp.resolve("tera.keras");
        Files.write(p, ZipTools.zip(e));
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        contains(message(p), "tera.keras", "layers/dense/vars");
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < (256L << 20), "loading must not allocate for the claimed size");
    }

    @Test
    void weightsNotHdf5() throws Exception {
        Map<String, byte[]> e = ZipTools.entries(base());
        e.put("model.weights.h5", ZipTools.bytes("not hdf5 at all, but long enough"));
        Path p = tmp.resolve("nothdf.keras");
        Files.write(p, ZipTools.zip(e));
        contains(message(p), "model.weights.h5", "not an HDF5 file");
    }

    @Test
    void h5WithoutModelConfigIsWeightsOnly() throws Exception {
        Path p = tmp.resolve("weights_only.h5");
        try (WritableHdfFile w = HdfFile.write(p)) {
            w.putGroup("dense").putDataset("kernel", new float[] {1, 2});
        }
        contains(message(p), "weights_only.h5", "model_config", "weights only");
    }

    @Test
    void truncatedH5() throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.dir("keras").resolve("dense_mlp.h5"));
        Path p = tmp.resolve("cut.h5");
        Files.write(p, Arrays.copyOf(all, 3000));
        contains(message(p), "cut.h5");
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> KerasModels.load(tmp.resolve("nope.keras")));
    }

    @Test
    void functionalGraphErrorsNameTheLayer() throws Exception {
        String head = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"two\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"name\": \"a\", \"config\": {\"name\": \"a\", \"batch_shape\": [null, 3]}, \"inbound_nodes\": []},";
        String tail = "\"input_layers\": [[\"a\", 0, 0]], \"output_layers\": [[\"d\", 0, 0]]}}";
        // reads a layer that does not exist
        String missing = head + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\", \"units\": 2},"
                + " \"inbound_nodes\": [[[\"nope\", 0, 0, {}]]]}]," + tail;
        KerasFormatException e = assertThrows(KerasFormatException.class,
                () -> KerasLoader.buildConfig(ModelConfigReader.read(Json.parse(missing, "c"))));
        contains(e.getMessage(), "Functional model 'two'", "'d' (Dense)", "'nope'", "not a layer of the model");
        // a Dense called on two tensors
        String twoIn = head + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\", \"units\": 2},"
                + " \"inbound_nodes\": [[[\"a\", 0, 0, {}], [\"a\", 0, 0, {}]]]}]," + tail;
        e = assertThrows(KerasFormatException.class, () -> KerasLoader.buildConfig(ModelConfigReader.read(Json.parse(twoIn, "c"))));
        contains(e.getMessage(), "'d' (Dense)", "takes one input");
        // reads a second output of a layer that has one
        String state = head + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\", \"units\": 2},"
                + " \"inbound_nodes\": [[[\"a\", 0, 1, {}]]]}]," + tail;
        e = assertThrows(KerasFormatException.class, () -> KerasLoader.buildConfig(ModelConfigReader.read(Json.parse(state, "c"))));
        contains(e.getMessage(), "'d' (Dense)", "output 1 of layer 'a'");
    }

    /** 9,000 layers listed in reverse order: ordering them is linear, not quadratic. */
    @Test
    void largeReversedGraphIsOrderedQuickly() {
        int n = 9_000;
        StringBuilder sb = new StringBuilder("{\"class_name\": \"Functional\", \"config\": {\"name\": \"big\", \"layers\": [");
        for (int i = n; i >= 1; i--) {
            String prev = i == 1 ? "in" : "d" + (i - 1);
            sb.append("{\"class_name\": \"Dense\", \"name\": \"d").append(i).append("\", \"config\": {\"name\": \"d")
                    .append(i).append("\", \"units\": 1}, \"inbound_nodes\": [[[\"").append(prev).append("\", 0, 0, {}]]]},");
        }
        sb.append("{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"name\": \"in\", \"batch_shape\": [null, 1]}, \"inbound_nodes\": []}],");
        sb.append("\"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"d").append(n).append("\", 0, 0]]}}");
        String json = sb.toString();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            ModelSpec g = ModelConfigReader.read(Json.parse(json, "c"));
            assertEquals(n + 1, g.layers.size());
            assertEquals("d" + n, g.layers.get(0).name());
        });
        // building calls the layers in an order where each input exists, without quadratic rescans
        String small = json.replace("d" + n + "\", 0, 0]]}}", "d1000\", 0, 0]]}}");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            org.rnn4j.models.Model m = KerasLoader.buildConfig(ModelConfigReader.read(Json.parse(small, "c")));
            assertEquals(1001, m.layers().size());
            assertEquals("d1000", m.outputNames().get(0));
        });
    }

    @Test
    void tooManyLayersIsRefused() {
        StringBuilder sb = new StringBuilder("{\"class_name\": \"Sequential\", \"config\": [");
        for (int i = 0; i <= ModelConfigReader.MAX_LAYERS; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"class_name\": \"Flatten\", \"config\": {}}");
        }
        sb.append("]}");
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> ModelConfigReader.read(Json.parse(sb.toString(), "c")));
        contains(e.getMessage(), "more than the limit");
    }

    @Test
    void functionalChainLoadsLikeSequential() throws Exception {
        String cfg = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"chain\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"name\": \"in\", \"batch_shape\": [null, 3]}, \"inbound_nodes\": []},"
                + "{\"class_name\": \"Dense\", \"name\": \"d2\", \"config\": {\"name\": \"d2\", \"units\": 2}, \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 4], \"keras_history\": [\"d1\", 0, 0]}}], \"kwargs\": {}}]},"
                + "{\"class_name\": \"Dense\", \"name\": \"d1\", \"config\": {\"name\": \"d1\", \"units\": 4}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}],"
                + "\"input_layers\": [\"in\", 0, 0], \"output_layers\": [[\"d2\", 0, 0]]}}";
        ModelSpec spec = ModelConfigReader.read(Json.parse(cfg, "c"));
        assertEquals("chain", spec.name);
        // config order is kept; the layers are called in an order where each input exists
        assertEquals(java.util.List.of("in", "d2", "d1"), spec.layers.stream().map(ModelSpec.LayerSpec::name).toList());
        org.rnn4j.models.Model m = KerasLoader.buildConfig(spec);
        assertEquals(java.util.List.of("in", "d1", "d2"), m.layers().stream().map(l -> l.name()).toList());
        assertEquals(3, m.inputShapesOfModel().get(0)[0]);
    }
}
