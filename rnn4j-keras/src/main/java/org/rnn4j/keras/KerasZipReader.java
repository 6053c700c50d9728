package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;

/** Reads a Keras 3 {@code .keras} zip: its config.json and the variables of its model.weights.h5, within the limits. */
final class KerasZipReader {
    private KerasZipReader() {
    }

    static <T> T open(Path path, KerasLimits limits, ModelFile.Builder<T> builder) throws IOException {
        byte[] config;
        byte[] weights;
        java.util.Map<String, byte[]> assets = new java.util.TreeMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            int entries = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); e.nextElement()) {
                if (++entries > limits.maxZipEntries()) {
                    throw new KerasFormatException("zip lists more than " + limits.maxZipEntries() + " entries");
                }
            }
            config = entry(zip, "config.json", limits.maxConfigBytes());
            byte[] meta = zip.getEntry("metadata.json") == null ? null : entry(zip, "metadata.json", limits.maxConfigBytes());
            if (meta != null) {
                Json.parse(new String(meta, StandardCharsets.UTF_8), "metadata.json");
            }
            if (zip.getEntry("model.weights.h5") == null) {
                String other = zip.getEntry("model.weights.npz") != null ? " (it has model.weights.npz, which rnn4j does not read)"
                        : zip.getEntry("model.weights.json") != null ? " (its weights are sharded, which rnn4j does not read)" : "";
                throw new KerasFormatException("the .keras zip has no model.weights.h5" + other);
            }
            weights = entry(zip, "model.weights.h5", limits.maxWeightsBytes());
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                if (z.getName().startsWith(KerasAssets.PREFIX) && !z.isDirectory()) {
                    assets.put(z.getName(), entry(zip, z.getName(), limits.maxConfigBytes()));
                }
            }
        } catch (ZipException e) {
            throw new KerasFormatException("not a valid .keras zip: " + e.getMessage(), e);
        }
        if (weights.length < 8 || !java.util.Arrays.equals(java.util.Arrays.copyOf(weights, 8), ModelFile.HDF5_MAGIC)) {
            throw new KerasFormatException("model.weights.h5 is not an HDF5 file");
        }
        Object json = Json.parse(new String(config, StandardCharsets.UTF_8), "config.json");
        try (HdfFile h5 = HdfFile.fromBytes(weights)) {
            return builder.build(json, h5, true, weights.length, null, assets);
        }
    }

    private static byte[] entry(ZipFile zip, String name, long cap) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new KerasFormatException("the .keras zip has no " + name);
        }
        if (e.getSize() > cap) {
            throw new KerasFormatException(name + " declares " + e.getSize() + " bytes, over the limit of " + cap);
        }
        // Declared sizes can lie (zip bombs): count what is actually inflated.
        try (InputStream in = zip.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(e.getSize(), 0), 1 << 20));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                total += r;
                if (total > cap) {
                    throw new KerasFormatException(name + " inflates to more than the limit of " + cap + " bytes");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException ex) {
            throw new KerasFormatException(name + " cannot be read from the zip: " + ex.getMessage(), ex);
        }
    }

    /** The values of the layers' variables, in {@code weights()} order, from the groups at their Keras paths. */
    static List<float[]> readWeights(List<Layer> layers, List<String> paths, Group root)
            throws KerasFormatException {
        List<float[]> values = new ArrayList<>();
        for (int li = 0; li < paths.size(); li++) {
            Layer layer = layers.get(li);
            String where = "layer " + (li + 1) + " '" + layer.name() + "' (" + layer.className() + ")";
            List<Variable> ws = layer.weights();
            int next = 0;
            for (KerasLayout.VarGroup g : KerasLayout.groups(layer, paths.get(li))) {
                Group vars = H5.group(root, g.path, where);
                int have = H5.countNumbered(vars, g.path);
                if (have != g.count) {
                    throw new KerasFormatException(where + ": weights group '" + g.path + "' holds " + have
                            + " variables but the layer has " + g.count);
                }
                for (int i = 0; i < g.count; i++) {
                    Variable v = ws.get(next++);
                    values.add(H5.floats(root, g.path + "/" + i, v.shape(), where + " weight '" + v.name() + "'"));
                }
            }
        }
        return values;
    }
}
