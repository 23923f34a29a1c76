from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from keras.src import backend
from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import inference

FLOAT32 = np.dtype("float32")


def small_model():
    return models.Sequential(
        [layers.Input((5,)), layers.Dense(7), layers.Dense(2)]
    )


class BatchPredictorTest(testing.TestCase):
    def test_rows_do_not_depend_on_batching(self):
        model = small_model()
        predictor = inference.BatchPredictor(model)
        X = np.random.RandomState(0).normal(size=(23, 5)).astype("float32")
        whole = predictor(X, 8, FLOAT32)
        self.assertEqual(whole.shape, (23, 2))
        for i in (0, 7, 22):
            single = predictor(X[i : i + 1], 8, FLOAT32)
            self.assertAllClose(single[0], whole[i], atol=0, rtol=0)
        self.assertAllClose(whole, model.predict(X, verbose=0), atol=1e-5)

    @pytest.mark.skipif(
        backend.backend() == "openvino",
        reason="OpenVINO compiles a model once with its weights as "
        "constants, so it does not see weights assigned afterwards.",
    )
    def test_sees_weights_changed_after_creation(self):
        model = small_model()
        predictor = inference.BatchPredictor(model)
        X = np.ones((3, 5), "float32")
        before = predictor(X, 4, FLOAT32)
        kernel = model.layers[-1].kernel
        kernel.assign(kernel.numpy() * 2.0)
        self.assertAllClose(
            predictor(X, 4, FLOAT32), model.predict(X, verbose=0)
        )
        self.assertNotAllClose(predictor(X, 4, FLOAT32), before)

    @pytest.mark.skipif(
        backend.backend() == "openvino",
        reason="OpenVINO's compiled model serves one inference request at "
        "a time (RuntimeError: Infer Request is busy).",
    )
    def test_concurrent_calls_equal_serial_calls(self):
        # Before JAX's `predict_on_batch` stopped donating the model's
        # buffers, this failed with "Buffer has been deleted or donated".
        predictor = inference.BatchPredictor(small_model())
        rng = np.random.RandomState(0)
        chunks = [
            rng.normal(size=(n, 5)).astype("float32") for n in (1, 9, 40, 3)
        ]
        serial = [predictor(chunk, 8, FLOAT32) for chunk in chunks]
        with ThreadPoolExecutor(4) as pool:
            concurrent = list(
                pool.map(lambda c: predictor(c, 8, FLOAT32), chunks * 8)
            )
        for got, expected in zip(concurrent, serial * 8):
            self.assertAllClose(got, expected, atol=0, rtol=0)

    def test_several_outputs_side_by_side_in_tree_order(self):
        inputs = layers.Input((5,))
        heads = {
            "b": layers.Dense(1)(inputs),
            "a": layers.Dense(3)(inputs),
        }
        model = models.Model(inputs, heads)
        X = np.random.default_rng(0).normal(size=(6, 5)).astype("float32")
        expected = model.predict_on_batch(X)
        got = inference.BatchPredictor(model)(X, 4, FLOAT32)
        self.assertEqual(got.shape, (6, 4))
        self.assertAllClose(got[:, :3], expected["a"])
        self.assertAllClose(got[:, 3:], expected["b"])
