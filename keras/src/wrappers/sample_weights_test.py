import numpy as np
import pandas as pd
from absl.testing import parameterized

from keras.src import testing
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
