"""Model FLOPs of a GAN training step, and the peak FLOP rates of GPUs, for model FLOP utilisation.

Counts multiply-adds (x2) of the Dense, Conv2D and Conv2DTranspose layers
of a Keras network from its shapes; normalization, activations and
optimizer updates are left out (a few percent). A training step is counted
as its algorithm needs it, whatever a framework actually computes:

- DCGAN, per real image: discriminator update = G forward + D forward on
  real and fake + D backward for both (2x forward each) = F_G + 6 F_D;
  generator update = G forward + D forward + D backward to its input (1x)
  + G backward (2x) = 3 F_G + 2 F_D. Total 4 F_G + 8 F_D: about 2.5 GFLOP
  for the 64x64 DCGAN of PyTorch's tutorial.
- WGAN-GP: each critic update adds the gradient penalty (D forward on the
  interpolates, its input gradient, and the backward pass through both,
  about 6 F_D): n_critic (F_G + 12 F_D) + 3 F_G + 2 F_D. An estimate.
"""

import math

# Dense peak rates, FLOP/s: bfloat16 tensor cores, and TF32 tensor cores for
# float32 (the default precision of float32 convolutions and matmuls on
# these GPUs in JAX; PyTorch is set to TF32 too in jax_speed.py).
PEAK_FLOPS = {
    "H100 PCIe": {"bfloat16": 756e12, "float32": 378e12},
    "H100": {"bfloat16": 989.4e12, "float32": 494.7e12},
    "H200": {"bfloat16": 989.4e12, "float32": 494.7e12},
    "A100": {"bfloat16": 312e12, "float32": 156e12},
    "L4": {"bfloat16": 121e12, "float32": 60e12},
}


def layer_flops(layer):
    """FLOPs of one example through `layer` (0 for layers without weights that multiply)."""
    kind = type(layer).__name__
    if kind == "Dense":
        return 2 * int(layer.kernel.shape[0]) * int(layer.kernel.shape[1])
    if kind in ("Conv2D", "Conv2DTranspose"):
        kernel_h, kernel_w, _, _ = (int(d) for d in layer.kernel.shape)
        # Conv2D kernels are (kh, kw, in, out); Conv2DTranspose kernels (kh, kw, out, in).
        inputs = layer.input.shape[-1]
        outputs = layer.output.shape[-1]
        side = layer.output.shape[1:3] if kind == "Conv2D" else layer.input.shape[1:3]
        return 2 * math.prod(side) * kernel_h * kernel_w * int(inputs) * int(outputs)
    return 0


def forward_flops(model):
    """FLOPs of one example's forward pass through a functional Keras model."""
    return sum(layer_flops(layer) for layer in model.layers)


def training_flops_per_image(generator, discriminator, variant, n_critic=1):
    """Model FLOPs per real image of one training step (see the module docstring).

    Args:
        generator: functional Keras generator.
        discriminator: functional Keras critic.
        variant: `"dcgan"` or `"wgan_gp"`.
        n_critic: critic updates per step.

    Returns:
        float, FLOPs.

    Example:
        >>> training_flops_per_image(g, d, "dcgan") / 1e9  # doctest: +SKIP
        2.47
    """
    f_g, f_d = forward_flops(generator), forward_flops(discriminator)
    if variant == "dcgan":
        return n_critic * (f_g + 6 * f_d) + 3 * f_g + 2 * f_d
    return n_critic * (f_g + 12 * f_d) + 3 * f_g + 2 * f_d


def peak_flops(device_kind, dtype):
    """The dense peak FLOP/s of a GPU named `device_kind` in `dtype`, or None if unknown (CPUs)."""
    for name in sorted(PEAK_FLOPS, key=len, reverse=True):
        if all(word in device_kind for word in name.split()):
            return PEAK_FLOPS[name][dtype]
    return None
