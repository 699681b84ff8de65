"""SRGAN x2 and x4 on Fashion-MNIST: PSNR, SSIM and FID of bicubic, the pixel-loss warm-up and the GAN.

Usage:
    python benchmarks/srgan_quality.py [--scales 2 4] [--warmup-steps 800] [--gan-steps 600]
        [--batch-size 32] [--train-limit 20000] [--test-limit 1000] [--perceptual-weight 1]
        [--seed 0] [--out benchmarks/results/srgan_quality.json]

For each scale: the first `--test-limit` test images of `fashion_mnist_sr2`
or `fashion_mnist_sr4` (28x28 targets, their area downsampling as sources)
are upscaled by

- `bicubic`: `tf.image.resize(..., method="bicubic")`, clipped to `[-1, 1]`;
- `warm_up`: `kerasgan.SRGAN` after its `--warmup-steps` pixel-MSE-only
  steps (the SRResNet pre-training, phase `warm_up`);
- `gan`: the same model after `--gan-steps` more steps with the critic
  (adversarial 1e-3 + pixel MSE + perceptual in the shipped Fashion-MNIST
  classifier's `conv2` features);
- `pixel_only_same_steps`: the control, a copy of the model at the end of
  its warm-up (generator weights and Adam state) trained `--gan-steps` more
  steps on the pixel MSE alone, so that "more steps" cannot pass for "the
  adversarial and perceptual terms".

Each is scored against the real 28x28 test images: PSNR and SSIM (data
range 2), and FID in the Fashion-MNIST classifier's features (see
`restoration_common`). `fid_real_train` is the FID of as many real training
images against the same test images: the floor a perfect model would reach
at this sample size. Note that the perceptual term reads the same
classifier's convolutions that the FID features are computed from, so the
GAN's FID is not independent of its loss (`--perceptual-weight 0` trains the
GAN arm without it).

The networks are small (generator 32 filters, 4 residual blocks; critic 32
filters, dense 128: `restoration_common.SMALL_SETTINGS`) so that a scale
trains in about 12 minutes on 2 shared cores at the defaults.
"""

import time

import keras
import numpy as np
import restoration_common as common
import tensorflow as tf

from kerasgan.utils.validation import positive_int_argument

ARMS = ("bicubic", "warm_up", "gan", "pixel_only_same_steps")


def bicubic(low_res, size):
    """Bicubic upscaling to `size` (height, width), clipped to `[-1, 1]`."""
    return np.clip(tf.image.resize(low_res, size, method="bicubic").numpy(), -1.0, 1.0)


def scores(upscaled, high_res):
    """`{"psnr", "ssim", "fid"}` of upscaled images against the real high-resolution ones."""
    return common.rounded(
        {
            "psnr": common.psnr(upscaled, high_res),
            "ssim": common.ssim(upscaled, high_res),
            "fid": common.fid(upscaled, high_res),
        }
    )


def pixel_only_copy(model, steps, seed, perceptual_weight):
    """A new SRGAN holding `model`'s generator and its Adam state, whose warm-up lasts `steps` more steps."""
    done = model.completed_steps()
    control = common.build_srgan(
        model.scale, warmup_steps=done + steps, seed=seed, perceptual_weight=perceptual_weight
    )
    control.compile()
    control.generator.set_weights(model.generator.get_weights())
    control.g_optimizer.build(control.generator.trainable_variables)
    for target, source in zip(control.g_optimizer.variables, model.g_optimizer.variables):
        target.assign(source)
    control.train_steps.assign(done)
    return control


def measure_scale(scale, args):
    """Trains and scores one scale; returns `{"arms": {arm: scores}, "training": {...}, ...}`."""
    keras.utils.set_random_seed(args.seed)
    name = f"fashion_mnist_sr{scale}"
    train_low, train_high = common.dataset_arrays(name, "train", args.train_limit)
    test_low, test_high = common.dataset_arrays(name, "test", args.test_limit)
    arms, training = {}, {}
    arms["bicubic"] = scores(bicubic(test_low, test_high.shape[1:3]), test_high)
    print(f"x{scale} bicubic: {arms['bicubic']}", flush=True)

    model = common.build_srgan(
        scale, warmup_steps=args.warmup_steps, seed=args.seed, perceptual_weight=args.perceptual_weight
    )
    model.compile()
    dataset = common.training_dataset((train_low, train_high), args.batch_size, args.seed)
    training["warm_up"] = common.train(model, dataset, args.warmup_steps)
    arms["warm_up"] = scores(model.upscale(test_low, batch_size=250), test_high)
    print(f"x{scale} warm_up: {arms['warm_up']} ({training['warm_up']['seconds']} s)", flush=True)
    control = pixel_only_copy(model, args.gan_steps, args.seed, args.perceptual_weight)

    training["gan"] = common.train(model, dataset, args.gan_steps)
    arms["gan"] = scores(model.upscale(test_low, batch_size=250), test_high)
    print(f"x{scale} gan: {arms['gan']} ({training['gan']['seconds']} s)", flush=True)
    panel = args.panel
    if panel is not None and len(args.scales) > 1:  # one picture a scale
        panel = panel[: -len(".png")] + f"_x{scale}.png" if panel.endswith(".png") else panel
    panel = common.write_panel(panel, model, test_low, test_high)

    control_data = common.training_dataset((train_low, train_high), args.batch_size, args.seed + 1)
    training["pixel_only_same_steps"] = common.train(control, control_data, args.gan_steps)
    arms["pixel_only_same_steps"] = scores(control.upscale(test_low, batch_size=250), test_high)
    print(f"x{scale} pixel_only_same_steps: {arms['pixel_only_same_steps']}", flush=True)

    real_train = train_high[: len(test_high)]
    floor = round(common.fid(real_train, test_high), 4) if len(real_train) == len(test_high) else None
    gan_fid = arms["gan"]["fid"]
    return {
        "arms": arms,
        "panel": panel,
        "training": training,
        "fid_real_train": floor,
        "test_images": len(test_high),
        "targets": {
            "gan_fid_below_bicubic": gan_fid < arms["bicubic"]["fid"],
            "gan_fid_below_warm_up": gan_fid < arms["warm_up"]["fid"],
            "gan_fid_below_pixel_only_same_steps": gan_fid < arms["pixel_only_same_steps"]["fid"],
        },
        "parameters": common.parameter_counts(model),
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = common.quality_parser(__doc__, "benchmarks/results/srgan_quality.json", 32, 20000, 1000)
    parser.add_argument("--scales", type=int, nargs="+", choices=(2, 4), default=[2, 4])
    parser.add_argument("--warmup-steps", type=positive_int_argument, default=800)
    parser.add_argument("--gan-steps", type=positive_int_argument, default=600)
    parser.add_argument(
        "--perceptual-weight", type=float, default=1.0, help="0 trains the GAN arm without it"
    )
    return parser.parse_args(argv)


def main(argv=None):
    """Measures every scale and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    start = time.perf_counter()
    uptime = common.uptime()
    result = {"uptime_at_start": uptime, "arms_described": list(ARMS)}
    result["scales"] = {f"x{scale}": measure_scale(scale, args) for scale in args.scales}
    return common.write_report(args.out, args, result, start)


if __name__ == "__main__":
    main()
