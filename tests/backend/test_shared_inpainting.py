"""InpaintingGAN and its mask samplers (`tests/models/test_inpainting.py`, `test_masks.py`), on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
The default JAX run trains one mask kind and checks the known pixels of
another; each further model check compiles for half a minute or more on a
CPU and runs with the slow tests.
"""

import keras
import pytest

from tests.models.test_inpainting import images  # noqa: F401  (its fixture)
from tests.models.test_inpainting import test_inpaint_never_changes_a_known_pixel as known_pixels
from tests.models.test_inpainting import test_keras_file_round_trip_resumes_exactly as round_trip
from tests.models.test_inpainting import (
    test_trains_on_plain_images_each_phase_touching_only_its_networks as trains,
)
from tests.models.test_masks import (  # noqa: F401  (collected here too)
    test_a_stroke_stays_near_its_segment_and_varies,
    test_one_rectangle_is_whole_inside_the_image_and_within_its_sizes,
    test_one_seed_draws_the_same_masks_and_a_seed_generator_moves_on,
    test_samplers_round_trip_through_their_config,
    test_several_rectangles_cover_at_most_their_largest_area,
    test_the_centre_hole_is_the_middle_half_of_every_image,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["rectangles", "centre"])
def test_inpainting_trains_each_phase_touching_only_its_networks_on_jax(kind, fashion_mnist_sample):
    trains(kind, fashion_mnist_sample)


@pytest.mark.parametrize(
    "kind",
    [
        "strokes",
        pytest.param("centre", marks=pytest.mark.slow),
        pytest.param("rectangles", marks=pytest.mark.slow),
    ],
)
def test_inpaint_never_changes_a_known_pixel_on_jax(kind, images):  # noqa: F811
    known_pixels(kind, images)


@pytest.mark.slow
def test_inpainting_keras_file_round_trip_resumes_exactly_on_jax(images, tmp_path):  # noqa: F811
    round_trip(images, tmp_path)
