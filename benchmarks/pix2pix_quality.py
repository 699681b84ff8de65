"""Pix2Pix edges -> garment on Fashion-MNIST: L1 and FID against its untrained start and an L1-only U-Net.

Usage:
    python benchmarks/pix2pix_quality.py [--steps 1200] [--batch-size 32] [--train-limit 20000]
        [--test-limit 1000] [--seed 0] [--out benchmarks/results/pix2pix_quality.json]

Does the adversarial term help? Three generators of the same U-Net (32
filters, `restoration_common.SMALL_SETTINGS`), from the same initial
weights, translate the first `--test-limit` test edge maps of
`fashion_mnist_edges` (32x32, garments padded by 2 pixels):

- `untrained`: `kerasgan.Pix2Pix(seed=...)` as built;
- `pix2pix`: that model after `--steps` steps of its training (PatchGAN
  critic; `100 * L1 + adversarial`);
- `l1_only_unet`: a copy of the untrained generator (`keras.models.
  clone_model` and its weights) trained `--steps` steps with
  `compile(loss="mae")` and `fit`: Pix2Pix with the adversarial term off.

Every optimizer is Adam(2e-4, beta_1=0.5) constant for the first half of
the steps and decaying linearly to 0 over the second half
(`kerasgan.learning_rates.LinearDecay`, the paper's schedule), and both
trained generators see the same batches in the same order. Scores against
the real test garments: `l1` (mean absolute error per pixel over the 32x32
image, in `[-1, 1]` units) and `fid` (Fashion-MNIST classifier features,
on the centre 28x28). About 10 minutes on 2 shared cores at the defaults.
"""

import keras
import numpy as np
import restoration_common as common

from kerasgan.utils.validation import positive_int_argument


def scores(translated, targets):
    """`{"l1", "fid"}` of translated images against the real targets."""
    l1 = float(np.mean(np.abs(translated - targets)))
    return common.rounded({"l1": l1, "fid": common.fid(translated, targets)})


def l1_only_unet(generator, steps):
    """A compiled copy of `generator` (same weights) that trains on the mean absolute error alone."""
    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    copy.compile(optimizer=common.decaying_adam(steps), loss="mae")
    return copy


def measure(args):
    """Trains both generators and scores the three arms."""
    keras.utils.set_random_seed(args.seed)
    train_pairs = common.dataset_arrays("fashion_mnist_edges", "train", args.train_limit)
    test_edges, test_targets = common.dataset_arrays("fashion_mnist_edges", "test", args.test_limit)
    model = common.build_pix2pix(seed=args.seed)
    model.compile(g_optimizer=common.decaying_adam(args.steps), d_optimizer=common.decaying_adam(args.steps))
    baseline = l1_only_unet(model.generator, args.steps)
    arms = {"untrained": scores(model.translate(test_edges, batch_size=250), test_targets)}
    print(f"untrained: {arms['untrained']}", flush=True)
    training = {}
    training["pix2pix"] = common.train(
        model, common.training_dataset(train_pairs, args.batch_size, args.seed), args.steps
    )
    arms["pix2pix"] = scores(model.translate(test_edges, batch_size=250), test_targets)
    print(f"pix2pix: {arms['pix2pix']} ({training['pix2pix']['seconds']} s)", flush=True)
    panel = common.write_panel(args.panel, model, test_edges, test_targets)
    data = common.training_dataset(train_pairs, args.batch_size, args.seed)
    training["l1_only_unet"] = common.train(baseline, data, args.steps)
    arms["l1_only_unet"] = scores(baseline.predict(test_edges, batch_size=250, verbose=0), test_targets)
    print(f"l1_only_unet: {arms['l1_only_unet']} ({training['l1_only_unet']['seconds']} s)", flush=True)
    return {
        "arms": arms,
        "panel": panel,
        "training": training,
        "test_images": len(test_targets),
        "findings": {
            "pix2pix_fid_below_l1_only": arms["pix2pix"]["fid"] < arms["l1_only_unet"]["fid"],
            "pix2pix_l1_below_l1_only": arms["pix2pix"]["l1"] < arms["l1_only_unet"]["l1"],
            "pix2pix_better_than_untrained": arms["pix2pix"]["l1"] < arms["untrained"]["l1"]
            and arms["pix2pix"]["fid"] < arms["untrained"]["fid"],
        },
        "parameters": common.parameter_counts(model),
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = common.quality_parser(__doc__, "benchmarks/results/pix2pix_quality.json", 32, 20000, 1000)
    parser.add_argument("--steps", type=positive_int_argument, default=1200, help="training steps of each")
    return parser.parse_args(argv)


def main(argv=None):
    """Measures and writes the JSON file named by `--out`."""
    return common.run_and_report(parse_args(argv), measure)


if __name__ == "__main__":
    main()
