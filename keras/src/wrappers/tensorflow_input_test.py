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
class FeedArraysTest(testing.TestCase):
    def epoch_orders(self, dataset, epochs=3):
        return [
            np.concatenate([batch[0][:, 0] for batch in dataset]).tolist()
            for _ in range(epochs)
        ]

    def test_each_epoch_a_new_order_repeatable_by_seed(self):
        x = np.arange(12, dtype="float32").reshape(12, 1)
        orders = [
            self.epoch_orders(
                tensorflow_input.feed_arrays(
                    {"batch_size": 5}, x, x, None, 3, FLOAT32
                )["x"]
            )
            for _ in range(2)
        ]
        self.assertEqual(orders[0], orders[1])
        first, second, third = orders[0]
        self.assertEqual(sorted(first), list(range(12)))
        self.assertNotEqual(first, second)
        self.assertNotEqual(second, third)

    def test_arguments_for_model_fit(self):
        x = np.arange(10, dtype="float32").reshape(10, 1)
        weights = np.ones(10, "float32")
        validation = (x[:4], x[:4])
        arguments = tensorflow_input.feed_arrays(
            {"batch_size": 4, "shuffle": True, "validation_data": validation},
            x,
            x,
            weights,
            0,
            FLOAT32,
        )
        self.assertNotIn("batch_size", arguments)
        # The dataset shuffles itself; Model.fit must not try to.
        self.assertFalse(arguments["shuffle"])
        batches = list(arguments["x"])
        self.assertEqual([len(b[0]) for b in batches], [4, 4, 2])
        self.assertLen(batches[0], 3)
        self.assertEqual(
            self.epoch_orders(arguments["validation_data"], epochs=1),
            [[0.0, 1.0, 2.0, 3.0]],
        )

    def test_shuffle_false_keeps_row_order(self):
        x = np.arange(6, dtype="float32").reshape(6, 1)
        arguments = tensorflow_input.feed_arrays(
            {"batch_size": 4, "shuffle": False}, x, x, None, None, FLOAT32
        )
        self.assertEqual(
            self.epoch_orders(arguments["x"], epochs=2),
            [[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]] * 2,
        )

    def test_batches_are_cast_to_the_network_dtypes(self):
        x = {"ids": np.arange(6).reshape(6, 1), "values": np.ones((6, 2))}
        dtypes = {"ids": np.dtype("int32"), "values": FLOAT32}
        arguments = tensorflow_input.feed_arrays(
            {"batch_size": 4}, x, np.zeros(6, "float32"), None, 0, dtypes
        )
        batch_x, _ = next(iter(arguments["x"]))
        self.assertEqual(batch_x["ids"].numpy().dtype, np.int32)
        self.assertEqual(batch_x["values"].numpy().dtype, np.float32)
