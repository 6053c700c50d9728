"""Makes the Keras reference cases of rnn4j's attention and LayerNormalization tests.

Run with the offline venv of ../shared/bench/setup-peers.sh (Keras 3.15, TensorFlow backend):

    PY=$(/work/shared/bench/setup-peers.sh)
    $PY tools/keras-refs/attention_refs.py rnn4j-core/src/test/resources/attention-refs

Per case: the layer's own get_config(), the call options, the inputs (seeded N(0,1)), the masks
(float32 0/1 .npy), every weight set explicitly to seeded random values (in layer.weights order,
with Keras's variable path), and the outputs Keras returns. cases.json indexes them. Two further
cases re-run the attention layers of the shared functional fixtures (self_attention, mha_block)
on the tensors that reach them inside those models, so the tests cover those models' numbers
without reading HDF5. The Java tests never run Python.
"""
import json
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src import backend  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "rnn4j-core/src/test/resources/attention-refs"
FIXTURES = os.environ.get("RNN4J_SHARED", "/work/shared") + "/fixtures/keras-functional"
os.makedirs(OUT, exist_ok=True)
cases = []


def rand(seed, *shape, scale=1.0):
    return (np.random.RandomState(seed).normal(size=shape) * scale).astype("float32")


def save(name, array):
    np.save(os.path.join(OUT, name), np.asarray(array, dtype="float32"))
    return name


def jsonable(v):
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def set_random_weights(layer, seed):
    values = []
    for i, w in enumerate(layer.weights):
        v = rand(zlib.crc32(f"{seed}/{w.path}".encode()) % (2 ** 31), *w.shape, scale=0.5)
        if len(w.shape) == 0:
            v = np.asarray(0.5 + abs(float(v)), dtype="float32")
        values.append(v)
    layer.set_weights(values)
    return values


def record(name, layer, inputs, outputs, masks=None, call=None, attention_mask=None, note=""):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    case = {
        "name": name,
        "class_name": layer.__class__.__name__,
        "config": jsonable(layer.get_config()),
        "call": call or {},
        "note": note,
        "inputs": [save(f"{name}.x{i}.npy", x) for i, x in enumerate(inputs)],
        "masks": [None if m is None else save(f"{name}.m{i}.npy", np.asarray(m, "float32"))
                  for i, m in enumerate(masks or [None] * len(inputs))],
        "attention_mask": None if attention_mask is None else save(f"{name}.am.npy", attention_mask),
        "weights": [{"path": w.path.split("/", 1)[1] if "/" in w.path else w.path,
                     "file": save(f"{name}.w{i}.npy", w.numpy())} for i, w in enumerate(layer.weights)],
        "outputs": [save(f"{name}.y{i}.npy", keras.ops.convert_to_numpy(y)) for i, y in enumerate(outputs)],
    }
    cases.append(case)


def tensor(x, mask=None):
    t = keras.ops.convert_to_tensor(x)
    if mask is not None:
        backend.set_keras_mask(t, keras.ops.convert_to_tensor(np.asarray(mask, bool)))
    return t


# ---------------------------------------------------------------- LayerNormalization
def layer_norm(name, shape, seed, **kwargs):
    layer = keras.layers.LayerNormalization(**kwargs)
    x = rand(seed, *shape) * 2 + 0.5
    layer.build(x.shape)
    set_random_weights(layer, seed)
    record(name, layer, [x], layer(x))


layer_norm("ln_default", (2, 5, 6), 11)
layer_norm("ln_time_axis", (2, 5, 6), 12, axis=1)
layer_norm("ln_two_axes", (2, 3, 4, 5), 13, axis=[-2, -1], epsilon=1e-5)
layer_norm("ln_plain", (3, 7), 14, center=False, scale=False)
layer_norm("ln_center_only", (2, 4, 3), 15, scale=False)

# ---------------------------------------------------------------- Attention / AdditiveAttention
QM = np.array([[1, 1, 1, 0, 1], [1, 0, 1, 1, 1]], bool)  # (2, Tq<=5)
VM = np.array([[1, 1, 1, 1, 0], [1, 1, 0, 1, 0]], bool)  # (2, Tv=5)


def dense_attention(name, cls, seed, key=True, masks=False, causal=False, scores=False, tq=4, tv=5, **kwargs):
    layer = cls(**kwargs)
    q = rand(seed, 2, tq, 3)
    v = rand(seed + 1, 2, tv, 3)
    k = rand(seed + 2, 2, tv, 3)
    inputs = [q, v, k] if key else [q, v]
    layer.build([x.shape for x in inputs])
    set_random_weights(layer, seed)
    mask_list = None
    if masks:
        mask_list = [QM[:, :tq], VM[:, :tv]] + ([None] if key else [])
    call = {"use_causal_mask": causal, "return_attention_scores": scores}
    kmask = None if mask_list is None else [None if m is None else keras.ops.convert_to_tensor(m) for m in mask_list]
    out = layer(inputs, mask=kmask, use_causal_mask=causal, return_attention_scores=scores)
    record(name, layer, inputs, out, masks=mask_list, call=call)


A = keras.layers.Attention
AA = keras.layers.AdditiveAttention
dense_attention("att_dot", A, 21, key=False)
dense_attention("att_dot_scale_key_masks_scores", A, 22, use_scale=True, masks=True, scores=True)
dense_attention("att_dot_causal_masks", A, 23, key=False, masks=True, causal=True, tq=5)
dense_attention("att_concat", A, 24, score_mode="concat")
dense_attention("att_concat_scale_causal_scores", A, 25, score_mode="concat", use_scale=True, causal=True,
                masks=True, scores=True, tq=5)
dense_attention("add_scale_key_masks_scores", AA, 26, masks=True, scores=True)
dense_attention("add_noscale_causal", AA, 27, key=False, use_scale=False, causal=True, tq=5)

# ---------------------------------------------------------------- MultiHeadAttention
def mha(name, seed, t=4, s=6, dq=5, dv=5, dk=None, masks=None, am=False, causal=False, scores=False, **kwargs):
    layer = keras.layers.MultiHeadAttention(**kwargs)
    q = rand(seed, 2, t, dq)
    v = rand(seed + 1, 2, s, dv)
    k = None if dk is None else rand(seed + 2, 2, s, dk)
    layer.build(q.shape, v.shape, None if k is None else k.shape)
    set_random_weights(layer, seed)
    masks = masks or {}
    qt = tensor(q, masks.get("q"))
    vt = tensor(v, masks.get("v"))
    kt = None if k is None else tensor(k, masks.get("k"))
    attention_mask = None
    if am:
        attention_mask = (np.random.RandomState(seed + 3).uniform(size=(2, t, s)) > 0.3).astype("float32")
        attention_mask[:, :, 0] = 1.0
    out = layer(qt, vt, key=kt, attention_mask=attention_mask, use_causal_mask=causal,
                return_attention_scores=scores)
    inputs = [q, v] + ([] if k is None else [k])
    mask_list = [masks.get("q"), masks.get("v")] + ([] if k is None else [masks.get("k")])
    if all(m is None for m in mask_list):
        mask_list = None
    record(name, layer, inputs, out, masks=mask_list, attention_mask=attention_mask,
           call={"use_causal_mask": causal, "return_attention_scores": scores})


QM6 = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
VM6 = np.array([[1, 1, 1, 1, 0, 0], [1, 0, 1, 1, 1, 0]], bool)
mha("mha_cross", 31, num_heads=2, key_dim=3)
mha("mha_key_value_dim_outshape", 32, dq=4, dv=7, dk=3, num_heads=3, key_dim=2, value_dim=4, output_shape=6)
mha("mha_nobias_outshape2", 33, num_heads=2, key_dim=3, use_bias=False, output_shape=(2, 3))
# a fully masked query row: zeros (scores path) vs uniform (fused path), as Keras's TF backend does
mha("mha_masks_scores", 34, dk=5, num_heads=2, key_dim=3, masks={"q": QM6, "v": VM6, "k": VM6[::-1]}, am=True,
    scores=True)
mha("mha_masks_fused", 34, dk=5, num_heads=2, key_dim=3, masks={"q": QM6, "v": VM6, "k": VM6[::-1]}, am=True)
mha("mha_causal", 35, t=6, num_heads=2, key_dim=2, causal=True)
mha("mha_causal_vmask_scores", 36, t=6, num_heads=2, key_dim=2, masks={"v": VM6}, causal=True, scores=True)
mha("mha_attention_mask_only", 37, num_heads=1, key_dim=4, am=True)

# ---------------------------------------------------------------- the shared functional fixtures
def fixture_inner(case, attention_class):
    model = keras.saving.load_model(f"{FIXTURES}/{case}.keras")
    x = np.load(f"{FIXTURES}/{case}.x0.npy")
    names = [layer.name for layer in model.layers]
    layer = next(l for l in model.layers if l.__class__.__name__ == attention_class)
    idx = names.index(layer.name)
    # the tensor reaching the attention layer (both of its inputs are the same tensor in these models)
    feed = keras.Model(model.inputs, model.layers[idx - 1].output)
    h = feed.predict(x, verbose=0)
    return model, x, h, layer, idx


model, x, h, att, idx = fixture_inner("self_attention", "Attention")
record("fixture_self_attention", att, [h, h], att([h, h]), note="Attention of shared fixture self_attention")
head = model.layers[idx + 2]  # GlobalAveragePooling1D then Dense
cases[-1]["tail_dense"] = [save("fixture_self_attention.dense_w%d.npy" % i, w) for i, w in enumerate(head.get_weights())]
cases[-1]["tail_activation"] = head.get_config()["activation"]
cases[-1]["model_output"] = save("fixture_self_attention.model_y.npy", model.predict(x, verbose=0))

model, x, h, mh, idx = fixture_inner("mha_block", "MultiHeadAttention")
record("fixture_mha_block", mh, [h, h], mh(h, h), note="MultiHeadAttention of shared fixture mha_block")
ln = model.layers[idx + 2]
record("fixture_mha_block_ln", ln, [h + mh(h, h).numpy()], ln(h + mh(h, h).numpy()))
head = model.layers[idx + 4]
cases[-1]["tail_dense"] = [save("fixture_mha_block.dense_w%d.npy" % i, w) for i, w in enumerate(head.get_weights())]
cases[-1]["tail_activation"] = head.get_config()["activation"]
cases[-1]["model_output"] = save("fixture_mha_block.model_y.npy", model.predict(x, verbose=0))

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, f, indent=1)
print(f"{len(cases)} cases in {OUT}")
