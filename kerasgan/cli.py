"""The `kerasgan` command line: parses arguments and calls `kerasgan.runs`."""

import argparse
import sys

from kerasgan.utils.validation import positive_int_argument as positive_int

EXPORT_NAMES = {"tf_saved_model": "SavedModel", "litert": "LiteRT file", "onnx": "ONNX file"}


def _critic_steps(text):
    """An argparse `type`: `--critic-steps` checked with `kerasgan.runs.parse_critic_steps`."""
    from kerasgan.runs import parse_critic_steps

    try:
        parse_critic_steps(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _non_negative_int(text):
    """An argparse `type`: an integer >= 0 (`--warmup-steps 0` is no warm-up)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {value}")
    return value


def _panel_command(commands, name, help, what):
    """A `translate`/`upscale`/`inpaint` subcommand: RUN_DIR, --input files, --n and --out."""
    command = commands.add_parser(name, help=help)
    command.add_argument("run_dir")
    command.add_argument(
        "--input",
        nargs="+",
        default=None,
        metavar="PNG",
        help=f"image files to {what}, resized to the model's input (default: held-out examples of the "
        "run's data set)",
    )
    command.add_argument(
        "--n", type=positive_int, default=None, help="held-out examples, without --input (default 8)"
    )
    command.add_argument("--out", required=True, help="PNG file to write")
    return command


def _parser():
    from kerasgan.models import VARIANTS
    from kerasgan.runs import AUGMENTATIONS, MASKS
    from kerasgan.utils.precision import PRECISIONS

    parser = argparse.ArgumentParser(
        prog="kerasgan", description="Train GANs, sample from them and export them."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a GAN variant into a run folder")
    train.add_argument("variant", choices=sorted(VARIANTS))
    train.add_argument(
        "--dataset",
        default="fashion_mnist",
        help="a kerasgan.data.available() name (default fashion_mnist; pix2pix: fashion_mnist_edges, "
        "cyclegan: fashion_mnist_sneaker_sandal, srgan: fashion_mnist_sr2 or fashion_mnist_sr4, "
        "inpainting: fashion_mnist)",
    )
    train.add_argument("--epochs", type=positive_int, default=5, help="total epochs (default 5)")
    train.add_argument("--batch-size", type=positive_int, default=128)
    train.add_argument("--latent-dim", type=positive_int, default=None)
    train.add_argument("--d-lr", type=float, default=None, help="discriminator learning rate")
    train.add_argument("--g-lr", type=float, default=None, help="generator learning rate")
    train.add_argument("--limit", type=positive_int, default=None, help="use the first N images only")
    train.add_argument("--seed", type=int, default=None)
    train.add_argument("--out", required=True, help="run folder")
    train.add_argument("--resume", action="store_true", help="continue the run in --out")
    train.add_argument("--overwrite", action="store_true", help="replace the run or model.keras in --out")
    train.add_argument(
        "--regularizer",
        action="append",
        default=[],
        metavar="KIND:WEIGHT[:EVERY]",
        help="add a regularizer: gp, r1, pl (path length), ms (mode seeking), cr (bCR) or lecam; "
        "kind:weight[:every], e.g. r1:5:16 for lazy R1",
    )
    train.add_argument(
        "--save-every",
        type=int,
        default=100,
        help="also checkpoint every N training steps (default 100; 0 = at epoch ends only)",
    )
    train.add_argument(
        "--base-filters",
        type=positive_int,
        default=None,
        help="width of the default networks (pix2pix, cyclegan, srgan, inpainting; default 64, 4-16 on "
        "a CPU)",
    )
    train.add_argument(
        "--residual-blocks",
        type=positive_int,
        default=None,
        help="residual blocks of each CycleGAN generator (default 6 below 256x256, 9 from there) or of "
        "SRGAN's (default 16)",
    )
    train.add_argument(
        "--warmup-steps",
        type=_non_negative_int,
        default=None,
        metavar="N",
        help="srgan: the first N steps train the generator on the pixel loss alone (default 1000)",
    )
    train.add_argument(
        "--mask",
        choices=MASKS,
        default=None,
        help="inpainting: the training holes (default centre: the middle half of each side)",
    )
    train.add_argument(
        "--augment",
        choices=AUGMENTATIONS,
        default=None,
        help="augment every image the discriminator sees (DiffAugment, ADA's adaptive pipeline, "
        "or instance noise)",
    )
    train.add_argument(
        "--critic-steps",
        type=_critic_steps,
        default=None,
        metavar="N[:UNTIL,...]",
        help="discriminator updates per step: 5, or 5:1000,1 for 5 until step 1000, then 1",
    )
    train.add_argument(
        "--lr-decay-epochs",
        type=positive_int,
        default=None,
        metavar="N",
        help="learning rates constant, then linear to 0 over the last N epochs (pix2pix, CycleGAN: "
        "--epochs 200 --lr-decay-epochs 100); each rate is logged",
    )
    train.add_argument(
        "--ema-decay",
        type=float,
        default=None,
        metavar="DECAY",
        help="keep an exponential moving average of the generator (latent models), e.g. 0.999; "
        "sample, evaluate and export then use it",
    )
    train.add_argument(
        "--preset",
        default=None,
        metavar="NAME",
        help="start from a shipped preset's trained generator (see kerasgan presets) and fine-tune "
        "it on --dataset with a fresh discriminator",
    )
    train.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="auto",
        help="dtype policy (default auto: mixed_bfloat16 on a CPU with AMX or AVX512-BF16 "
        "and no GPU, else float32; a resumed run keeps its own)",
    )

    sample = commands.add_parser(
        "sample", help="write a grid of samples (or of held-out translations) from a run"
    )
    sample.add_argument("run_dir", nargs="?", default=None, help="the run folder (or give --preset)")
    sample.add_argument("--n", type=positive_int, default=64, help="number of samples (default 64)")
    sample.add_argument("--out", default="grid.png", help="PNG file (default grid.png)")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--labels", type=int, nargs="*", default=None, help="class ids (conditional models)")
    sample.add_argument("--direction", default=None, help="a2b or b2a (image-to-image models; default a2b)")
    sample.add_argument(
        "--preset", default=None, help="sample a shipped preset instead of a run (see kerasgan presets)"
    )

    presets = commands.add_parser("presets", help="list the shipped presets, or print one's model card")
    presets.add_argument("name", nargs="?", default=None, help="a preset name: print its card")

    codes = commands.add_parser(
        "codes", help="write an infogan run's code grid: rows vary the category, columns a continuous code"
    )
    codes.add_argument("run_dir")
    codes.add_argument("--out", default="codes.png", help="PNG file (default codes.png)")
    codes.add_argument("--code", type=int, default=0, help="the continuous code the columns vary (default 0)")
    codes.add_argument("--values", type=positive_int, default=8, help="columns, from -2 to 2 (default 8)")
    codes.add_argument("--seed", type=int, default=0)

    evaluate = commands.add_parser("evaluate", help="score a run's samples against its data set's test split")
    evaluate.add_argument("run_dir")
    evaluate.add_argument(
        "--metrics",
        default=None,
        help="comma-separated: fid,kid,is,pr,classes,modes (default fid; classes: the Fashion-MNIST classes "
        "covered; modes: the Stacked Fashion-MNIST modes "
        "covered and their KL to uniform, for runs on stacked_fashion_mnist); for image-to-image runs with "
        "targets (pix2pix, srgan, inpainting: inside the holes) l1,psnr (the default there)",
    )
    evaluate.add_argument(
        "--n",
        type=positive_int,
        default=10000,
        help="real and generated images each, or sources translated (default 10000)",
    )
    evaluate.add_argument(
        "--feature-extractor",
        default="fashion_mnist",
        choices=("fashion_mnist", "inception_v3"),
    )
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--json", default=None, help="output file (default RUN_DIR/evaluation.json)")

    translate = _panel_command(
        commands,
        "translate",
        "write a before/after panel of an image-to-image run: inputs, translations, targets",
        "translate",
    )
    translate.add_argument("--direction", default=None, help="a2b or b2a (default a2b)")
    _panel_command(
        commands,
        "upscale",
        "write a before/after panel of an srgan run: low resolution, upscaled, original",
        "upscale",
    )
    inpaint = _panel_command(
        commands,
        "inpaint",
        "write a before/after panel of an inpainting run: images with holes, completions, originals",
        "complete",
    )
    inpaint.add_argument(
        "--mask",
        nargs="+",
        default=None,
        metavar="PNG",
        help="black-and-white mask files, white where a pixel is missing: one for all images or one per "
        "image (default: a centre hole of half each side)",
    )

    stylize = commands.add_parser(
        "stylize", help="transfer a style image's style onto a content image (Gatys et al.) and write a panel"
    )
    stylize.add_argument("--content", required=True, help="an image file, or a bundled photo: astronaut")
    stylize.add_argument("--style", required=True, help="an image file, or a bundled texture such as brick")
    stylize.add_argument("--steps", type=positive_int, default=200, help="optimisation steps (default 200)")
    stylize.add_argument("--size", type=positive_int, default=128, help="side of both images (default 128)")
    stylize.add_argument(
        "--feature-extractor",
        default="vgg19",
        choices=("vgg19", "fashion_mnist"),
        help="vgg19 (ImageNet weights, downloaded once; default) or fashion_mnist (shipped, offline)",
    )
    stylize.add_argument("--seed", type=int, default=0)
    stylize.add_argument("--out", default="stylized.png", help="PNG file (default stylized.png)")

    export = commands.add_parser(
        "export", help="export a run's generator as a SavedModel, LiteRT or ONNX file"
    )
    export.add_argument("run_dir")
    export.add_argument(
        "--format",
        choices=("tf_saved_model", "litert", "onnx"),
        default="tf_saved_model",
        help="what --out is: a SavedModel folder (default), a LiteRT (.tflite) or an ONNX file",
    )
    export.add_argument("--out", required=True, help="the SavedModel folder or file to create")
    export.add_argument("--tflite", default=None, help="also write this LiteRT (.tflite) file")
    export.add_argument("--direction", default=None, help="a2b or b2a (image-to-image models; default a2b)")
    export.add_argument(
        "--no-ema",
        dest="use_ema",
        action="store_false",
        help="export the raw generator even if the model keeps an EMA copy",
    )
    return parser


def main(argv=None):
    """Entry point of the `kerasgan` console script.

    Args:
        argv: argument list; defaults to `sys.argv[1:]`.

    Returns:
        Exit status: 0 on success, 1 on a reported error.

    Example:
        >>> main(["train", "dcgan", "--epochs", "5", "--out", "runs/dcgan"])  # doctest: +SKIP
    """
    args = _parser().parse_args(argv)
    from kerasgan import runs
    from kerasgan.callbacks import TrainingDivergedError

    try:
        if args.command == "train":
            runs.train(
                args.variant,
                args.out,
                dataset=args.dataset,
                epochs=args.epochs,
                batch_size=args.batch_size,
                latent_dim=args.latent_dim,
                d_learning_rate=args.d_lr,
                g_learning_rate=args.g_lr,
                limit=args.limit,
                seed=args.seed,
                resume=args.resume,
                save_every_steps=args.save_every or None,
                regularizers=args.regularizer,
                overwrite=args.overwrite,
                precision=args.precision,
                base_filters=args.base_filters,
                residual_blocks=args.residual_blocks,
                augment=args.augment,
                critic_steps=args.critic_steps,
                lr_decay_epochs=args.lr_decay_epochs,
                warmup_steps=args.warmup_steps,
                mask=args.mask,
                ema_decay=args.ema_decay,
                preset=args.preset,
            )
            print(f"Run saved in {args.out}")
        elif args.command == "evaluate":
            metrics = (
                None if args.metrics is None else [n.strip() for n in args.metrics.split(",") if n.strip()]
            )
            report, path = runs.evaluate_run(
                args.run_dir,
                metrics=metrics,
                num_samples=args.n,
                feature_extractor=args.feature_extractor,
                seed=args.seed,
                json_path=args.json,
            )
            if "direction" in report:
                print(
                    f"{report['dataset']} {report['split']!r}, {args.n} held-out examples, "
                    f"{report['direction']} translations"
                )
            else:
                print(
                    f"{report['dataset']} {report['split']!r}, {args.n} real and {args.n} "
                    f"generated images, {args.feature_extractor} features"
                )
            width = max(len(key) for key in report["scores"])
            for key, value in report["scores"].items():
                print(f"  {key:<{width}}  {value:.6g}")
            print(f"Wrote {path}")
        elif args.command == "codes":
            path = runs.codes_run(
                args.run_dir, args.out, continuous_index=args.code, num_values=args.values, seed=args.seed
            )
            print(f"Wrote {path}")
        elif args.command in ("translate", "upscale", "inpaint"):
            print(f"Wrote {_write_panel(runs, args)}")
        elif args.command == "stylize":
            path, history = runs.stylize(
                args.content,
                args.style,
                args.out,
                steps=args.steps,
                size=args.size,
                feature_extractor=args.feature_extractor,
                seed=args.seed,
            )
            first, last = history["total"][0], history["total"][-1]
            print(f"Loss {first:.4g} -> {last:.4g} over {args.steps} steps. Wrote {path}")
        elif args.command == "export":
            written = runs.export_run(
                args.run_dir,
                args.out,
                format=args.format,
                tflite_path=args.tflite,
                use_ema=args.use_ema,
                direction=args.direction,
            )
            for written_format, path in written.items():
                extra = ""
                if written_format == "tf_saved_model":
                    from kerasgan.export import read_export_metadata

                    extra = f" (signatures {', '.join(read_export_metadata(path)['signatures'])})"
                print(f"Wrote {EXPORT_NAMES[written_format]} {path}{extra}")
        elif args.command == "presets":
            from kerasgan import presets

            presets.describe(args.name)
        elif args.preset is not None:
            if args.run_dir is not None:
                raise ValueError(f"Give a run folder or --preset, not both (received {args.run_dir!r}).")
            labels = args.labels[0] if args.labels and len(args.labels) == 1 else args.labels
            print(f"Wrote {runs.sample_preset(args.preset, args.out, args.n, seed=args.seed, labels=labels)}")
        else:
            if args.run_dir is None:
                raise ValueError("Give the run folder to sample from, or --preset NAME (kerasgan presets).")
            labels = args.labels[0] if args.labels and len(args.labels) == 1 else args.labels
            path = runs.sample(
                args.run_dir, args.out, args.n, seed=args.seed, labels=labels, direction=args.direction
            )
            print(f"Wrote {path}")
    except (ValueError, ImportError, RuntimeError, TrainingDivergedError) as error:
        print(f"kerasgan {args.command}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        # Disk full, read-only or missing folder, a path that is a file: one
        # line naming the path and the cause; checkpoints are written
        # atomically, so the last one is intact.
        path = error.filename if error.filename is not None else "?"
        cause = error.strerror or str(error)
        print(f"kerasgan {args.command}: error: {path}: {cause}", file=sys.stderr)
        return 1
    return 0


def _write_panel(runs, args):
    """Runs `kerasgan translate`, `upscale` or `inpaint`; returns the path written."""
    given = dict(inputs=args.input, num_samples=args.n)
    if args.command == "translate":
        return runs.translate_run(args.run_dir, args.out, direction=args.direction, **given)
    if args.command == "upscale":
        return runs.upscale_run(args.run_dir, args.out, **given)
    return runs.inpaint_run(args.run_dir, args.out, masks=args.mask, **given)


if __name__ == "__main__":
    sys.exit(main())
