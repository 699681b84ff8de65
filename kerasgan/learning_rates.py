"""Learning-rate schedules of the GAN papers, as Keras schedules."""

import keras
from keras import ops

from kerasgan.utils.validation import validate_positive_int


@keras.saving.register_keras_serializable(package="kerasgan")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Constant, then linear down to 0: the schedule of pix2pix and CycleGAN.

    The rate is `initial_learning_rate` for the first `decay_start`
    optimizer iterations, then falls linearly, reaching 0 after
    `decay_steps` more and staying there:
    `initial * (1 - clip((step - decay_start) / decay_steps, 0, 1))`.
    Pass it as an optimizer's `learning_rate`; the optimizer calls it with
    its `iterations`, so a resumed optimizer goes on where it was. CycleGAN
    trains 100 epochs at 2e-4 and 100 decaying: `decay_start` and
    `decay_steps` are each 100 times the steps per epoch.

    Args:
        initial_learning_rate: positive float, the rate before the decay.
        decay_start: optimizer iterations at the constant rate, at least 0.
        decay_steps: iterations the decay to 0 takes, positive.

    Returns:
        Called with a step, a float32 scalar tensor: the rate at that step.

    Example:
        >>> schedule = LinearDecay(2e-4, decay_start=100, decay_steps=100)
        >>> [round(float(schedule(step)), 6) for step in (0, 100, 150, 200, 300)]
        [0.0002, 0.0002, 0.0001, 0.0, 0.0]
        >>> optimizer = keras.optimizers.Adam(learning_rate=schedule, beta_1=0.5)

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017 (sec. 4 and the
        authors' code's "linear" policy); Isola et al., "Image-to-Image
        Translation with Conditional Adversarial Networks", CVPR 2017.
    """

    def __init__(self, initial_learning_rate, decay_start, decay_steps):
        if (
            isinstance(initial_learning_rate, bool)
            or not isinstance(initial_learning_rate, (int, float))
            or not initial_learning_rate > 0
        ):
            raise ValueError(
                f"LinearDecay initial_learning_rate must be a positive number, e.g. 2e-4; received "
                f"{initial_learning_rate!r}."
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_start = validate_positive_int(decay_start, "LinearDecay decay_start", minimum=0)
        self.decay_steps = validate_positive_int(decay_steps, "LinearDecay decay_steps")

    def __call__(self, step):
        step = ops.cast(step, "float32")
        progress = ops.clip((step - float(self.decay_start)) / float(self.decay_steps), 0.0, 1.0)
        return self.initial_learning_rate * (1.0 - progress)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_start": self.decay_start,
            "decay_steps": self.decay_steps,
        }
