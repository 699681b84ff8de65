"""R3GAN: relativistic pairing loss with R1 and R2, a modern residual baseline."""

import keras

from kerasgan.losses import R1Penalty, R2Penalty
from kerasgan.models.registry import register_variant
from kerasgan.models.sngan import SNGAN
from kerasgan.networks import build_resnet_gan_discriminator, build_resnet_gan_generator
from kerasgan.utils.validation import validate_non_negative, validate_positive_int


@register_variant("r3gan")
class R3GAN(SNGAN):
    """R3GAN: the relativistic pairing loss, R1 and R2 penalties, residual networks without normalisation.

    The discriminator loss `E[softplus(D(G(z)) - D(x))]` pairs each real
    image with a fake one, and so does the generator's, which reads the
    real batch's logits (`loss="relativistic"`). R1 (on real images) and R2
    (on fakes) both weigh `gamma / 2`, logged as `r1` and `r2`. Both
    networks are stacks of R3GAN's bottleneck blocks (1x1 → grouped 3x3 →
    1x1 with leaky ReLUs, identity shortcuts, the last convolution of each
    block zero-initialised: Fix-up instead of normalisation), simplified for
    28x28: one block per resolution. `compile()` defaults to
    Adam(beta_1=0, beta_2=0.99) whose learning rate follows a cosine decay
    from 2e-4 to 5e-5 over `decay_steps`, and gamma decays the same way from
    `gamma` to `final_gamma` (a `keras.optimizers.schedules.CosineDecay` as
    the penalties' weight, read at the model's step): the paper's CIFAR-10
    schedule, shortened to a CPU run.

    Args:
        base_filters: channels at full resolution, doubling at each lower
            one (see `kerasgan.SNGAN`). Defaults to 32.
        groups: groups of each block's 3x3 convolution. Defaults to 4 (16
            and 32 channels a group at the default widths).
        gamma: R1/R2 weight at step 0 (each penalty weighs `gamma / 2`).
            Defaults to 0.05 (the paper's CIFAR-10 setting).
        final_gamma: gamma at the end of the decay. Defaults to 0.005.
        decay_steps: steps over which gamma and the learning rates decay
            (about 5 epochs of Fashion-MNIST at batch 256). Defaults to 1200.
        **kwargs: see `kerasgan.GAN` (`image_shape`, `latent_dim` (64 by
            default), `regularizers` (replacing R1 and R2), `seed`, ...).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.R3GAN(base_filters=8, groups=2, latent_dim=16, seed=0)
        >>> [r.term for r in gan.regularizers]
        ['r1', 'r2']
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=64), epochs=5)  # doctest: +SKIP

    Reference:
        Huang et al., "The GAN is dead; long live the GAN! A Modern GAN
        Baseline", NeurIPS 2024.
    """

    default_loss = "relativistic"
    default_n_critic = 1
    default_latent_dim = 64

    def __init__(self, base_filters=32, groups=4, gamma=0.05, final_gamma=0.005, decay_steps=1200, **kwargs):
        self.groups = validate_positive_int(groups, "groups")
        self.gamma = validate_non_negative(gamma, "gamma")
        self.final_gamma = validate_non_negative(final_gamma, "final_gamma")
        if self.final_gamma > self.gamma:
            raise ValueError(
                f"gamma decays from gamma to final_gamma; received gamma={gamma!r} below "
                f"final_gamma={final_gamma!r}. Give final_gamma <= gamma (equal for a constant gamma)."
            )
        self.decay_steps = validate_positive_int(decay_steps, "decay_steps")
        super().__init__(base_filters=base_filters, **kwargs)

    def build_generator(self):
        return build_resnet_gan_generator(
            self.image_shape,
            self.latent_dim,
            base_filters=self.base_filters,
            normalization=None,
            block="bottleneck",
            groups=self.groups,
            num_classes=self.num_classes,
        )

    def build_discriminator(self):
        self.refuse_minibatch_stddev()
        return build_resnet_gan_discriminator(
            self.image_shape,
            base_filters=self.base_filters,
            normalization=None,
            block="bottleneck",
            groups=self.groups,
            num_classes=self.num_classes,
        )

    def gamma_schedule(self):
        """The weight of R1 and R2, `gamma / 2`, as a cosine decay over `decay_steps`.

        Returns:
            A `keras.optimizers.schedules.CosineDecay` of the step.
        """
        final = self.final_gamma / self.gamma if self.gamma else 0.0
        return keras.optimizers.schedules.CosineDecay(self.gamma / 2, self.decay_steps, alpha=final)

    def default_regularizers(self):
        return [R1Penalty(self.gamma_schedule()), R2Penalty(self.gamma_schedule())]

    def default_optimizer(self, network_name):
        rate = keras.optimizers.schedules.CosineDecay(2e-4, self.decay_steps, alpha=0.25)
        return keras.optimizers.Adam(rate, beta_1=0.0, beta_2=0.99)

    def get_config(self):
        config = super().get_config()
        config.update(
            groups=self.groups, gamma=self.gamma, final_gamma=self.final_gamma, decay_steps=self.decay_steps
        )
        return config
