"""CycleGAN: unpaired image-to-image translation with cycle consistency."""

import keras
from keras import ops

from kerasgan.models.image_pool import ImagePool
from kerasgan.models.image_to_image import ImageToImageGAN
from kerasgan.models.phase import Phase
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_patchgan_discriminator, build_resnet_generator
from kerasgan.utils.validation import validate_non_negative, validate_positive_int


def _l1(a, b):
    return ops.mean(ops.abs(ops.cast(a, "float32") - ops.cast(b, "float32")))


@register_variant("cyclegan")
class CycleGAN(ImageToImageGAN):
    """Two generators (A→B, B→A) and two PatchGAN critics, trained on unpaired batches.

    Trains on `(images_a, images_b)` batches that need not correspond. Phase
    `generators` updates `g_ab` and `g_ba` (each with its own optimizer) on
    the least-squares adversarial loss of both directions (`g_loss`),
    `cycle_weight * (|G_BA(G_AB(a)) - a| + |G_AB(G_BA(b)) - b|)` (`cycle`) and
    `cycle_weight * identity_weight * (|G_AB(b) - b| + |G_BA(a) - a|)`
    (`identity`). Phase `discriminators` then updates `d_a` and `d_b` on real
    images against fakes drawn through a pool of past fakes (`ImagePool`,
    saved with the model), each loss halved as in the paper (`d_a_loss`,
    `d_b_loss`). As in the authors' implementation, those fakes are the
    ones the generators drew in their phase, before their update (the
    phase passes them on: `Phase.passes`), which also spares drawing them
    again. `translate(images, direction="a2b" | "b2a")`.

    Args:
        image_shape: `(H, W, C)` of domain A. Defaults to `(256, 256, 3)`.
        target_shape: `(H, W, C)` of domain B. Defaults to `image_shape`.
        cycle_weight: lambda of the cycle loss. Defaults to 10.
        identity_weight: identity loss weight relative to `cycle_weight`.
            Defaults to 0.5; 0 turns it off (needed when A and B differ in shape).
        pool_size: number of past fakes kept per domain (50), or None for no pool.
        base_filters: width of the default networks. Defaults to 64.
        num_residual_blocks: blocks of the default generators; defaults to 9
            from 256x256 up and 6 below, as in the paper.
        g_ab, g_ba, d_a, d_b: networks overriding the defaults.
        **kwargs: see `kerasgan.models.BaseGAN` (`loss`, `regularizers`, `seed`).

    Example:
        >>> import kerasgan
        >>> model = kerasgan.CycleGAN(image_shape=(32, 32, 1), base_filters=8,
        ...                           num_residual_blocks=1)
        >>> model.compile()
        >>> model.fit(unpaired, epochs=1)  # doctest: +SKIP
        >>> as_b = model.translate(images_a, direction="a2b")  # doctest: +SKIP

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017.
    """

    network_names = ("g_ab", "g_ba", "d_a", "d_b")
    directions = {"a2b": "g_ab", "b2a": "g_ba"}
    default_loss = "least_squares"

    def __init__(
        self,
        cycle_weight=10.0,
        identity_weight=0.5,
        pool_size=50,
        base_filters=64,
        num_residual_blocks=None,
        g_ab=None,
        g_ba=None,
        d_a=None,
        d_b=None,
        **kwargs,
    ):
        self.cycle_weight = validate_non_negative(cycle_weight, "cycle_weight")
        self.identity_weight = validate_non_negative(identity_weight, "identity_weight")
        self.pool_size = None if pool_size is None else validate_positive_int(pool_size, "pool_size")
        self.base_filters = validate_positive_int(base_filters, "base_filters")
        self.num_residual_blocks = num_residual_blocks
        networks = {"g_ab": g_ab, "g_ba": g_ba, "d_a": d_a, "d_b": d_b}
        super().__init__(networks=networks, **kwargs)
        if self.identity_weight and self.image_shape != self.target_shape:
            raise ValueError(
                f"CycleGAN's identity loss needs domains of one shape; received "
                f"{self.image_shape} and {self.target_shape}. Pass identity_weight=0."
            )
        self.pools = [
            None if self.pool_size is None else ImagePool(self.pool_size, shape, name=f"pool_{d}")
            for d, shape in (("a", self.image_shape), ("b", self.target_shape))
        ]
        self.finish_init()

    def _generator(self, source_shape, target_shape):
        blocks = self.num_residual_blocks or (9 if source_shape[0] >= 256 else 6)
        return build_resnet_generator(
            source_shape,
            output_channels=target_shape[-1],
            base_filters=self.base_filters,
            num_residual_blocks=blocks,
        )

    def build_g_ab(self):
        return self._generator(self.image_shape, self.target_shape)

    def build_g_ba(self):
        return self._generator(self.target_shape, self.image_shape)

    def build_d_a(self):
        return build_patchgan_discriminator(
            self.image_shape, base_filters=self.base_filters, normalization="instance"
        )

    def build_d_b(self):
        return build_patchgan_discriminator(
            self.target_shape, base_filters=self.base_filters, normalization="instance"
        )

    def unpack_batch(self, data):
        images_a, images_b, _ = keras.utils.unpack_x_y_sample_weight(data)
        return {
            "a": self.check_images(images_a, self.image_shape, "domain A images"),
            "b": self.check_images(images_b, self.target_shape, "domain B images", "target_shape"),
        }

    def phases(self):
        return [
            Phase(
                "generators",
                ("g_ab", "g_ba"),
                self.generator_objective,
                terms=("g_loss", "cycle", "identity"),
                passes=("fake_a", "fake_b"),
            ),
            Phase(
                "discriminators",
                ("d_a", "d_b"),
                self.discriminator_objective,
                terms=("d_a_loss", "d_b_loss"),
                context=self.discriminator_context,
            ),
        ]

    def generator_objective(self, batch):
        a, b = batch["a"], batch["b"]
        fake_b, fake_a = self.g_ab(a, training=True), self.g_ba(b, training=True)
        batch.update(fake_a=fake_a, fake_b=fake_b)  # passed on to the discriminators' phase
        adversarial = self.loss_functions.generator_loss(self.call_discriminator("d_b", fake_b))
        adversarial += self.loss_functions.generator_loss(self.call_discriminator("d_a", fake_a))
        cycle = _l1(self.g_ba(fake_b, training=True), a) + _l1(self.g_ab(fake_a, training=True), b)
        total = adversarial + self.cycle_weight * cycle
        terms = {"g_loss": adversarial, "cycle": cycle}
        identity = ops.zeros(())
        if self.identity_weight:
            identity = _l1(self.g_ab(b, training=True), b) + _l1(self.g_ba(a, training=True), a)
            total += self.cycle_weight * self.identity_weight * identity
        terms["identity"] = identity
        return total, terms

    def discriminator_context(self, batch):
        """Real images and pooled fakes: the generators' phase's fakes, or new ones when it did not run."""
        fakes = [
            batch["fake_a"] if "fake_a" in batch else ops.stop_gradient(self.g_ba(batch["b"], training=True)),
            batch["fake_b"] if "fake_b" in batch else ops.stop_gradient(self.g_ab(batch["a"], training=True)),
        ]
        fakes = [
            f if pool is None else pool.query(f, self.seed_generator) for f, pool in zip(fakes, self.pools)
        ]
        return {**batch, "fake_a": fakes[0], "fake_b": fakes[1]}

    def discriminator_objective(self, context):
        terms = {}
        for domain in ("a", "b"):
            name = f"d_{domain}"
            terms[f"{name}_loss"] = 0.5 * self.loss_functions.discriminator_loss(
                self.call_discriminator(name, context[domain], real=True),
                self.call_discriminator(name, context[f"fake_{domain}"], real=False),
            )
        return terms["d_a_loss"] + terms["d_b_loss"], terms

    def get_config(self):
        return {
            **super().get_config(),
            "cycle_weight": self.cycle_weight,
            "identity_weight": self.identity_weight,
            "pool_size": self.pool_size,
            "base_filters": self.base_filters,
            "num_residual_blocks": self.num_residual_blocks,
        }
