package org.rnn4j.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.tensor.Shapes;

/**
 * Checked reads from an HDF5 file through jHDF. Shapes are compared before any data is read, so a
 * dataset that claims terabytes is refused without allocating; jHDF's own failures on corrupt
 * bytes become {@link KerasFormatException}s naming the path.
 */
final class H5 {
    private H5() {
    }

    /** The node at a slash-separated path below {@code root}, or null when absent. */
    static Node find(Group root, String path) throws KerasFormatException {
        Node cur = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!(cur instanceof Group)) {
                return null;
            }
            try {
                cur = ((Group) cur).getChildren().get(part);
            } catch (RuntimeException e) {
                throw corrupt(path, e);
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    static Group group(Group root, String path, String what) throws KerasFormatException {
        Node n = find(root, path);
        if (!(n instanceof Group)) {
            throw new KerasFormatException(what + ": group '" + path + "' is missing from the weights file");
        }
        return (Group) n;
    }

    /** The float32 values of the dataset at {@code path}, which must have exactly {@code shape}. */
    static float[] floats(Group root, String path, int[] shape, String what) throws KerasFormatException {
        Node n = find(root, path);
        if (n == null) {
            throw new KerasFormatException(what + ": dataset '" + path + "' is missing from the weights file");
        }
        if (!(n instanceof Dataset)) {
            throw new KerasFormatException(what + ": '" + path + "' is a group, expected a dataset");
        }
        Dataset d = (Dataset) n;
        try {
            int[] dims = d.isScalar() ? new int[0] : d.getDimensions();
            if (!Arrays.equals(dims, shape)) {
                throw new KerasFormatException(what + ": dataset '" + path + "' has shape " + Shapes.toString(dims)
                        + " but the layer expects " + Shapes.toString(shape)
                        + "; the weights do not belong to this layer configuration");
            }
            Class<?> type = d.getJavaType();
            if (d.isScalar()) {
                // e.g. Normalization's int64 "count"
                Object v = d.getData();
                if (!(v instanceof Number)) {
                    throw new KerasFormatException(what + ": scalar dataset '" + path + "' is not a number");
                }
                return new float[] {((Number) v).floatValue()};
            }
            if (type != float.class && type != double.class) {
                throw new KerasFormatException(what + ": dataset '" + path + "' holds " + type.getSimpleName()
                        + " values; expected float32");
            }
            Object flat = d.getDataFlat();
            float[] out;
            if (flat instanceof float[]) {
                out = (float[]) flat;
            } else if (flat instanceof double[]) {
                double[] dd = (double[]) flat;
                out = new float[dd.length];
                for (int i = 0; i < dd.length; i++) {
                    out[i] = (float) dd[i];
                }
            } else {
                throw new KerasFormatException(what + ": dataset '" + path + "' could not be read as floats");
            }
            if (out.length != Shapes.size(shape)) {
                throw new KerasFormatException(what + ": dataset '" + path + "' holds " + out.length
                        + " values for shape " + Shapes.toString(shape));
            }
            return out;
        } catch (RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /** Dataset names of a group in numeric order ("0", "1", ...), checking there are no gaps. */
    static int countNumbered(Group g, String path) throws KerasFormatException {
        try {
            int n = 0;
            for (String k : g.getChildren().keySet()) {
                if (!k.matches("[0-9]{1,6}")) {
                    throw new KerasFormatException("weights group '" + path + "' holds an unexpected entry '" + k + "'");
                }
                n++;
            }
            return n;
        } catch (RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /** A string attribute, or null when absent. */
    static String stringAttr(Node n, String name, String what) throws KerasFormatException {
        Object v = attr(n, name, what);
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof String[] && ((String[]) v).length == 1) {
            return ((String[]) v)[0];
        }
        throw new KerasFormatException(what + ": attribute '" + name + "' is not a string");
    }

    /** A list-of-strings attribute such as {@code weight_names}; empty when absent or empty. */
    static List<String> stringListAttr(Node n, String name, String what) throws KerasFormatException {
        Object v = attr(n, name, what);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String) {
            out.add((String) v);
        } else if (v instanceof String[]) {
            out.addAll(Arrays.asList((String[]) v));
        } else if (v.getClass().isArray() && java.lang.reflect.Array.getLength(v) == 0) {
            return out;
        } else {
            throw new KerasFormatException(what + ": attribute '" + name + "' is not a list of strings");
        }
        return out;
    }

    private static Object attr(Node n, String name, String what) throws KerasFormatException {
        try {
            Attribute a = n.getAttributes().get(name);
            if (a == null || a.isEmpty()) {
                return null;
            }
            if (a.getSize() > 1_000_000 || a.getSizeInBytes() > (64L << 20)) {
                throw new KerasFormatException(what + ": attribute '" + name + "' is implausibly large ("
                        + a.getSizeInBytes() + " bytes)");
            }
            return a.getData();
        } catch (RuntimeException e) {
            throw corrupt(n.getPath() + "@" + name, e);
        }
    }

    static KerasFormatException corrupt(String path, Throwable e) {
        return new KerasFormatException("corrupt HDF5 data at '" + path + "': " + e, e);
    }
}
