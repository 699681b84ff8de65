"""The same 28x28 DCGAN in PyTorch (eager, CPU): the figure users compare against.

Mirrors `kerasgan.networks.build_dcgan_generator((28, 28, 1), 100)` and
`build_dcgan_discriminator((28, 28, 1))`: Linear(100 → 7·7·128, no bias) → BN →
ReLU → ConvTranspose(64, 5, stride 2, no bias) → BN → ReLU → ConvTranspose(1,
5, stride 2) → tanh; Conv(64, 5, stride 2) → LeakyReLU(0.2) → Conv(128, 5,
stride 2) → BN → LeakyReLU(0.2) → Linear(1). Batch norm with Keras's
settings (momentum 0.99, epsilon 1e-3), Adam(2e-4, beta_1=0.5) for both
networks, non-saturating loss (BCE with logits), one discriminator update
with fresh latents then one generator update with fresh latents.

PyTorch is optional: `pip install "kerasgan[torch]"` or `pip install torch`.
"""

import contextlib

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


def _batch_norm(torch, channels):
    # Keras momentum 0.99 is PyTorch momentum 0.01.
    return torch.nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)


def build_networks(latent_dim=100):
    """Builds the PyTorch generator and discriminator of the 28x28 DCGAN.

    Args:
        latent_dim: size of the latent vector. Defaults to 100.

    Returns:
        `(generator, discriminator)`, `torch.nn.Module`s in training mode:
        latents `(batch, latent_dim)` → images `(batch, 1, 28, 28)` in
        `[-1, 1]`; images → logits `(batch, 1)`.

    Example:
        >>> generator, discriminator = build_networks()  # doctest: +SKIP
    """
    torch = import_torch()
    nn = torch.nn
    generator = nn.Sequential(
        nn.Linear(latent_dim, 7 * 7 * 128, bias=False),
        nn.Unflatten(1, (128, 7, 7)),
        _batch_norm(torch, 128),
        nn.ReLU(),
        nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False),
        _batch_norm(torch, 64),
        nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1),
        nn.Tanh(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 64, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 5, stride=2, padding=2),
        _batch_norm(torch, 128),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 128, 1),
    )
    return generator, discriminator


class TorchDCGAN:
    """One PyTorch DCGAN training step at a time, eager, on CPU.

    Args:
        latent_dim: size of the latent vector. Defaults to 100.
        seed: int seed of `torch.manual_seed`. Defaults to 0.
        num_threads: None (PyTorch's default, one per core) or the number of
            intra-op threads to set with `torch.set_num_threads`.
        autocast_dtype: None (float32, the default) or a torch dtype such as
            `torch.bfloat16`: the forward passes and losses then run under
            `torch.autocast("cpu", dtype=autocast_dtype)`; backward passes
            and optimizer steps run outside it, as PyTorch recommends.

    Example:
        >>> model = TorchDCGAN()  # doctest: +SKIP
        >>> d_loss, g_loss = model.step(model.to_torch(images))  # doctest: +SKIP
    """

    def __init__(self, latent_dim=100, seed=0, num_threads=None, autocast_dtype=None):
        self.torch = import_torch()
        self.autocast_dtype = autocast_dtype
        if num_threads is not None:
            self.torch.set_num_threads(num_threads)
        self.torch.manual_seed(seed)
        self.latent_dim = latent_dim
        self.generator, self.discriminator = build_networks(latent_dim)
        adam = self.torch.optim.Adam
        self.d_optimizer = adam(self.discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.g_optimizer = adam(self.generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.bce = self.torch.nn.BCEWithLogitsLoss()

    def to_torch(self, images):
        """Converts NHWC images (NumPy or TensorFlow) to a NCHW torch tensor."""
        return (
            self.torch.from_numpy(images.numpy() if hasattr(images, "numpy") else images)
            .permute(0, 3, 1, 2)
            .contiguous()
        )

    def _forward(self):
        """The context of forward passes: autocast when asked, else nothing."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return self.torch.autocast("cpu", dtype=self.autocast_dtype)

    def step(self, real_images):
        """One discriminator update, then one generator update.

        Args:
            real_images: float tensor `(batch, 1, 28, 28)` in `[-1, 1]`.

        Returns:
            `(d_loss, g_loss)` as 0-dim torch tensors.
        """
        torch = self.torch
        batch_size = real_images.shape[0]
        ones = torch.ones(batch_size, 1)
        zeros = torch.zeros(batch_size, 1)
        with torch.no_grad(), self._forward():
            fakes = self.generator(torch.randn(batch_size, self.latent_dim))
        self.d_optimizer.zero_grad(set_to_none=True)
        with self._forward():
            d_loss = self.bce(self.discriminator(real_images), ones) + self.bce(
                self.discriminator(fakes), zeros
            )
        d_loss.backward()
        self.d_optimizer.step()
        self.g_optimizer.zero_grad(set_to_none=True)
        with self._forward():
            fakes = self.generator(torch.randn(batch_size, self.latent_dim))
            g_loss = self.bce(self.discriminator(fakes), ones)
        g_loss.backward()
        self.g_optimizer.step()
        return d_loss.detach(), g_loss.detach()
