"""The presets shipped with kerasgan: trained generators with their model cards, offline.

Each preset is a folder here named after it, with `card.json` (its model
card) and `<name>.weights.h5` (generator and EMA generator weights only).
`PRESETS` maps each name to its card; `describe()` prints them; a model
is built with `kerasgan.GAN.from_preset(name)` (or the card's variant,
e.g. `kerasgan.DCGAN.from_preset(name)`). Presets are trained and written
by `scripts/train_presets.py`; every image they generate is synthetic.
"""

import json
import os

PRESETS_DIR = os.path.dirname(os.path.abspath(__file__))
CARD_FILENAME = "card.json"


def _read_cards(root):
    cards = {}
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, CARD_FILENAME)
        if os.path.isfile(path):
            with open(path) as file:
                cards[name] = json.load(file)
    return cards


# name -> model card (a dict read from the preset's card.json).
PRESETS = _read_cards(PRESETS_DIR)


def available():
    """The names of the shipped presets, sorted.

    Returns:
        A list of strings.

    Example:
        >>> import kerasgan
        >>> "dcgan_fashion_mnist" in kerasgan.presets.available()
        True
    """
    return sorted(PRESETS)


def get_card(name):
    """The model card of a preset.

    Args:
        name: a preset name, e.g. `"dcgan_fashion_mnist"`.

    Returns:
        The card: a dict with `variant`, `config`, `dataset`, `budget`,
        `command`, `seed`, `scores`, `scores_command`, `synthetic` and
        `data_license`, among others.

    Raises:
        ValueError: an unknown name; the message lists the presets.

    Example:
        >>> import kerasgan
        >>> kerasgan.presets.get_card("dcgan_fashion_mnist")["variant"]
        'dcgan'
    """
    if name not in PRESETS:
        raise ValueError(f"Unknown preset {name!r}. The presets shipped with kerasgan are {available()}.")
    return PRESETS[name]


def weights_path(name):
    """The path of a preset's `.weights.h5` file (generator and EMA generator).

    Args:
        name: a preset name.

    Returns:
        The file's path inside the installed package.

    Raises:
        ValueError: an unknown name.

    Example:
        >>> import kerasgan
        >>> kerasgan.presets.weights_path("dcgan_fashion_mnist").endswith("dcgan_fashion_mnist.weights.h5")
        True
    """
    get_card(name)
    return os.path.join(PRESETS_DIR, name, f"{name}.weights.h5")


def summary_rows(names=None):
    """One row per preset: name, variant, data set, epochs and scores.

    Args:
        names: preset names, or None for all.

    Returns:
        A list of dicts with `name`, `variant`, `dataset`, `epochs`, `fid`,
        `kid`, `precision`, `recall` (None where the card lacks a score).

    Example:
        >>> import kerasgan
        >>> [row["variant"] for row in kerasgan.presets.summary_rows(["dcgan_fashion_mnist"])]
        ['dcgan']
    """
    rows = []
    for name in available() if names is None else names:
        card = get_card(name)
        scores = card.get("scores", {})
        rows.append(
            {
                "name": name,
                "variant": card["variant"],
                "dataset": card["dataset"],
                "epochs": card["budget"]["epochs"],
                **{key: scores.get(key) for key in ("fid", "kid", "precision", "recall")},
            }
        )
    return rows


def describe(name=None, file=None):
    """Prints a table of the presets, or one preset's model card.

    Args:
        name: None for the table of all presets, or a preset name for its
            whole card.
        file: where to print; defaults to standard output.

    Returns:
        The text printed.

    Raises:
        ValueError: an unknown name.

    Example:
        >>> import kerasgan
        >>> text = kerasgan.presets.describe()  # doctest: +ELLIPSIS
        name ...
    """
    if name is not None:
        card = get_card(name)
        lines = [f"{name}: {card.get('description', '')}"]
        lines += [f"  {key}: {json.dumps(value)}" for key, value in card.items() if key != "description"]
        text = "\n".join(lines)
    else:
        header = ("name", "variant", "dataset", "epochs", "fid", "kid", "precision", "recall")
        cells = [header]
        for row in summary_rows():
            cells.append(
                tuple(
                    "-" if row[k] is None else f"{row[k]:.4g}" if isinstance(row[k], float) else str(row[k])
                    for k in header
                )
            )
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        text = "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)
    print(text, file=file)
    return text
