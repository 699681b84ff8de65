"""SRGAN: single-image super-resolution with adversarial, pixel and perceptual losses."""

import copy

import keras
import numpy as np
from keras import ops

from kerasgan.losses.perceptual import PerceptualLoss
from kerasgan.models.image_to_image import ImageToImageGAN
from kerasgan.models.phase import Phase
from kerasgan.models.registry import register_variant
from kerasgan.networks.srgan import build_srgan_discriminator, build_srgan_generator, validate_scale
from kerasgan.utils.validation import validate_image_shape, validate_non_negative, validate_positive_int


def _mse(a, b):
    return ops.mean(ops.square(ops.cast(a, "float32") - ops.cast(b, "float32")))


@register_variant("srgan")
class SRGAN(ImageToImageGAN):
    """Super-resolution GAN: a residual generator upscales, a critic judges realism.

    Trains on `(low_res, high_res)` pairs, `low_res` of shape
    `image_shape / scale` (e.g. made by area downsampling). For the first
    `warmup_steps` training steps only phase `warm_up` runs: the generator
    alone minimises the pixel MSE (logged as `pixel`), the paper's SRResNet
    pre-training, in the same model. From step `warmup_steps` on, phase
    `discriminator` updates the critic on real high-resolution images
    against upscaled ones (`d_loss`), then phase `generator` minimises
    `adversarial_weight * adversarial + pixel_weight * MSE +
    perceptual_weight * perceptual` (logged as `g_loss`, `pixel` and
    `perceptual`), where the perceptual term is a `PerceptualLoss` in a
    frozen feature network. `upscale(low_res)` (that is, `translate`)
    runs the generator in inference mode; `export_translator` serves it.

    The feature network is part of the model (non-trainable: no optimizer
    holds it) and is saved in its `.keras` file, so a saved SRGAN loads
    offline. With `perceptual_weight=0` none is built.

    Args:
        scale: upscaling factor, a power of two: 2, 4 (default) or 8.
        image_shape: `(H, W, C)` of the high-resolution images; `H` and `W`
            divisible by `scale`. Defaults to `(96, 96, 3)` (the paper's crops).
        warmup_steps: training steps of pixel-loss-only warm-up, at least 0
            (0: none). Defaults to 1000 (the paper pre-trains SRResNet for
            10^6 updates; scale it to your data).
        pixel_weight: weight of the pixel MSE after the warm-up. Defaults to
            1 (the paper's SRGAN-VGG54 uses 0, its SRGAN-MSE 1 with no
            perceptual term).
        perceptual_weight: weight of the perceptual term. Defaults to 1 (paper).
        adversarial_weight: weight of the adversarial term. Defaults to 1e-3 (paper).
        perceptual_network: the feature network of the perceptual term:
            `"vgg19"` (default, the paper's VGG5,4; downloads the ImageNet
            weights on first use and needs images of at least 32x32),
            `"fashion_mnist"` (shipped with kerasgan; offline), any
            `keras.Model` from images in `[-1, 1]` to features, or a
            `kerasgan.losses.PerceptualLoss`.
        base_filters: width of both default networks (generator convolutions
            and first critic layers). Defaults to 64 (paper).
        num_residual_blocks: residual blocks of the default generator.
            Defaults to 16 (paper).
        dense_units: hidden dense layer of the default critic. Defaults to 1024 (paper).
        generator: a `keras.Model` low-res → high-res images; defaults to
            `build_srgan_generator`.
        discriminator: a `keras.Model` high-res images → logits `(batch, 1)`;
            defaults to `build_srgan_discriminator`.
        **kwargs: see `kerasgan.models.BaseGAN` (`loss`, non-saturating by
            default; `regularizers`, `seed`, ...).

    Example:
        >>> import numpy as np
        >>> model = kerasgan.SRGAN(scale=2, image_shape=(28, 28, 1), base_filters=8,
        ...                        num_residual_blocks=1, dense_units=16, warmup_steps=10,
        ...                        perceptual_network="fashion_mnist")
        >>> model.compile()
        >>> [(phase.name, phase.start, phase.stop) for phase in model.phases()]
        [('warm_up', 0, 10), ('discriminator', 10, None), ('generator', 10, None)]
        >>> model.upscale(np.zeros((3, 14, 14, 1), "float32")).shape
        (3, 28, 28, 1)
        >>> model.fit(low_res, high_res, batch_size=16, epochs=1)  # doctest: +SKIP

    Reference:
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", CVPR 2017.
    """

    network_names = ("generator", "discriminator")
    optimizer_names = {"generator": "g_optimizer", "discriminator": "d_optimizer"}
    directions = {"a2b": "generator"}

    def __init__(
        self,
        scale=4,
        image_shape=(96, 96, 3),
        warmup_steps=1000,
        pixel_weight=1.0,
        perceptual_weight=1.0,
        adversarial_weight=1e-3,
        perceptual_network="vgg19",
        base_filters=64,
        num_residual_blocks=16,
        dense_units=1024,
        generator=None,
        discriminator=None,
        **kwargs,
    ):
        if "target_shape" in kwargs:
            raise ValueError(
                "SRGAN takes no target_shape: image_shape is the high-resolution shape and the "
                "low-resolution one is image_shape / scale."
            )
        self.scale = validate_scale(scale)
        image_shape = validate_image_shape(image_shape)
        height, width, channels = image_shape
        if height % self.scale or width % self.scale:
            raise ValueError(
                f"SRGAN(scale={self.scale}) needs a high-resolution image_shape whose height and width "
                f"are divisible by the scale; received image_shape={image_shape}. Crop the images to "
                f"({height - height % self.scale}, {width - width % self.scale}, {channels}), or pick "
                "another scale."
            )
        self.low_res_shape = (height // self.scale, width // self.scale, channels)
        self.warmup_steps = validate_positive_int(warmup_steps, "warmup_steps", minimum=0)
        self.pixel_weight = validate_non_negative(pixel_weight, "pixel_weight")
        self.perceptual_weight = validate_non_negative(perceptual_weight, "perceptual_weight")
        self.adversarial_weight = validate_non_negative(adversarial_weight, "adversarial_weight")
        self.base_filters = validate_positive_int(base_filters, "base_filters")
        self.num_residual_blocks = validate_positive_int(num_residual_blocks, "num_residual_blocks")
        self.dense_units = validate_positive_int(dense_units, "dense_units")
        networks = {"generator": generator, "discriminator": discriminator}
        super().__init__(image_shape=image_shape, networks=networks, **kwargs)
        self.perceptual_loss = self._perceptual_loss(perceptual_network)
        self._check_networks()
        self.finish_init()

    @classmethod
    def data_mismatch(cls, spec):
        """SRGAN learns from super-resolution sets only: `(low_res, high_res)` pairs (`task`)."""
        if spec.task != "super_resolution":
            return (
                f"SRGAN learns super-resolution from (low_res, high_res) pairs, and {spec.name!r} is not a "
                f"super-resolution set (its task is {spec.task or 'plain images'})."
            )
        return None

    @classmethod
    def data_options(cls, spec):
        """The high-resolution shape and the scale; the offline Fashion-MNIST features for 1-channel data.

        VGG19's ImageNet features need colour photographs, so grayscale sets
        get `perceptual_network="fashion_mnist"`, the shipped classifier's
        convolutions (which also trains offline).
        """
        options = {"image_shape": spec.image_shape, "scale": spec.scale}
        if spec.image_shape[-1] == 1:
            options["perceptual_network"] = "fashion_mnist"
        return options

    def display_inputs(self, inputs):
        """The low-resolution images enlarged `scale` times by nearest neighbour, to the output's size."""
        images = np.asarray(inputs["images"], "float32")
        return np.repeat(np.repeat(images, self.scale, axis=1), self.scale, axis=2)

    def _perceptual_loss(self, network):
        if not self.perceptual_weight:
            return None
        if network is None:
            raise ValueError(
                f"SRGAN(perceptual_weight={self.perceptual_weight}) needs a perceptual_network: "
                "'vgg19', 'fashion_mnist' or a keras.Model; or pass perceptual_weight=0."
            )
        if isinstance(network, PerceptualLoss):
            return network
        if isinstance(network, (str, keras.Model)):
            return PerceptualLoss(network, image_shape=self.image_shape, name="perceptual_loss")
        raise ValueError(
            "perceptual_network must be 'vgg19', 'fashion_mnist', a keras.Model or a "
            f"kerasgan.losses.PerceptualLoss; received {type(network).__name__}."
        )

    def _check_networks(self):
        for name, expected in (("generator", self.low_res_shape), ("discriminator", self.image_shape)):
            inputs = getattr(getattr(self, name), "inputs", None)
            received = tuple(inputs[0].shape[1:]) if inputs else None
            if received is not None and received != expected:
                raise ValueError(
                    f"SRGAN(scale={self.scale}, image_shape={self.image_shape}) needs a {name} taking "
                    f"images of shape {expected}; it takes {received}. Build it for that shape."
                )
        outputs = getattr(self.generator, "outputs", None)
        produced = tuple(self.generator.output_shape[1:]) if outputs else None
        if produced is not None and produced != self.image_shape:
            raise ValueError(
                f"SRGAN(scale={self.scale}, image_shape={self.image_shape}) needs a generator producing "
                f"images of shape {self.image_shape}; it produces {produced}."
            )

    def build_generator(self):
        return build_srgan_generator(
            self.low_res_shape,
            scale=self.scale,
            base_filters=self.base_filters,
            num_residual_blocks=self.num_residual_blocks,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        return build_srgan_discriminator(
            self.image_shape,
            base_filters=self.base_filters,
            dense_units=self.dense_units,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def default_optimizer(self, network_name):
        """Adam(1e-4, beta_1=0.9) for both networks, the paper's setting."""
        return keras.optimizers.Adam(1e-4, beta_1=0.9)

    def direction_shapes(self, direction):
        """Returns `(low_res_shape, image_shape)`: the generator's input and output shapes."""
        return self.low_res_shape, self.image_shape

    def upscale(self, images, batch_size=32):
        """Upscales low-resolution images with the generator (inference mode).

        Args:
            images: float array `(n, H / scale, W / scale, C)` in `[-1, 1]`.
            batch_size: images per generator call. Defaults to 32.

        Returns:
            Float32 NumPy array `(n, H, W, C)` in `[-1, 1]`.

        Raises:
            ValueError: wrong shape, dtype or range.

        Example:
            >>> high_res = srgan.upscale(low_res)  # doctest: +SKIP
        """
        return self.translate(images, batch_size=batch_size)

    def unpack_batch(self, data):
        low_res, high_res, _ = keras.utils.unpack_x_y_sample_weight(data)
        if low_res is not None:
            shape = tuple(low_res.shape)
            if len(shape) != 4 or any(s not in (None, w) for s, w in zip(shape[1:], self.low_res_shape)):
                raise ValueError(
                    f"SRGAN(scale={self.scale}, image_shape={self.image_shape}) trains on (low_res, "
                    f"high_res) pairs whose low-resolution images have shape (batch, "
                    f"{', '.join(map(str, self.low_res_shape))}) (image_shape / scale); received "
                    f"low-resolution images of shape {shape}. Downsample the high-resolution images "
                    f"by {self.scale}, or build the model for your images' shape."
                )
        low_res = self.check_images(low_res, self.low_res_shape, "low-resolution images")
        high_res = self.check_images(high_res, self.image_shape, "high-resolution images")
        return {"low_res": low_res, "high_res": high_res}

    def phases(self):
        start = self.warmup_steps
        warm_up = Phase(
            "warm_up", ("generator",), self.warm_up_objective, terms=("pixel",), stop=start or None
        )
        adversarial = self.adversarial_phases(("g_loss", "pixel", "perceptual"), start=start)
        return ([warm_up] if start else []) + adversarial

    def warm_up_objective(self, batch):
        pixel = _mse(batch["high_res"], self.generator(batch["low_res"], training=True))
        return pixel, {"pixel": pixel}

    def discriminator_context(self, batch):
        fake = ops.stop_gradient(self.generator(batch["low_res"], training=True))
        return {**batch, "fake": fake}

    def discriminator_objective(self, context):
        real_logits = self.call_discriminator("discriminator", context["high_res"], real=True)
        fake_logits = self.call_discriminator("discriminator", context["fake"], real=False)
        loss = self.loss_functions.discriminator_loss(real_logits, fake_logits)
        return loss, {"d_loss": loss}

    def generator_objective(self, batch):
        fake = self.generator(batch["low_res"], training=True)
        adversarial = self.loss_functions.generator_loss(self.call_discriminator("discriminator", fake))
        pixel = _mse(batch["high_res"], fake)
        perceptual = ops.zeros(())
        if self.perceptual_loss is not None:
            perceptual = self.perceptual_loss(fake, batch["high_res"])
        total = (
            self.adversarial_weight * adversarial
            + self.pixel_weight * pixel
            + self.perceptual_weight * perceptual
        )
        return total, {"g_loss": adversarial, "pixel": pixel, "perceptual": perceptual}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("perceptual_network"), dict):
            # A copy: deserializing empties the dict it reads, and the caller's config stays whole.
            serialized = copy.deepcopy(config["perceptual_network"])
            config["perceptual_network"] = keras.saving.deserialize_keras_object(serialized)
        return super().from_config(config)

    def get_config(self):
        config = super().get_config()
        del config["target_shape"]
        return {
            **config,
            "scale": self.scale,
            "warmup_steps": self.warmup_steps,
            "pixel_weight": self.pixel_weight,
            "perceptual_weight": self.perceptual_weight,
            "adversarial_weight": self.adversarial_weight,
            "perceptual_network": (
                None
                if self.perceptual_loss is None
                else keras.saving.serialize_keras_object(self.perceptual_loss)
            ),
            "base_filters": self.base_filters,
            "num_residual_blocks": self.num_residual_blocks,
            "dense_units": self.dense_units,
        }
