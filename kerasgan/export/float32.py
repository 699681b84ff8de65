"""`float32_copy`: a network trained under mixed precision, rebuilt to compute in float32.

A network built under `mixed_bfloat16` or `mixed_float16` keeps float32
weights but casts its inputs and computes in the low precision. Exported as
is, its program holds bfloat16 or float16 kernels, which the standard LiteRT
interpreter has no built-in op for (the converter falls back to a Select
TensorFlow op such as `FlexMatMul`, which the standard interpreter refuses)
and ONNX Runtime mostly lacks. The copy made here has the same layers and
weights with a float32 dtype policy, so its program is plain float32.
"""

import keras

from kerasgan.utils.precision import dtype_policy_scope

# Dtype policies whose computation the copy replaces by float32. Quantized
# policies (int8, float8) are left alone: they change the weights themselves.
_LOW_PRECISION = ("mixed_bfloat16", "mixed_float16", "bfloat16", "float16")


def computes_in_float32(network):
    """True when every layer of `network` computes in float32.

    Args:
        network: a Keras model.

    Returns:
        bool.

    Example:
        >>> computes_in_float32(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
        True
    """
    return all(layer.dtype_policy.compute_dtype == "float32" for layer in _all_layers(network))


def float32_copy(network):
    """Returns `network` itself if it computes in float32, else a float32 copy.

    The copy is rebuilt from `network`'s serialized config with every
    low-precision dtype policy (`mixed_bfloat16`, `mixed_float16`,
    `bfloat16`, `float16`) replaced by `"float32"`, and gets `network`'s
    weight values (mixed-precision weights are float32 already, so nothing
    is rounded). Its outputs equal what `network` would compute in float32,
    and differ from `network`'s own low-precision outputs by that
    precision's rounding.

    Args:
        network: a built Keras model whose layers are serializable.

    Returns:
        A Keras model computing in float32.

    Example:
        >>> keras.config.set_dtype_policy("mixed_bfloat16")
        >>> net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> keras.config.set_dtype_policy("float32")
        >>> copy = float32_copy(net)
        >>> computes_in_float32(net), computes_in_float32(copy)
        (False, True)
    """
    config = keras.saving.serialize_keras_object(network)
    float32_config = _in_float32(config)
    if float32_config == config and computes_in_float32(network):
        return network
    # Layers that make sublayers without passing their dtype take the global
    # policy: build the copy under float32.
    with dtype_policy_scope("float32"):
        copy = keras.saving.deserialize_keras_object(float32_config)
    copy.set_weights(network.get_weights())
    return copy


def _all_layers(layer):
    yield layer
    for sublayer in getattr(layer, "layers", []):
        yield from _all_layers(sublayer)


def _in_float32(config):
    """`config` with each low-precision `DTypePolicy` entry replaced by "float32"."""
    if isinstance(config, list):
        return [_in_float32(item) for item in config]
    if not isinstance(config, dict):
        return config
    if str(config.get("class_name", "")).endswith("DTypePolicy"):
        name = config.get("config", {}).get("name")
        return "float32" if name in _LOW_PRECISION else config
    return {key: _in_float32(value) for key, value in config.items()}
