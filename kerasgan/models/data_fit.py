"""`LearnsFromNamedData`: which named data sets an image-to-image model learns from."""

from kerasgan.data.catalog import available, get_spec
from kerasgan.models.registry import variants_of


class LearnsFromNamedData:
    """Mixin of the image-to-image task: checks a named data set and reads the model's options from it.

    `kerasgan train VARIANT --dataset NAME` asks the variant whether it can
    learn from the data (`data_mismatch`) and builds it with the options the
    data implies (`options_for_data`). A task that learns from other data
    (super-resolution pairs, plain images) overrides `data_mismatch` and
    `data_options`.
    """

    @classmethod
    def data_mismatch(cls, spec):
        """Why this model cannot learn from a named data set, or None when it can.

        The default, CycleGAN's: pairs of images, paired or unpaired, whose
        sources and targets have one shape. A task that learns from other
        data (super-resolution pairs, plain images) overrides it.

        Args:
            spec: a `kerasgan.data.catalog.DatasetSpec`.

        Returns:
            None, or a sentence saying what does not fit.

        Example:
            >>> from kerasgan.data.catalog import get_spec
            >>> kerasgan.CycleGAN.data_mismatch(get_spec("fashion_mnist_sneaker_sandal")) is None
            True
            >>> print(kerasgan.CycleGAN.data_mismatch(get_spec("fashion_mnist")))
            CycleGAN translates images and trains on pairs of images, but 'fashion_mnist' yields
            single images.
        """
        if spec.pairing is None:
            return (
                f"{cls.__name__} translates images and trains on pairs of images, but {spec.name!r} yields "
                "single images."
            )
        if spec.source_shape != spec.image_shape:
            return (
                f"{cls.__name__} translates images into images of their own shape, but {spec.name!r} pairs "
                f"sources of {spec.source_shape} with targets of {spec.image_shape}."
            )
        return None

    @classmethod
    def data_options(cls, spec):
        """The constructor options taken from a data set that fits: `{"image_shape": ...}` here.

        Args:
            spec: a `kerasgan.data.catalog.DatasetSpec` the model learns from.

        Returns:
            Dict of constructor arguments; `options_for_data` checks the
            data first.
        """
        return {"image_shape": spec.image_shape}

    @classmethod
    def options_for_data(cls, spec):
        """The constructor options of a model that learns from a named data set, which must fit it.

        What `kerasgan train VARIANT --dataset NAME` builds the model with
        (`kerasgan.runs.train`): the image shape, and what else the task
        reads from the data (SRGAN's `scale`). The data set must be of the
        kind the task learns from (`data_mismatch`).

        Args:
            spec: a `kerasgan.data.catalog.DatasetSpec`, e.g.
                `kerasgan.data.catalog.get_spec("fashion_mnist_edges")`.

        Returns:
            Dict of constructor arguments.

        Raises:
            ValueError: data the model cannot learn from; the message names
                the data sets that fit it.

        Example:
            >>> from kerasgan.data.catalog import get_spec
            >>> kerasgan.Pix2Pix.options_for_data(get_spec("fashion_mnist_edges"))
            {'image_shape': (32, 32, 1)}
            >>> kerasgan.SRGAN.options_for_data(get_spec("fashion_mnist_sr4"))
            {'image_shape': (28, 28, 1), 'scale': 4, 'perceptual_network': 'fashion_mnist'}
        """
        reason = cls.data_mismatch(spec)
        if reason is not None:
            variants = variants_of(LearnsFromNamedData).items()
            others = [name for name, other in variants if not other.data_mismatch(spec)]
            instead = f" Image-to-image variants that learn from {spec.name!r}: {others}." if others else ""
            raise ValueError(
                f"{reason} Choose a data set that {cls.__name__} learns from: {cls.fitting_data()}.{instead}"
            )
        return cls.data_options(spec)

    @classmethod
    def fitting_data(cls):
        """The names of the data sets in `kerasgan.data.available()` this model learns from, in order.

        Returns:
            A list of names, those for which `data_mismatch` is None.

        Example:
            >>> kerasgan.SRGAN.fitting_data()
            ['fashion_mnist_sr2', 'fashion_mnist_sr4', 'div2k_x2', 'div2k_x4']
        """
        return [name for name in available() if cls.data_mismatch(get_spec(name)) is None]
