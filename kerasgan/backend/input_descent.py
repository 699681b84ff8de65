"""One compiled gradient step on an input image (style transfer's optimisation), for each backend."""

import keras
from keras import ops


def compiled_input_step(taps, loss_terms, image, optimizer):
    """`step(targets) -> terms`: one optimizer step on the input `image`, clipped to `[-1, 1]`, compiled.

    `taps` is a frozen network, `loss_terms(image, outputs, targets)` returns
    a vector whose first entry is the total to minimise, `image` a
    `keras.Variable` and `optimizer` a Keras optimizer. Style transfer
    (`kerasgan.style.transfer`) optimises its picture with it. The trainers'
    `input_gradients` gives gradients only, inside a training step; here the
    loss terms come back with the update, from one forward pass.

    TensorFlow: a `GradientTape` and `optimizer.apply` inside a
    `tf.function`. JAX: `jax.value_and_grad` of the network's `stateless_call`
    and `optimizer.stateless_apply` under `jax.jit`, with the network's weights
    passed as arguments rather than folded into the program as constants
    (VGG19's are 80 MB). Only `image` is differentiated and updated.
    """
    backend = keras.backend.backend()
    if backend not in ("tensorflow", "jax"):
        raise NotImplementedError(
            f"Optimising an image is supported on the TensorFlow and JAX backends, not on {backend!r}. "
            "Set KERAS_BACKEND=tensorflow or KERAS_BACKEND=jax."
        )
    if backend == "tensorflow":
        import tensorflow as tf

        @tf.function
        def tensorflow_step(targets):
            with tf.GradientTape() as tape:
                terms = loss_terms(image, taps(image, training=False), targets)
                total = terms[0]
            optimizer.apply(tape.gradient(total, [image]), [image])
            image.assign(ops.clip(image, -1.0, 1.0))
            return terms

        return tensorflow_step

    import jax

    def total(pixels, trainable, non_trainable, targets):
        outputs, _ = taps.stateless_call(trainable, non_trainable, pixels, training=False)
        terms = loss_terms(pixels, outputs, targets)
        return terms[0], terms

    def update(pixels, optimizer_state, trainable, non_trainable, targets):
        (_, terms), gradient = jax.value_and_grad(total, has_aux=True)(
            pixels, trainable, non_trainable, targets
        )
        (pixels,), optimizer_state = optimizer.stateless_apply(optimizer_state, [gradient], [pixels])
        return ops.clip(pixels, -1.0, 1.0), optimizer_state, terms

    optimizer.build([image])
    compiled = jax.jit(update)
    network = ([v.value for v in taps.trainable_variables], [v.value for v in taps.non_trainable_variables])

    def jax_step(targets):
        state = [variable.value for variable in optimizer.variables]
        pixels, state, terms = compiled(image.value, state, *network, targets)
        image.assign(pixels)
        for variable, value in zip(optimizer.variables, state):
            variable.assign(value)
        return terms

    return jax_step
