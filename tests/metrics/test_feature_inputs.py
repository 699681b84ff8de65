"""The functions that compare two feature sets check both the same way."""

import numpy as np
import pytest

from kerasgan.metrics import frechet_distance, kernel_inception_distance, precision_recall


@pytest.mark.parametrize("function", [frechet_distance, kernel_inception_distance, precision_recall])
def test_two_set_functions_check_their_features(function):
    good = np.random.default_rng(0).normal(size=(5, 3))
    with pytest.raises(ValueError, match=r"same number of features; received shapes \(5, 3\) and \(5, 4\)"):
        function(good, np.zeros((5, 4)))
    with pytest.raises(ValueError, match="features_a needs at least"):
        function(good[:1], good)
    with pytest.raises(ValueError, match=r"features_b must be a 2-D array .* received shape \(5,\)"):
        function(good, np.zeros(5))
    with pytest.raises(ValueError, match="features_b contains NaN"):
        function(good, np.full((5, 3), np.nan))
    assert np.isfinite(function(good, good + 1.0)).all()
