package org.rnn4j.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * KServe's V2 inference protocol: {@code infer} ({@code inputs} as {name, shape, datatype, data}
 * with flat or nested data, optional {@code outputs} selection and {@code id}) and model metadata.
 */
final class KServeApi {
    private final Inference inference;
    private final long maxElements;

    KServeApi(Inference inference, long maxElements) {
        this.inference = inference;
        this.maxElements = maxElements;
    }

    Response metadata(ServedModel m) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", m.name);
        doc.put("versions", List.of(Long.toString(m.version)));
        doc.put("platform", "rnn4j");
        doc.put("inputs", v2Tensors(m.inputs));
        doc.put("outputs", v2Tensors(m.outputs));
        return Response.ok((doc));
    }

    private static List<Object> v2Tensors(List<TensorSpec> specs) {
        List<Object> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            List<Object> shape = new ArrayList<>();
            shape.add(-1);
            for (int d : s.shape()) {
                shape.add(d);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", s.name());
            t.put("datatype", s.v2Datatype());
            t.put("shape", shape);
            out.add(t);
        }
        return out;
    }

    private static final java.util.Set<String> V2_NUMERIC = java.util.Set.of("FP32", "FP64", "FP16", "INT8", "INT16", "INT32",
            "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

    Response infer(ServedModel m, Object doc, Batcher.Arrival arrival) {
        Map<String, Object> req = RequestBody.object(doc, "the request body");
        for (String k : req.keySet()) {
            if (!k.equals("id") && !k.equals("inputs") && !k.equals("outputs") && !k.equals("parameters")) {
                throw ApiException.badRequest("unknown field '" + k + "' in the inference request; expected 'inputs', and "
                        + "optionally 'id', 'outputs', 'parameters'");
            }
        }
        Object id = req.get("id");
        if (id != null && !(id instanceof String)) {
            throw ApiException.badRequest("'id' must be a string, got " + TensorCodec.describe(id));
        }
        Object ins = req.get("inputs");
        if (!(ins instanceof List)) {
            throw ApiException.badRequest("'inputs' must be a list of {name, shape, datatype, data} objects, got "
                    + TensorCodec.describe(ins));
        }
        Map<String, Tensor> byName = new LinkedHashMap<>();
        List<?> list = (List<?>) ins;
        List<String> names = TfServingApi.inputNames(m);
        for (int i = 0; i < list.size(); i++) {
            String where = "inputs[" + i + "]";
            Map<String, Object> in = RequestBody.object(list.get(i), where);
            Object name = in.get("name");
            if (!(name instanceof String)) {
                throw ApiException.badRequest(where + " needs a string 'name'");
            }
            int k = names.indexOf(name);
            if (k < 0) {
                throw ApiException.badRequest(where + " has unknown input '" + name + "'; model '" + m.name + "' has inputs " + names);
            }
            if (byName.containsKey(name)) {
                throw ApiException.badRequest(where + ": input '" + name + "' is given twice");
            }
            byName.put((String) name, v2Tensor(in, m.inputs.get(k), where));
        }
        for (String n : names) {
            if (!byName.containsKey(n)) {
                throw ApiException.badRequest("'inputs' lacks input '" + n + "'; model '" + m.name + "' has inputs " + names);
            }
        }
        List<Integer> wanted = new ArrayList<>();
        Object outs = req.get("outputs");
        List<String> outNames = new ArrayList<>();
        for (TensorSpec s : m.outputs) {
            outNames.add(s.name());
        }
        if (outs == null) {
            for (int k = 0; k < m.outputs.size(); k++) {
                wanted.add(k);
            }
        } else {
            if (!(outs instanceof List)) {
                throw ApiException.badRequest("'outputs' must be a list of {name} objects");
            }
            for (Object o : (List<?>) outs) {
                Object n = o instanceof Map ? ((Map<?, ?>) o).get("name") : null;
                int k = outNames.indexOf(n);
                if (k < 0) {
                    throw ApiException.badRequest("requested output " + (n == null ? "without a name" : "'" + n + "'")
                            + " is not one of model '" + m.name + "''s outputs " + outNames);
                }
                wanted.add(k);
            }
        }
        List<Tensor> xs = new ArrayList<>();
        for (String n : names) {
            xs.add(byName.get(n));
        }
        List<Tensor> out = inference.run(m, xs, arrival);
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"model_name\": ");
        TensorCodec.appendString(sb, m.name);
        sb.append(", \"model_version\": \"").append(m.version).append('"');
        if (id != null) {
            sb.append(", \"id\": ");
            TensorCodec.appendString(sb, (String) id);
        }
        sb.append(", \"outputs\": [");
        for (int w = 0; w < wanted.size(); w++) {
            int k = wanted.get(w);
            Tensor t = out.get(k);
            if (w > 0) {
                sb.append(", ");
            }
            sb.append("{\"name\": ");
            TensorCodec.appendString(sb, m.outputs.get(k).name());
            sb.append(", \"datatype\": \"FP32\", \"shape\": ").append(java.util.Arrays.toString(t.shape()).replace(" ", ""));
            sb.append(", \"data\": ");
            TensorCodec.appendFlat(sb, t, 0, t.dim(0));
            sb.append('}');
        }
        sb.append("]}");
        return Response.json(200, sb.toString());
    }

    private Tensor v2Tensor(Map<String, Object> in, TensorSpec spec, String where) {
        Object dt = in.get("datatype");
        if (!(dt instanceof String)) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "') needs a string 'datatype' such as \"FP32\"");
        }
        if (!V2_NUMERIC.contains(dt)) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "'): datatype " + dt + " is not supported; input '"
                    + spec.name() + "' is " + spec.v2Datatype());
        }
        Object sh = in.get("shape");
        if (!(sh instanceof List) || ((List<?>) sh).isEmpty()) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "') needs a 'shape' list such as " + spec.batchShapeString());
        }
        List<?> shl = (List<?>) sh;
        int[] shape = new int[shl.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = shl.get(i);
            if (!(d instanceof Long) || (Long) d < 0 || (Long) d > Integer.MAX_VALUE) {
                throw ApiException.badRequest(where + " ('" + spec.name() + "'): shape[" + i + "] is " + TensorCodec.describe(d)
                        + ", expected a non-negative integer");
            }
            shape[i] = (int) (long) (Long) d;
            count *= shape[i];
            if (count > maxElements) {
                throw new ApiException(413, "input '" + spec.name() + "': shape " + shl + " has more than the limit of "
                        + maxElements + " values");
            }
        }
        String expected = spec.batchShapeString();
        boolean ok = shape.length == spec.rank() + 1 && shape[0] > 0;
        for (int i = 1; ok && i < shape.length; i++) {
            ok = spec.dim(i - 1) < 0 ? shape[i] > 0 : spec.dim(i - 1) == shape[i];
        }
        if (!ok) {
            throw ApiException.badRequest("input '" + spec.name() + "': expected shape " + expected + " but got "
                    + java.util.Arrays.toString(shape));
        }
        Object data = in.get("data");
        if (!(data instanceof List)) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "') needs a 'data' list of " + count + " numbers");
        }
        float[] flat = new float[(int) count];
        int[] n = {0};
        flatten(data, flat, n, spec, where, 0);
        if (n[0] != count) {
            throw ApiException.badRequest("input '" + spec.name() + "': shape " + java.util.Arrays.toString(shape) + " needs "
                    + count + " values, 'data' has " + n[0]);
        }
        return Tensor.of(flat, shape);
    }

    private static void flatten(Object v, float[] out, int[] n, TensorSpec spec, String where, int depth) {
        if (v instanceof List) {
            if (depth > spec.rank() + 1) {
                throw ApiException.badRequest(where + " ('" + spec.name() + "'): 'data' is nested deeper than the shape");
            }
            for (Object o : (List<?>) v) {
                flatten(o, out, n, spec, where, depth + 1);
            }
            return;
        }
        if (!(v instanceof Long) && !(v instanceof Double)) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "'): data value " + n[0] + " is " + TensorCodec.describe(v)
                    + ", expected a number");
        }
        if (n[0] >= out.length) {
            n[0]++;
            return;
        }
        double d = ((Number) v).doubleValue();
        if (spec.integral() && d != Math.rint(d)) {
            throw ApiException.badRequest(where + " ('" + spec.name() + "') is " + spec.dtype() + ": data value " + n[0]
                    + " is " + d + ", expected an integer");
        }
        out[n[0]++] = v instanceof Long ? (float) (long) (Long) v : (float) d;
    }
}
