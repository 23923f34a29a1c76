import numpy as np
import pandas as pd
import pytest
from absl.testing import parameterized

from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import sample_weights


class CheckSampleWeightTest(testing.TestCase):
    @parameterized.named_parameters(
        ("list", [1, 2, 0]),
        ("series", pd.Series([1.0, 2.0, 0.0])),
        ("int_array", np.array([1, 2, 0])),
    )
    def test_array_likes_become_float32(self, weights):
        checked = sample_weights.check_sample_weight(weights, 3)
        self.assertEqual(checked.dtype, np.float32)
        self.assertAllClose(checked, [1.0, 2.0, 0.0])

    def test_a_number_weighs_every_row(self):
        self.assertAllClose(
            sample_weights.check_sample_weight(2, 3), [2.0, 2.0, 2.0]
        )

    def test_input_is_not_modified(self):
        weights = np.array([1.0, 3.0], dtype=np.float32)
        sample_weights.scaled_to_mean_one(
            sample_weights.check_sample_weight(weights, 2)
        )
        self.assertAllClose(weights, [1.0, 3.0])

    @parameterized.named_parameters(
        ("too_long", np.ones(4), r"shape \(3,\).*\(4,\)"),
        ("two_dimensional", np.ones((3, 2)), r"shape \(3,\).*\(3, 2\)"),
        ("negative", [1.0, -1.0, 1.0], "(?i)negative"),
        ("all_zero", np.zeros(3), "zero"),
        ("nan", [1.0, np.nan, 1.0], "NaN"),
    )
    def test_invalid_weights(self, weights, message):
        with self.assertRaisesRegex(ValueError, message):
            sample_weights.check_sample_weight(weights, 3)

    def test_scaled_to_mean_one(self):
        scaled = sample_weights.scaled_to_mean_one(np.array([0.0, 2.0, 4.0]))
        self.assertAllClose(scaled, [0.0, 1.0, 2.0])
        self.assertIsNone(sample_weights.scaled_to_mean_one(None))


def _linear(X, y):
    model = models.Sequential([layers.Input((X.shape[1],)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.requires_trainable_backend
class WeightsEqualRepeatsTest(testing.TestCase):
    def test_weight_k_trains_like_k_copies(self):
        # With the whole data in one batch, a weight of k and k copies of
        # the row give the same gradient. Keras divides a batch's weighted
        # loss by its number of rows, so this needs the weights scaled to a
        # mean of 1: unscaled, plain SGD would take steps 1.75 times as long.
        rng = np.random.RandomState(0)
        X = rng.normal(size=(8, 3)).astype("float32")
        y = X @ np.array([1.0, -2.0, 0.5], dtype="float32")
        weights = np.array([0, 1, 2, 3, 0, 4, 1, 3])
        params = {"model": _linear, "epochs": 5, "batch_size": 64}
        weighted = SKLearnRegressor(random_state=0, **params)
        weighted.fit(X, y, sample_weight=weights)
        repeated = SKLearnRegressor(random_state=0, **params)
        repeated.fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
        self.assertAllClose(
            weighted.predict(X), repeated.predict(X), rtol=1e-5, atol=1e-5
        )
