"""A classifier filter with more than one output is refused by name, not by NumPy."""

import keras
import pytest

from kerasgan.augment import synthetic_dataset


def test_a_classifier_with_two_outputs_is_refused_with_its_output_shapes(tiny_cgan):
    inputs = keras.Input((28, 28, 1))
    flat = keras.layers.Flatten()(inputs)
    probabilities = keras.layers.Dense(2, activation="softmax")(flat)
    realness = keras.layers.Dense(1, activation="sigmoid")(flat)
    two_outputs = keras.Model(inputs, [probabilities, realness])
    with pytest.raises(ValueError, match=r"2 outputs of shapes \[\(\d+, 2\), \(\d+, 1\)\].*outputs\[0\]"):
        synthetic_dataset(tiny_cgan, 2, seed=0, classifier=two_outputs)
