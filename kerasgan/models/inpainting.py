"""InpaintingGAN: a context encoder that fills the missing pixels of images."""

import keras
import numpy as np
from keras import ops

from kerasgan.models.image_to_image import ImageToImageGAN
from kerasgan.models.masks import checked_masks, get_mask_sampler, validate_masks
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_context_encoder, build_patchgan_discriminator
from kerasgan.utils.validation import validate_image_shape, validate_non_negative, validate_positive_int

RECONSTRUCTION_LOSSES = ("l2", "l1")


@register_variant("inpainting")
class InpaintingGAN(ImageToImageGAN):
    """Context encoder: completes images whose masked pixels are missing, trained on plain images.

    Trains on image batches (`images`, or `(images, labels)` with the labels
    ignored). In each phase the model draws masks from its `mask` sampler
    and its seed generator (1 where a pixel is missing), fills the missing
    pixels with `fill_value` and gives the generator that image with the
    mask as one more channel. The completed image keeps every known pixel:
    `where(masks == 1, G(x), images)`, which is
    `masks * G(x) + (1 - masks) * images` for binary masks. The
    discriminator, a PatchGAN conditioned on the mask (it sees
    `[masks, image]`, as the SN-PatchGAN of Yu et al. does), scores real
    images against completed ones (`d_loss`). The generator minimises the
    adversarial loss (`g_loss`) plus `reconstruction_weight` times the
    reconstruction error inside the hole (`reconstruction`: the mean
    squared error over the missing pixels for `"l2"`, the context
    encoder's choice, or the mean absolute error for `"l1"`). The default
    weight 999 is the paper's 0.999 : 0.001. Each phase draws its own masks,
    so a step draws two batches of masks.

    `inpaint(images, masks)` (and `translate({"images", "masks"})`, and
    the exported `serving_default(images, masks)`) returns completed
    images whose known pixels are exactly the input's.

    Args:
        image_shape: `(H, W, C)` of the images. Defaults to `(28, 28, 1)`.
        mask: the training masks: `"centre"` (default; the same
            centred hole in every image), `"rectangles"`, `"strokes"`
            (free-form brush strokes), or a `kerasgan.models.MaskSampler`
            such as `StrokeMask(max_width=6)`.
        hole_size: None, or for `mask="centre"` the hole's side in pixels
            (an int or `(height, width)`; defaults to half of each side),
            for `"rectangles"` the largest side.
        reconstruction: `"l2"` (default) or `"l1"`.
        reconstruction_weight: weight of the reconstruction term against
            the adversarial one (weight 1). Defaults to 999.
        fill_value: the value that replaces missing pixels in the
            generator's input, in `[-1, 1]`. Defaults to 0.
        base_filters: width of both default networks. Defaults to 64.
        target_shape: None or `image_shape` (a completed image has the
            shape of its input).
        generator: a `keras.Model` `(batch, H, W, C + 1)` → images
            `(batch, H, W, C)` in `[-1, 1]`; defaults to
            `kerasgan.networks.build_context_encoder`.
        discriminator: a `keras.Model` `[masks (batch, H, W, 1), images]` →
            logits; defaults to the PatchGAN conditioned on the mask.
        **kwargs: see `kerasgan.models.BaseGAN` (`loss`, `regularizers`,
            `seed`, `augmentation`, ...).

    Example:
        >>> import numpy as np
        >>> model = kerasgan.InpaintingGAN(image_shape=(28, 28, 1), base_filters=4, seed=0)
        >>> model.compile()
        >>> images = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
        >>> history = model.fit(images, batch_size=4, epochs=1, verbose=0)
        >>> masks = np.zeros((8, 28, 28, 1), "float32")
        >>> masks[:, 7:21, 7:21] = 1.0
        >>> completed = model.inpaint(images, masks)
        >>> bool(np.array_equal(completed[masks == 0], images[masks == 0]))
        True

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016; Yu et al., "Free-Form Image Inpainting with Gated
        Convolution", ICCV 2019 (free-form masks, a PatchGAN that sees the
        mask).
    """

    network_names = ("generator", "discriminator")
    optimizer_names = {"generator": "g_optimizer", "discriminator": "d_optimizer"}
    directions = {"a2b": "generator"}

    def __init__(
        self,
        image_shape=(28, 28, 1),
        mask="centre",
        hole_size=None,
        reconstruction="l2",
        reconstruction_weight=999.0,
        fill_value=0.0,
        base_filters=64,
        target_shape=None,
        generator=None,
        discriminator=None,
        **kwargs,
    ):
        image_shape = validate_image_shape(image_shape)
        if target_shape is not None and validate_image_shape(target_shape) != image_shape:
            raise ValueError(
                f"InpaintingGAN completes images in their own shape; received target_shape={target_shape} "
                f"for image_shape={image_shape}. Leave target_shape=None."
            )
        self.mask_argument = mask
        self.hole_size = hole_size
        self.mask_sampler = get_mask_sampler(mask, hole_size).check(image_shape[:2])
        if reconstruction not in RECONSTRUCTION_LOSSES:
            raise ValueError(
                f"reconstruction must be one of {RECONSTRUCTION_LOSSES}; received reconstruction="
                f"{reconstruction!r}."
            )
        self.reconstruction = reconstruction
        self.reconstruction_weight = validate_non_negative(reconstruction_weight, "reconstruction_weight")
        if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float)) or abs(fill_value) > 1:
            raise ValueError(f"fill_value must be a number in [-1, 1]; received fill_value={fill_value!r}.")
        self.fill_value = float(fill_value)
        self.base_filters = validate_positive_int(base_filters, "base_filters")
        networks = {"generator": generator, "discriminator": discriminator}
        super().__init__(image_shape=image_shape, networks=networks, **kwargs)
        self._check_generator()
        self.finish_init()

    # ------------------------------------------------------------ networks

    def build_generator(self):
        return build_context_encoder(
            self.image_shape,
            base_filters=self.base_filters,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        height, width, _ = self.image_shape
        return build_patchgan_discriminator(
            self.image_shape,
            condition_shape=(height, width, 1),
            base_filters=self.base_filters,
            num_layers=max(1, min(3, int(np.log2(min(height, width))) - 1)),
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def _check_generator(self):
        height, width, channels = self.image_shape
        if not getattr(self.generator, "inputs", None):
            return  # a subclassed model: checked at its first call
        received = tuple(self.generator.input_shape[1:]), tuple(self.generator.output_shape[1:])
        if received != ((height, width, channels + 1), self.image_shape):
            raise ValueError(
                f"InpaintingGAN's generator takes the image with its mask as one more channel, "
                f"{(height, width, channels + 1)}, and returns images of {self.image_shape}; received a "
                f"generator from {received[0]} to {received[1]}. Build it with "
                "kerasgan.networks.build_context_encoder(image_shape)."
            )

    @classmethod
    def data_mismatch(cls, spec):
        """InpaintingGAN learns from plain image sets: it draws its own masks."""
        if spec.pairing is not None:
            return (
                f"InpaintingGAN draws its own masks and trains on complete images, but {spec.name!r} yields "
                f"pairs of images ({spec.pairing}); train it on the complete images, e.g. 'fashion_mnist'."
            )
        return None

    def example_inputs(self, images, targets=None, seed=0):
        """The images with masks of the model's own sampler drawn from `seed`; the images are the targets."""
        images = np.asarray(images, "float32")
        masks = self.mask_sampler(len(images), self.image_shape[:2], seed=seed)
        return {"images": images, "masks": keras.ops.convert_to_numpy(masks)}, images

    def display_inputs(self, inputs):
        """The images with their missing pixels grey (0)."""
        return np.where(np.asarray(inputs["masks"]) > 0.5, 0.0, inputs["images"]).astype("float32")

    def scored_pixels(self, inputs):
        """The masks: a completion is scored on the missing pixels only."""
        return np.asarray(inputs["masks"], "float32")

    # --------------------------------------------------------------- masks

    def translation_inputs(self, direction):
        """`{"images": (H, W, C), "masks": (H, W, 1)}`: what `translate` and the export take."""
        return {**super().translation_inputs(direction), "masks": (*self.image_shape[:2], 1)}

    def sample_masks(self, batch_size):
        """Draws training masks from the model's seed generator (inside the step's state).

        Args:
            batch_size: int or scalar int tensor.

        Returns:
            float32 masks `(batch_size, H, W, 1)`: 1 missing, 0 known.
        """
        return self.mask_sampler.sample(
            batch_size,
            self.image_shape[:2],
            lambda count: self.random_per_example(keras.random.uniform, batch_size, (count,)),
        )

    def generator_inputs(self, images, masks):
        """The generator's input: the missing pixels set to `fill_value`, and the mask as a channel.

        Args:
            images: `(batch, H, W, C)` in `[-1, 1]`.
            masks: `(batch, H, W, 1)` of 0 and 1.

        Returns:
            `(batch, H, W, C + 1)` in the images' dtype.
        """
        masks = ops.cast(masks, images.dtype)
        holed = ops.where(masks > 0.5, ops.cast(self.fill_value, images.dtype), images)
        return ops.concatenate([holed, masks], axis=-1)

    @staticmethod
    def complete(images, generated, masks):
        """The completed images: generated pixels where missing, the images' own elsewhere.

        Args:
            images: `(batch, H, W, C)`.
            generated: the generator's output, `(batch, H, W, C)`.
            masks: `(batch, H, W, 1)` of 0 and 1.

        Returns:
            `(batch, H, W, C)` in the images' dtype; each known pixel is the
            image's, bit for bit.
        """
        return ops.where(ops.cast(masks, "float32") > 0.5, ops.cast(generated, images.dtype), images)

    def translate_batch(self, generator, inputs):
        """Completes one batch: checks the masks (in the graph too), runs the generator, keeps known pixels.

        Args:
            generator: callable inputs → images (the generator in inference
                mode, or the export's wrapper of it).
            inputs: `{"images": (batch, H, W, C), "masks": (batch, H, W, 1)}`.

        Returns:
            Completed images `(batch, H, W, C)` in `[-1, 1]`.
        """
        images = ops.convert_to_tensor(inputs["images"])
        masks = checked_masks(inputs["masks"], images, "InpaintingGAN")
        return self.unchecked_translation(generator, {"images": images, "masks": masks})

    def unchecked_translation(self, generator, inputs):
        """The completion alone, without the mask checks: what the LiteRT and ONNX files compute."""
        images, masks = inputs["images"], inputs["masks"]
        return self.complete(images, generator(self.generator_inputs(images, masks)), masks)

    def checked_translation_inputs(self, inputs, direction):
        if isinstance(inputs, dict) and "masks" in inputs and "images" in inputs:
            images = np.asarray(inputs["images"])
            count = len(images) if images.ndim else None
            masks = validate_masks(inputs["masks"], self.image_shape, count, f"{type(self).__name__}.inpaint")
            inputs = {**inputs, "masks": masks}
        return super().checked_translation_inputs(inputs, direction)

    def inpaint(self, images, masks, batch_size=32):
        """Fills the missing pixels of images; every known pixel comes back exactly as given.

        Runs the generator in inference mode on the images with their holes
        (`translate({"images": images, "masks": masks})`).

        Args:
            images: float array `(N, H, W, C)` in `[-1, 1]` (the missing
                pixels' values are ignored).
            masks: array `(N, H, W, 1)` of exactly 0 (known) and 1
                (missing); bool, int or float.
            batch_size: images per generator call. Defaults to 32.

        Returns:
            float32 NumPy array `(N, H, W, C)` in `[-1, 1]`, equal to the
            float32 images wherever `masks` is 0.

        Raises:
            ValueError: images or masks of the wrong shape, dtype or range,
                mask values other than 0 and 1, or different lengths.

        Example:
            >>> import numpy as np
            >>> model = kerasgan.InpaintingGAN(base_filters=4, seed=0)
            >>> images = np.zeros((2, 28, 28, 1), "float32")
            >>> masks = np.zeros((2, 28, 28, 1), "float32")
            >>> masks[:, :, :14] = 1.0
            >>> completed = model.inpaint(images, masks)
            >>> completed.shape, bool((completed[:, :, 14:] == 0).all())
            ((2, 28, 28, 1), True)
        """
        return self.translate({"images": images, "masks": masks}, batch_size=batch_size)

    def export_translator(self, path, direction=None, format="tf_saved_model"):
        """Writes the generator as a file serving `inpaint` without kerasgan.

        Signature `serving_default(images, masks)` → `{"images": ...}`,
        known pixels kept. A SavedModel (default) equals `inpaint(images,
        masks)` bit for bit on the same machine and checks in the graph the
        inputs' shapes, that the masks hold 0 and 1 only and that there is
        one mask per image; a LiteRT or ONNX file computes the same
        completion to float rounding, without those checks (the formats
        have no assertions). See `kerasgan.export.export_translator`.

        Args:
            path: folder (SavedModel) or file to write.
            direction: None (the one direction, `"a2b"`).
            format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.

        Returns:
            The path written.

        Example:
            >>> model.export_translator("exported/inpainting")  # doctest: +SKIP
            >>> model.export_translator("inpainting.tflite", format="litert")  # doctest: +SKIP
        """
        return super().export_translator(path, direction=direction, format=format)

    # --------------------------------------------------------------- phases

    def unpack_batch(self, data):
        images, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return {"images": self.check_images(images, self.image_shape)}

    def phases(self):
        return self.adversarial_phases(("g_loss", "reconstruction"), generator_context=self.generator_context)

    def completion_context(self, batch):
        """Fresh masks and the generator's completion of the batch (with gradients)."""
        images = batch["images"]
        masks = self.sample_masks(self.batch_size_of(batch))
        generated = self.generator(self.generator_inputs(images, masks), training=True)

        def critic(images, real=None):
            return self.call_discriminator("discriminator", images, condition=masks, real=real)

        return {
            "images": images,
            "masks": masks,
            "generated": generated,
            "fake": self.complete(images, generated, masks),
            "critic": critic,
        }

    def discriminator_context(self, batch):
        context = self.completion_context(batch)
        return {**context, "fake": ops.stop_gradient(context["fake"])}

    def discriminator_objective(self, context):
        critic = context["critic"]
        real_logits, fake_logits = critic(context["images"], real=True), critic(context["fake"], real=False)
        context.update(real_logits=real_logits, fake_logits=fake_logits)
        loss = self.loss_functions.discriminator_loss(real_logits, fake_logits)
        return loss, {"d_loss": loss}

    def generator_context(self, batch):
        return self.completion_context(batch)

    def generator_objective(self, context):
        adversarial = self.loss_functions.generator_loss(context["critic"](context["fake"]))
        reconstruction = self.hole_error(context["images"], context["generated"], context["masks"])
        total = adversarial + self.reconstruction_weight * reconstruction
        return total, {"g_loss": adversarial, "reconstruction": reconstruction}

    def hole_error(self, images, generated, masks):
        """The reconstruction error inside the hole: mean squared (`"l2"`) or absolute (`"l1"`).

        Args:
            images: real images `(batch, H, W, C)`.
            generated: the generator's output `(batch, H, W, C)`.
            masks: `(batch, H, W, 1)`, 1 where missing.

        Returns:
            float32 scalar: the mean over missing pixels and channels (0 when
            no pixel is missing).
        """
        difference = ops.cast(images, "float32") - ops.cast(generated, "float32")
        error = ops.square(difference) if self.reconstruction == "l2" else ops.abs(difference)
        masks = ops.cast(masks, "float32")
        count = ops.sum(masks) * self.image_shape[-1]
        return ops.sum(error * masks) / ops.maximum(count, 1.0)

    def get_config(self):
        mask = self.mask_argument
        if not isinstance(mask, str):
            mask = keras.saving.serialize_keras_object(self.mask_sampler)
        return {
            **super().get_config(),
            "mask": mask,
            "hole_size": self.hole_size,
            "reconstruction": self.reconstruction,
            "reconstruction_weight": self.reconstruction_weight,
            "fill_value": self.fill_value,
            "base_filters": self.base_filters,
        }
