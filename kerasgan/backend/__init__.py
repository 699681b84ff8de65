"""Backend-specific gradient code, selected from `keras.backend.backend()`."""

import keras

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        "kerasgan currently trains with the TensorFlow backend only; Keras is "
        f"set to {keras.backend.backend()!r}. Set the environment variable "
        "KERAS_BACKEND=tensorflow before importing keras."
    )

from kerasgan.backend.tensorflow import TensorFlowGANTrainer as GANTrainer  # noqa: E402
from kerasgan.backend.tensorflow import (  # noqa: E402
    assert_in_range,
    global_batch_position,
    input_gradients,
    replicas_in_sync,
)

__all__ = [
    "GANTrainer",
    "assert_in_range",
    "global_batch_position",
    "input_gradients",
    "replicas_in_sync",
]
