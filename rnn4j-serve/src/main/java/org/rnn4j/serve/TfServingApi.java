package org.rnn4j.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.keras.Json;
import org.rnn4j.tensor.Tensor;

/**
 * TensorFlow Serving's REST API: {@code :predict} in the row ({@code instances}) and columnar
 * ({@code inputs}) formats, named inputs for several-input models and every output (by name) for
 * several-output ones; model status and signature metadata.
 */
final class TfServingApi {
    private final Inference inference;
    private final long maxElements;

    TfServingApi(Inference inference, long maxElements) {
        this.inference = inference;
        this.maxElements = maxElements;
    }

    Response predict(ServedModel m, Object doc, Batcher.Arrival arrival) {
        Map<String, Object> req = RequestBody.object(doc, "the request body");
        for (String k : req.keySet()) {
            if (!k.equals("instances") && !k.equals("inputs") && !k.equals("signature_name")) {
                throw ApiException.badRequest("unknown field '" + k + "' in the request; expected 'instances' (row format) "
                        + "or 'inputs' (columnar format), and optionally 'signature_name'");
            }
        }
        Object sig = req.get("signature_name");
        if (sig != null && !"serving_default".equals(sig)) {
            throw ApiException.badRequest("unknown signature_name " + Json.write(sig) + "; model '" + m.name
                    + "' has 'serving_default'");
        }
        boolean rows = req.containsKey("instances");
        if (rows == req.containsKey("inputs")) {
            throw ApiException.badRequest(rows ? "give either 'instances' or 'inputs', not both"
                    : "the request needs 'instances' (row format) or 'inputs' (columnar format)");
        }
        List<Tensor> xs = rows ? rowInputs(m, req.get("instances")) : columnarInputs(m, req.get("inputs"));
        List<Tensor> out = inference.run(m, xs, arrival);
        StringBuilder sb = new StringBuilder(256);
        int n = out.get(0).dim(0);
        if (rows) {
            sb.append("{\"predictions\": ");
            if (out.size() == 1) {
                TensorCodec.appendRows(sb, out.get(0), 0, n);
            } else {
                sb.append('[');
                for (int r = 0; r < n; r++) {
                    if (r > 0) {
                        sb.append(',');
                    }
                    sb.append('{');
                    for (int k = 0; k < out.size(); k++) {
                        if (k > 0) {
                            sb.append(", ");
                        }
                        TensorCodec.appendString(sb, m.outputs.get(k).name());
                        sb.append(": ");
                        TensorCodec.appendRow(sb, out.get(k), r);
                    }
                    sb.append('}');
                }
                sb.append(']');
            }
        } else {
            sb.append("{\"outputs\": ");
            if (out.size() == 1) {
                TensorCodec.appendRows(sb, out.get(0), 0, n);
            } else {
                sb.append('{');
                for (int k = 0; k < out.size(); k++) {
                    if (k > 0) {
                        sb.append(", ");
                    }
                    TensorCodec.appendString(sb, m.outputs.get(k).name());
                    sb.append(": ");
                    TensorCodec.appendRows(sb, out.get(k), 0, out.get(k).dim(0));
                }
                sb.append('}');
            }
        }
        sb.append('}');
        return Response.json(200, sb.toString());
    }

    private List<Tensor> rowInputs(ServedModel m, Object instances) {
        if (!(instances instanceof List)) {
            throw ApiException.badRequest("'instances' must be a list with one entry per instance, got " + TensorCodec.describe(instances));
        }
        List<?> list = (List<?>) instances;
        if (list.isEmpty()) {
            throw ApiException.badRequest("'instances' is empty");
        }
        if (list.size() > inference.maxInstances()) {
            throw new ApiException(413, list.size() + " instances in one request; the limit is " + inference.maxInstances());
        }
        boolean named = list.get(0) instanceof Map;
        if (!named) {
            if (m.inputs.size() != 1) {
                throw ApiException.badRequest("model '" + m.name + "' has " + m.inputs.size() + " inputs " + inputNames(m)
                        + ": each instance must be an object by input name, instances[0] is " + TensorCodec.describe(list.get(0)));
            }
            return List.of(TensorCodec.batched(list, m.inputs.get(0), TensorCodec.prefix("instances"), maxElements));
        }
        List<List<Object>> columns = new ArrayList<>();
        for (int k = 0; k < m.inputs.size(); k++) {
            columns.add(new ArrayList<>(list.size()));
        }
        for (int r = 0; r < list.size(); r++) {
            if (!(list.get(r) instanceof Map)) {
                throw ApiException.badRequest("instances[" + r + "] is " + TensorCodec.describe(list.get(r))
                        + ", expected an object by input name like instances[0]");
            }
            Map<String, Object> inst = RequestBody.object(list.get(r), "instances[" + r + "]");
            checkNames(m, inst.keySet(), "instances[" + r + "]");
            for (int k = 0; k < m.inputs.size(); k++) {
                columns.get(k).add(inst.get(m.inputs.get(k).name()));
            }
        }
        List<Tensor> xs = new ArrayList<>();
        for (int k = 0; k < m.inputs.size(); k++) {
            TensorSpec spec = m.inputs.get(k);
            xs.add(TensorCodec.batched(columns.get(k), spec, TensorCodec.rowNamed(spec.name()), maxElements));
        }
        return xs;
    }

    private List<Tensor> columnarInputs(ServedModel m, Object inputs) {
        if (inputs instanceof Map) {
            Map<String, Object> byName = RequestBody.object(inputs, "'inputs'");
            checkNames(m, byName.keySet(), "'inputs'");
            List<Tensor> xs = new ArrayList<>();
            for (TensorSpec spec : m.inputs) {
                xs.add(TensorCodec.batched(byName.get(spec.name()), spec, TensorCodec.prefix("inputs['" + spec.name() + "']"),
                        maxElements));
            }
            return xs;
        }
        if (m.inputs.size() != 1) {
            throw ApiException.badRequest("model '" + m.name + "' has " + m.inputs.size() + " inputs " + inputNames(m)
                    + ": 'inputs' must be an object by input name");
        }
        return List.of(TensorCodec.batched(inputs, m.inputs.get(0), TensorCodec.prefix("inputs"), maxElements));
    }

    static List<String> inputNames(ServedModel m) {
        List<String> n = new ArrayList<>();
        for (TensorSpec s : m.inputs) {
            n.add(s.name());
        }
        return n;
    }

    private static void checkNames(ServedModel m, java.util.Set<String> given, String where) {
        List<String> names = inputNames(m);
        for (String g : given) {
            if (!names.contains(g)) {
                throw ApiException.badRequest(where + " has unknown input '" + g + "'; model '" + m.name + "' has inputs " + names);
            }
        }
        for (String n : names) {
            if (!given.contains(n)) {
                throw ApiException.badRequest(where + " lacks input '" + n + "'; model '" + m.name + "' has inputs " + names);
            }
        }
    }

    Response status(ServedModel m) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("error_code", "OK");
        status.put("error_message", "");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("version", Long.toString(m.version));
        v.put("state", "AVAILABLE");
        v.put("status", status);
        return Response.ok((Map.of("model_version_status", List.of(v))));
    }

    Response metadata(ServedModel m) {
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("inputs", tfTensors(m.inputs));
        sig.put("outputs", tfTensors(m.outputs));
        sig.put("method_name", "tensorflow/serving/predict");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", m.name);
        spec.put("signature_name", "");
        spec.put("version", Long.toString(m.version));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model_spec", spec);
        doc.put("metadata", Map.of("signature_def", Map.of("signature_def", Map.of("serving_default", sig))));
        return Response.ok((doc));
    }

    private static Map<String, Object> tfTensors(List<TensorSpec> specs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (TensorSpec s : specs) {
            List<Object> dims = new ArrayList<>();
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("size", "-1");
            batch.put("name", "");
            dims.add(batch);
            for (int d : s.shape()) {
                Map<String, Object> dim = new LinkedHashMap<>();
                dim.put("size", Integer.toString(d));
                dim.put("name", "");
                dims.add(dim);
            }
            Map<String, Object> shape = new LinkedHashMap<>();
            shape.put("dim", dims);
            shape.put("unknown_rank", false);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", s.tfDtype());
            t.put("tensor_shape", shape);
            t.put("name", s.name());
            out.put(s.name(), t);
        }
        return out;
    }
}
