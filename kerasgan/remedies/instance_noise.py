"""Instance noise: Gaussian noise on every discriminator input, optionally annealed to zero."""

import keras
from keras import ops

from kerasgan.models.controller import DiscriminatorAugmentation, register_augmentation
from kerasgan.remedies.transforms import check_images
from kerasgan.utils.validation import validate_positive_int, validate_positive_number


@register_augmentation("instance_noise")
class InstanceNoise(DiscriminatorAugmentation):
    """Instance noise: adds `N(0, sigma_t^2)` to every image the discriminator sees.

    Real and generated images get independent noise per pixel, so their
    distributions overlap and the discriminator cannot separate them
    perfectly early in training. The standard deviation starts at `stddev`
    and, with `anneal_steps`, falls linearly to 0 at step `anneal_steps`
    (`sigma_t = stddev * max(0, 1 - t / anneal_steps)`, `t` the model's
    `train_steps`); without it, it stays constant. The value used in each
    step is logged as `augment_noise_stddev`.

    Args:
        stddev: standard deviation at step 0 (`> 0`), in units of the
            images' `[-1, 1]` range. Defaults to 0.1.
        anneal_steps: steps over which the noise goes to 0 (`>= 1`), or
            None (default) for constant noise.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:
        >>> import keras
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> noise = InstanceNoise(stddev=0.1, anneal_steps=1000)
        >>> tuple(noise.augment(keras.ops.zeros((4, 28, 28, 1)), gan).shape)
        (4, 28, 28, 1)
        >>> round(float(noise.stddev_at(250)), 6)
        0.075

    Reference:
        Sønderby et al., "Amortised MAP Inference for Image
        Super-resolution", ICLR 2017; Arjovsky & Bottou, "Towards Principled
        Methods for Training Generative Adversarial Networks", ICLR 2017.
    """

    logs = ("augment_noise_stddev",)

    def __init__(self, stddev=0.1, anneal_steps=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = validate_positive_number(stddev, "stddev")
        self.anneal_steps = validate_positive_int(anneal_steps, "anneal_steps", allow_none=True)
        self.logged_stddev = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.stddev),
            dtype="float32",
            trainable=False,
            autocast=False,
            aggregation="only_first_replica",
            name="logged_stddev",
        )

    def stddev_at(self, step):
        """The noise's standard deviation at step `step`.

        Args:
            step: int or scalar int tensor, the step index.

        Returns:
            Scalar float32 tensor.
        """
        if self.anneal_steps is None:
            return ops.convert_to_tensor(self.stddev, "float32")
        remaining = 1.0 - ops.cast(step, "float32") / float(self.anneal_steps)
        return self.stddev * ops.clip(remaining, 0.0, 1.0)

    def augment(self, images, gan):
        height, width, channels = check_images(images, type(self).__name__)
        noise = gan.random_per_example(keras.random.normal, ops.shape(images)[0], (height, width, channels))
        stddev = self.stddev_at(gan.train_steps.value)
        return images + ops.cast(noise * stddev, images.dtype)

    def end_step(self, step):
        self.logged_stddev.assign(self.stddev_at(step))

    def logged_values(self):
        return {"augment_noise_stddev": self.logged_stddev.value}

    def get_config(self):
        config = super().get_config()
        config.update(stddev=self.stddev, anneal_steps=self.anneal_steps)
        return config
