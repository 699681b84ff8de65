"""The shipped presets on JAX (`tests/test_presets.py`): each loads offline and generates.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/test_presets.py` runs the same test, they are
marked slow. The default JAX run loads the DCGAN preset. A preset's
weights file is backend-neutral: the same card and file build the same
networks on either backend (the latents of a seed are the backend's own,
so the images differ from TensorFlow's).
"""

import keras
import pytest

from kerasgan import presets
from tests.test_presets import test_a_preset_loads_offline_and_generates_what_its_card_says as loads

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


# The default JAX run loads the DCGAN preset; each further one builds and samples for longer on a CPU.
DEFAULT = "dcgan_fashion_mnist"


@pytest.mark.parametrize(
    "name", [n if n == DEFAULT else pytest.param(n, marks=pytest.mark.slow) for n in presets.available()]
)
def test_a_preset_loads_offline_and_generates_on_jax(name):
    loads(name)
