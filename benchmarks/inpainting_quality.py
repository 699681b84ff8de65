"""InpaintingGAN, centre 14x14 hole on Fashion-MNIST: PSNR in the hole and FID against mean and blur fills.

Usage:
    python benchmarks/inpainting_quality.py [--steps 2000] [--batch-size 32] [--train-limit 20000]
        [--test-limit 1000] [--diffusion-iterations 300] [--seed 0]
        [--out benchmarks/results/inpainting_quality.json]

The first `--test-limit` 28x28 Fashion-MNIST test images lose their centre
14x14 (rows and columns 7 to 20, the hole `kerasgan.InpaintingGAN(mask=
"centre")` trains on) and are completed by

- `zero_fill`: the hole left at 0, the mid-grey the model's input has there;
- `mean_fill`: each missing pixel the mean of the `--train-limit` training
  images at that pixel;
- `diffusion_fill`: harmonic interpolation from the hole's border:
  `--diffusion-iterations` Jacobi sweeps, each missing pixel replaced by the
  mean of its four neighbours, the known pixels held fixed (a blur that
  spreads the border inwards);
- `inpainting_gan`: `kerasgan.InpaintingGAN` (context encoder 32 filters,
  PatchGAN critic that sees the mask; L2 in the hole with weight 999 plus
  the adversarial loss) after `--steps` training steps on the training
  images, through `inpaint(images, masks)`.

Scores: `psnr_hole` (the MSE over the 196 missing pixels, data range 2, per
image, averaged), `psnr_image` (over all pixels) and `fid` of the completed
images against the complete test images (Fashion-MNIST classifier
features). The target of issue 26: the GAN's `psnr_hole` above both
baselines'. About 10 minutes on 2 shared cores at the defaults.
"""

import keras
import numpy as np
import restoration_common as common

from kerasgan.utils.validation import positive_int_argument

HOLE = 14


def centre_masks(count, size=28, hole=HOLE):
    """Masks `(count, size, size, 1)`, 1 on the centre `hole` x `hole` square (as `mask="centre"`)."""
    masks = np.zeros((count, size, size, 1), "float32")
    top = (size - hole) // 2
    masks[:, top : top + hole, top : top + hole] = 1.0
    return masks


def mean_fill(images, masks, mean_image):
    """The images with each missing pixel replaced by `mean_image` (`(H, W, C)`) at that pixel."""
    return np.where(masks > 0.5, mean_image[None], images)


def diffusion_fill(images, masks, iterations):
    """Harmonic fill: `iterations` Jacobi sweeps of the four-neighbour mean over the missing pixels.

    The missing pixels start at the mean of each image's known pixels; the
    image border is reflected (edge padding).
    """
    known = masks < 0.5
    start = np.sum(images * known, axis=(1, 2, 3), keepdims=True) / np.maximum(
        known.sum((1, 2, 3), keepdims=True), 1
    )
    filled = np.where(known, images, start).astype("float64")
    for _ in range(iterations):
        padded = np.pad(filled, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
        neighbours = (
            padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]
        ) / 4
        filled = np.where(known, images, neighbours)
    return filled.astype("float32")


def scores(completed, images, masks):
    """`{"psnr_hole", "psnr_image", "fid"}` of completed images against the complete ones."""
    return common.rounded(
        {
            "psnr_hole": common.psnr(completed, images, masks),
            "psnr_image": common.psnr(completed, images),
            "fid": common.fid(completed, images),
        }
    )


def measure(args):
    """Trains the model, completes the test images every way and scores them."""
    keras.utils.set_random_seed(args.seed)
    (train_images,) = common.dataset_arrays("fashion_mnist", "train", args.train_limit)
    (test_images,) = common.dataset_arrays("fashion_mnist", "test", args.test_limit)
    masks = centre_masks(len(test_images))
    arms = {
        "zero_fill": scores(np.where(masks > 0.5, 0.0, test_images), test_images, masks),
        "mean_fill": scores(mean_fill(test_images, masks, train_images.mean(axis=0)), test_images, masks),
        "diffusion_fill": scores(
            diffusion_fill(test_images, masks, args.diffusion_iterations), test_images, masks
        ),
    }
    for arm, figures in arms.items():
        print(f"{arm}: {figures}", flush=True)
    model = common.build_inpainting(seed=args.seed)
    model.compile()
    training = common.train(
        model, common.training_dataset((train_images,), args.batch_size, args.seed), args.steps
    )
    completed = model.inpaint(test_images, masks, batch_size=250)
    known_kept = bool(np.array_equal(completed[masks[..., 0] < 0.5], test_images[masks[..., 0] < 0.5]))
    arms["inpainting_gan"] = scores(completed, test_images, masks)
    print(f"inpainting_gan: {arms['inpainting_gan']} ({training['seconds']} s)", flush=True)
    gan = arms["inpainting_gan"]["psnr_hole"]
    panel = common.write_panel(args.panel, model, {"images": test_images, "masks": masks}, test_images)
    return {
        "arms": arms,
        "panel": panel,
        "training": training,
        "known_pixels_unchanged": known_kept,
        "test_images": len(test_images),
        "hole": {"top": (28 - HOLE) // 2, "left": (28 - HOLE) // 2, "height": HOLE, "width": HOLE},
        "targets": {
            "psnr_hole_above_mean_fill": gan > arms["mean_fill"]["psnr_hole"],
            "psnr_hole_above_diffusion_fill": gan > arms["diffusion_fill"]["psnr_hole"],
        },
        "parameters": common.parameter_counts(model),
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = common.quality_parser(__doc__, "benchmarks/results/inpainting_quality.json", 32, 20000, 1000)
    parser.add_argument("--steps", type=positive_int_argument, default=2000, help="training steps of the GAN")
    parser.add_argument("--diffusion-iterations", type=positive_int_argument, default=300)
    return parser.parse_args(argv)


def main(argv=None):
    """Measures and writes the JSON file named by `--out`."""
    return common.run_and_report(parse_args(argv), measure)


if __name__ == "__main__":
    main()
