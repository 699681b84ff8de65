"""CycleGAN sneaker <-> sandal on Fashion-MNIST: how often the shipped classifier sees the translation.

Usage:
    python benchmarks/cyclegan_quality.py [--steps 600] [--batch-size 16] [--train-limit 6000]
        [--test-limit 1000] [--seed 0] [--out benchmarks/results/cyclegan_quality.json]

`kerasgan.CycleGAN` (ResNet generators 16 filters with 3 residual blocks,
PatchGAN critics: `restoration_common.SMALL_SETTINGS`; least-squares loss,
cycle weight 10, identity 0.5, a pool of 50 fakes) trains `--steps` steps on
`fashion_mnist_sneaker_sandal` (sneakers, class 7, as domain A; sandals,
class 5, as B; 32x32, each domain shuffled on its own), with Adam(2e-4,
beta_1=0.5) constant for the first half and decaying linearly to 0 over the
second half (the paper's schedule). Then the first `--test-limit` test
images of each domain are translated, and the shipped Fashion-MNIST
classifier (on the centre 28x28) labels them:

- `a2b_as_sandal`: the share of translated test sneakers labelled sandal;
- `round_trip_as_sneaker`: the share of `g_ba(g_ab(sneaker))` labelled
  sneaker;
- `b2a_as_sneaker` and `round_trip_as_sandal`: the same the other way;
- `fid_a2b`: FID of the translated sneakers against the real test sandals;
  `cycle_l1_a`: mean `|g_ba(g_ab(a)) - a|`.

The same figures of the untrained model, and the classifier's share on the
real test images of each class (`real_sneakers_as_sneaker`, ...), are given
for reference. Target of issue 26: `a2b_as_sandal` and
`round_trip_as_sneaker` at least 0.8. About 12 minutes on 2 shared cores at
the defaults.
"""

import keras
import numpy as np
import restoration_common as common

from kerasgan.utils.validation import positive_int_argument

TARGET = 0.8


def translation_scores(model, sneakers, sandals):
    """The classifier's shares on translated and round-tripped test images, FID, cycle L1."""
    as_sandals = model.translate(sneakers, direction="a2b", batch_size=250)
    as_sneakers = model.translate(sandals, direction="b2a", batch_size=250)
    back_to_sneakers = model.translate(as_sandals, direction="b2a", batch_size=250)
    back_to_sandals = model.translate(as_sneakers, direction="a2b", batch_size=250)
    return common.rounded(
        {
            "a2b_as_sandal": common.share_of_class(as_sandals, common.SANDAL),
            "round_trip_as_sneaker": common.share_of_class(back_to_sneakers, common.SNEAKER),
            "b2a_as_sneaker": common.share_of_class(as_sneakers, common.SNEAKER),
            "round_trip_as_sandal": common.share_of_class(back_to_sandals, common.SANDAL),
            "fid_a2b": common.fid(as_sandals, sandals),
            "fid_b2a": common.fid(as_sneakers, sneakers),
            "cycle_l1_a": float(np.mean(np.abs(back_to_sneakers - sneakers))),
            "cycle_l1_b": float(np.mean(np.abs(back_to_sandals - sandals))),
        }
    )


def measure(args):
    """Trains the CycleGAN and scores it before and after."""
    keras.utils.set_random_seed(args.seed)
    train_domains = common.dataset_arrays("fashion_mnist_sneaker_sandal", "train", args.train_limit)
    sneakers, sandals = common.dataset_arrays("fashion_mnist_sneaker_sandal", "test", args.test_limit)
    model = common.build_cyclegan(seed=args.seed)
    model.compile(**{slot: common.decaying_adam(args.steps) for slot in model.optimizer_slots()})
    reference = common.rounded(
        {
            "real_sneakers_as_sneaker": common.share_of_class(sneakers, common.SNEAKER),
            "real_sandals_as_sandal": common.share_of_class(sandals, common.SANDAL),
            "fid_real_sneakers_to_sandals": common.fid(sneakers, sandals),
        }
    )
    untrained = translation_scores(model, sneakers, sandals)
    print(f"reference: {reference}\nuntrained: {untrained}", flush=True)
    data = common.training_dataset(train_domains, args.batch_size, args.seed, unpaired=True)
    training = common.train(model, data, args.steps)
    trained = translation_scores(model, sneakers, sandals)
    print(f"trained: {trained} ({training['seconds']} s)", flush=True)
    panel = common.write_panel(args.panel, model, sneakers)
    return {
        "panel": panel,
        "reference": reference,
        "untrained": untrained,
        "trained": trained,
        "training": training,
        "test_images_per_domain": len(sneakers),
        "targets": {
            f"a2b_as_sandal_at_least_{TARGET}": trained["a2b_as_sandal"] >= TARGET,
            f"round_trip_as_sneaker_at_least_{TARGET}": trained["round_trip_as_sneaker"] >= TARGET,
        },
        "parameters": common.parameter_counts(model),
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = common.quality_parser(
        __doc__, "benchmarks/results/cyclegan_quality.json", 16, 6000, 1000, limit_help="images per domain"
    )
    parser.add_argument("--steps", type=positive_int_argument, default=600, help="training steps")
    return parser.parse_args(argv)


def main(argv=None):
    """Measures and writes the JSON file named by `--out`."""
    return common.run_and_report(parse_args(argv), measure)


if __name__ == "__main__":
    main()
