import numpy as np
import pytest

from keras.src import backend
from keras.src import testing
from keras.src.wrappers import tensorflow_input

FLOAT32 = np.dtype("float32")


@pytest.mark.skipif(
    backend.backend() != "tensorflow",
    reason="The wrappers' own input pipeline is for TensorFlow only.",
)
class BatchesTest(testing.TestCase):
    def epoch_orders(self, dataset, epochs=3):
        return [
            np.concatenate([batch[0][:, 0] for batch in dataset]).tolist()
            for _ in range(epochs)
        ]

    def test_each_epoch_a_new_order_repeatable_by_seed(self):
        x = np.arange(12, dtype="float32").reshape(12, 1)
        orders = [
            self.epoch_orders(
                tensorflow_input.batches(x, x, None, FLOAT32, 5, True, 3)
            )
            for _ in range(2)
        ]
        self.assertEqual(orders[0], orders[1])
        first, second, third = orders[0]
        self.assertEqual(sorted(first), list(range(12)))
        self.assertNotEqual(first, second)
        self.assertNotEqual(second, third)

    def test_batches_of_rows_targets_and_weights(self):
        x = np.arange(10, dtype="float32").reshape(10, 1)
        weights = np.arange(10, dtype="float32")
        batches = list(
            tensorflow_input.batches(x, x * 2, weights, FLOAT32, 4, True, 0)
        )
        self.assertEqual([len(b[0]) for b in batches], [4, 4, 2])
        for batch_x, batch_y, batch_weights in batches:
            self.assertAllClose(batch_y, batch_x * 2)
            self.assertAllClose(batch_weights, batch_x[:, 0])

    def test_shuffle_false_keeps_row_order(self):
        x = np.arange(6, dtype="float32").reshape(6, 1)
        dataset = tensorflow_input.batches(x, x, None, FLOAT32, 4, False, None)
        self.assertEqual(
            self.epoch_orders(dataset, epochs=2),
            [[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]] * 2,
        )

    def test_batches_are_cast_to_the_network_dtypes(self):
        x = {"ids": np.arange(6).reshape(6, 1), "values": np.ones((6, 2))}
        dtypes = {"ids": np.dtype("int32"), "values": FLOAT32}
        dataset = tensorflow_input.batches(
            x, np.zeros(6, "float32"), None, dtypes, 4, True, 0
        )
        batch_x, _ = next(iter(dataset))
        self.assertEqual(batch_x["ids"].numpy().dtype, np.int32)
        self.assertEqual(batch_x["values"].numpy().dtype, np.float32)
