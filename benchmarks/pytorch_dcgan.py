"""The kerasgan DCGAN and WGAN-GP networks in plain PyTorch: the figure users compare against.

`build_networks` mirrors `kerasgan.networks.build_dcgan_generator` and
`build_dcgan_discriminator` for any side they support: Linear(latent →
base·base·F, no bias) → BN → ReLU → [ConvTranspose(F/2, k, stride 2, no
bias) → BN → ReLU]... → ConvTranspose(C, k, stride 2) → tanh; Conv(f, k,
stride 2) → LeakyReLU(0.2) → [Conv(2f, k, stride 2) → norm → LeakyReLU(0.2)]...
→ Linear(1). Batch norm with Keras's settings (momentum 0.99, epsilon 1e-3),
layer norm over (C, H, W) for a gradient-penalty critic.

At 28x28 with the defaults this is the 28x28 DCGAN of the other benchmarks
(Dense→7x7x128→64→1). At 64x64 with `base_filters=64, kernel_size=4` it is
the DCGAN of PyTorch's tutorial (ngf = ndf = 64: 4x4x512→256→128→64→3; the
tutorial's first transposed convolution of a 1x1 input is this Linear, its
last 4x4 convolution this Linear(1)), about 2.5 GFLOP per training image.

`TorchGAN.step` is one training step as kerasgan takes it: DCGAN, one
discriminator update on fresh latents, then one generator update on fresh
latents, non-saturating loss, Adam(2e-4, beta_1=0.5); WGAN-GP, `n_critic`
critic updates with the gradient penalty (weight 10, on random
interpolates), then one generator update, Adam(1e-4, betas (0, 0.9)).

PyTorch is optional: `pip install "kerasgan[torch]"` or `pip install torch`.
"""

import contextlib

import numpy as np

from kerasgan.networks.dcgan import dcgan_layout, default_base_filters

_INSTALL_HINT = (
    "The PyTorch comparison needs PyTorch: pip install 'kerasgan[torch]' "
    "(or pip install torch), or run without --torch."
)


def import_torch():
    """Imports PyTorch, or raises ImportError with an install hint.

    Returns:
        The `torch` module.

    Example:
        >>> torch = import_torch()  # doctest: +SKIP
    """
    try:
        import torch
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error
    return torch


def _normalization(nn, kind, channels, side):
    if kind == "batch":  # Keras momentum 0.99 is PyTorch momentum 0.01.
        return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)
    if kind == "layer":
        return nn.LayerNorm((channels, side, side), eps=1e-3)
    return nn.Identity()


def build_networks(
    latent_dim=100, image_shape=(28, 28, 1), base_filters=None, kernel_size=5, critic_normalization="batch"
):
    """Builds the PyTorch generator and discriminator of kerasgan's DCGAN layout.

    Args:
        latent_dim: size of the latent vector. Defaults to 100.
        image_shape: `(H, W, C)`, square, side 4·2ⁿ or 7·2ⁿ. Defaults to `(28, 28, 1)`.
        base_filters: filters of the generator's last hidden block and the
            critic's first convolution. Defaults to kerasgan's (64 up to
            32x32, else 128).
        kernel_size: convolution kernel size. Defaults to 5.
        critic_normalization: `"batch"`, `"layer"` or None. Defaults to `"batch"`.

    Returns:
        `(generator, discriminator)`, `torch.nn.Module`s in training mode:
        latents `(batch, latent_dim)` → images `(batch, C, H, W)` in
        `[-1, 1]`; images → logits `(batch, 1)`.

    Example:
        >>> generator, discriminator = build_networks(image_shape=(64, 64, 3))  # doctest: +SKIP
    """
    nn = import_torch().nn
    side, channels = image_shape[0], image_shape[-1]
    base, steps = dcgan_layout(image_shape)
    base_filters = base_filters or default_base_filters(image_shape)
    padding = (kernel_size - 1) // 2
    up = dict(stride=2, padding=padding, output_padding=2 * padding - (kernel_size - 2))
    filters = base_filters * 2 ** (steps - 1)
    layers = [
        nn.Linear(latent_dim, base * base * filters, bias=False),
        nn.Unflatten(1, (filters, base, base)),
        _normalization(nn, "batch", filters, base),
        nn.ReLU(),
    ]
    size = base
    for _ in range(1, steps):
        size *= 2
        layers += [
            nn.ConvTranspose2d(filters, filters // 2, kernel_size, bias=False, **up),
            _normalization(nn, "batch", filters // 2, size),
            nn.ReLU(),
        ]
        filters //= 2
    layers += [nn.ConvTranspose2d(filters, channels, kernel_size, **up), nn.Tanh()]
    generator = nn.Sequential(*layers)

    layers, filters, size, previous = [], base_filters, side, channels
    for step in range(steps):
        size //= 2
        layers.append(nn.Conv2d(previous, filters, kernel_size, stride=2, padding=padding))
        if step > 0:
            layers.append(_normalization(nn, critic_normalization, filters, size))
        layers.append(nn.LeakyReLU(0.2))
        previous, filters = filters, filters * 2
    layers += [nn.Flatten(), nn.Linear(previous * size * size, 1)]
    return generator, nn.Sequential(*layers)


class TorchGAN:
    """One PyTorch training step at a time, eager, of a DCGAN or a WGAN-GP.

    Args:
        latent_dim: size of the latent vector. Defaults to 100.
        seed: int seed of `torch.manual_seed`. Defaults to 0.
        num_threads: None (PyTorch's default) or the number of CPU intra-op
            threads to set with `torch.set_num_threads`.
        autocast_dtype: None (float32, the default) or a torch dtype such as
            `torch.bfloat16`: forward passes and losses then run under
            `torch.autocast`; backward passes and optimizer steps run
            outside it, as PyTorch recommends.
        image_shape: `(H, W, C)`. Defaults to `(28, 28, 1)`.
        base_filters: see `build_networks`.
        kernel_size: see `build_networks`. Defaults to 5.
        variant: `"dcgan"` (default) or `"wgan_gp"`.
        n_critic: critic updates per step; defaults to 1 for DCGAN, 5 for WGAN-GP.
        device: `"cpu"` (default) or `"cuda"`.

    Example:
        >>> model = TorchGAN()  # doctest: +SKIP
        >>> d_loss, g_loss = model.step(model.to_torch(images))  # doctest: +SKIP
    """

    def __init__(
        self,
        latent_dim=100,
        seed=0,
        num_threads=None,
        autocast_dtype=None,
        image_shape=(28, 28, 1),
        base_filters=None,
        kernel_size=5,
        variant="dcgan",
        n_critic=None,
        device="cpu",
    ):
        if variant not in ("dcgan", "wgan_gp"):
            raise ValueError(f"variant must be 'dcgan' or 'wgan_gp'; received {variant!r}")
        self.torch = torch = import_torch()
        self.autocast_dtype = autocast_dtype
        self.device = torch.device(device)
        self.variant = variant
        self.n_critic = n_critic or (5 if variant == "wgan_gp" else 1)
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        torch.manual_seed(seed)
        self.latent_dim = latent_dim
        generator, discriminator = build_networks(
            latent_dim,
            image_shape,
            base_filters,
            kernel_size,
            critic_normalization="layer" if variant == "wgan_gp" else "batch",
        )
        self.generator = generator.to(self.device)
        self.discriminator = discriminator.to(self.device)
        lr, betas = (1e-4, (0.0, 0.9)) if variant == "wgan_gp" else (2e-4, (0.5, 0.999))
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(), lr=lr, betas=betas)
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), lr=lr, betas=betas)
        self.bce = torch.nn.BCEWithLogitsLoss()

    def to_torch(self, images):
        """Converts NHWC images (NumPy, TensorFlow or JAX) to a NCHW tensor on the model's device."""
        array = images.numpy() if hasattr(images, "numpy") else np.asarray(images)
        return self.torch.from_numpy(array).permute(0, 3, 1, 2).contiguous().to(self.device)

    def _forward(self):
        """The context of forward passes: autocast when asked, else nothing."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return self.torch.autocast(self.device.type, dtype=self.autocast_dtype)

    def _latents(self, batch_size):
        return self.torch.randn(batch_size, self.latent_dim, device=self.device)

    def _critic_loss(self, real_images, fakes):
        torch = self.torch
        real_logits = self.discriminator(real_images)
        fake_logits = self.discriminator(fakes)
        if self.variant == "dcgan":
            ones, zeros = torch.ones_like(real_logits), torch.zeros_like(fake_logits)
            return self.bce(real_logits, ones) + self.bce(fake_logits, zeros)
        mix = torch.rand(real_images.shape[0], 1, 1, 1, device=self.device)
        interpolates = (mix * real_images + (1 - mix) * fakes).requires_grad_(True)
        scores = self.discriminator(interpolates)
        (gradients,) = torch.autograd.grad(scores.float().sum(), interpolates, create_graph=True)
        penalty = ((gradients.flatten(1).norm(dim=1) - 1.0) ** 2).mean()
        return fake_logits.float().mean() - real_logits.float().mean() + 10.0 * penalty

    def step(self, real_images):
        """`n_critic` discriminator updates, then one generator update.

        Args:
            real_images: float tensor `(batch, C, H, W)` in `[-1, 1]` on the model's device.

        Returns:
            `(d_loss, g_loss)` as 0-dim torch tensors (not synchronized).
        """
        torch = self.torch
        batch_size = real_images.shape[0]
        for _ in range(self.n_critic):
            with torch.no_grad(), self._forward():
                fakes = self.generator(self._latents(batch_size))
            self.d_optimizer.zero_grad(set_to_none=True)
            with self._forward():
                d_loss = self._critic_loss(real_images, fakes.float())
            d_loss.backward()
            self.d_optimizer.step()
        self.g_optimizer.zero_grad(set_to_none=True)
        with self._forward():
            fake_logits = self.discriminator(self.generator(self._latents(batch_size))).float()
            if self.variant == "dcgan":
                g_loss = self.bce(fake_logits, torch.ones_like(fake_logits))
            else:
                g_loss = -fake_logits.mean()
        g_loss.backward()
        self.g_optimizer.step()
        return d_loss.detach(), g_loss.detach()


# The 28x28 DCGAN of train_step.py and cpu_precision.py.
TorchDCGAN = TorchGAN
