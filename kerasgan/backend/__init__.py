"""Backend-specific gradient code, selected from `keras.backend.backend()`.

Each backend module provides the same names: `GANTrainer` (the trainer mixin
every kerasgan model inherits: `train_step`, `run_phase`,
`random_per_example`), `input_gradients`, `assert_in_range`, `assert_shape`,
`replicas_in_sync` and `global_batch_position`. TensorFlow and JAX train;
on PyTorch kerasgan imports, builds, samples and saves, and says clearly
that training is not supported there yet.
"""

import keras

if keras.backend.backend() == "tensorflow":
    from kerasgan.backend.tensorflow import TensorFlowGANTrainer as GANTrainer
    from kerasgan.backend.tensorflow import (
        assert_in_range,
        assert_shape,
        global_batch_position,
        input_gradients,
        replicas_in_sync,
    )
elif keras.backend.backend() == "jax":
    from kerasgan.backend.jax import JAXGANTrainer as GANTrainer
    from kerasgan.backend.jax import (
        assert_in_range,
        assert_shape,
        global_batch_position,
        input_gradients,
        replicas_in_sync,
    )
else:
    from kerasgan.backend.untrained import UntrainedBackendTrainer as GANTrainer
    from kerasgan.backend.untrained import (
        assert_in_range,
        assert_shape,
        global_batch_position,
        input_gradients,
        replicas_in_sync,
    )

__all__ = [
    "GANTrainer",
    "assert_in_range",
    "assert_shape",
    "global_batch_position",
    "input_gradients",
    "replicas_in_sync",
]
