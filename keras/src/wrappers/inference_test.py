import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse
from packaging.version import parse as parse_version

from keras.src import backend
from keras.src import layers
from keras.src import models
from keras.src import ops
from keras.src import testing
from keras.src import version
from keras.src.wrappers import inference
from keras.src.wrappers import inputs

FLOAT32 = np.dtype("float32")


class AddBatchSize(layers.Layer):
    """Adds 1e-3 x the number of rows in the call: rows depend on the
    batch shape, as with kernels that round differently per shape."""

    def call(self, x):
        return x + ops.cast(ops.shape(x)[0], x.dtype) * 1e-3

    def compute_output_shape(self, input_shape):
        return input_shape


def small_model():
    return models.Sequential(
        [layers.Input((5,)), layers.Dense(7), layers.Dense(2)]
    )


def jax_predict_keeps_buffers():
    """Whether JAX's `predict_on_batch` leaves the model's buffers alive."""
    model = small_model()
    x = np.ones((2, 5), "float32")
    model.predict_on_batch(x)
    before = model.variables[0].value
    model.predict_on_batch(x)
    return not before.is_deleted()


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
        if backend.backend() == "jax" and not jax_predict_keeps_buffers():
            self.skipTest(
                "JAX's predict donates the model's buffers, so concurrent "
                "calls fail ('Buffer has been deleted or donated') without "
                "the Keras fix 'JAX trainer: make predict and "
                "predict_on_batch thread-safe'."
            )
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


class BulkCallTest(testing.TestCase):
    """A large X goes in calls of many batches (here 4 batches of 8 rows,
    from `bulk_input_bytes`), and its rows keep single batches' bits."""

    BULK_BYTES = 4 * 8 * 5 * 4  # 4 batches of 8 rows of 5 float32

    def test_bulk_rows_equal_single_row_calls(self):
        model = small_model()
        predictor = inference.BatchPredictor(model, self.BULK_BYTES)
        # 3 bulk calls of 32 rows, then 14 rows in a padded one.
        X = np.random.default_rng(0).normal(size=(110, 5)).astype("float32")
        whole = predictor(X, 8, FLOAT32)
        for i in range(len(X)):
            single = predictor(X[i : i + 1], 8, FLOAT32)
            self.assertAllClose(single[0], whole[i], atol=0, rtol=0)
        self.assertAllClose(whole, model.predict(X, verbose=0), atol=1e-5)

    def test_model_whose_rows_depend_on_the_call_keeps_single_batches(self):
        model = models.Sequential(
            [layers.Input((5,)), layers.Dense(2), AddBatchSize()]
        )
        predictor = inference.BatchPredictor(model, self.BULK_BYTES)
        X = np.random.default_rng(1).normal(size=(40, 5)).astype("float32")
        for _ in range(2):  # the check's verdict is kept
            whole = predictor(X, 8, FLOAT32)
            for i in (0, 17, 31, 39):
                single = predictor(X[i : i + 1], 8, FLOAT32)
                self.assertAllClose(single[0], whole[i], atol=0, rtol=0)

    def test_dict_inputs_and_several_outputs_in_bulk(self):
        table = layers.Input((3,), name="table")
        extra = layers.Input((2,), name="extra")
        joined = layers.Concatenate()([table, extra])
        model = models.Model(
            {"table": table, "extra": extra},
            {"b": layers.Dense(1)(joined), "a": layers.Dense(3)(joined)},
        )
        rng = np.random.default_rng(2)
        X = inputs.InputDict(
            table=rng.normal(size=(44, 3)).astype("float32"),
            extra=rng.normal(size=(44, 2)).astype("float32"),
        )
        dtypes = {"table": FLOAT32, "extra": FLOAT32}
        got = inference.BatchPredictor(model, self.BULK_BYTES)(X, 8, dtypes)
        expected = model.predict_on_batch(dict(X))
        self.assertEqual(got.shape, (44, 4))
        self.assertAllClose(got[:, :3], expected["a"], atol=1e-6)
        self.assertAllClose(got[:, 3:], expected["b"], atol=1e-6)
        for i in (5, 30, 40):  # in the first bulk call, the last, the tail
            single = inference.BatchPredictor(model)(X[[i]], 8, dtypes)
            self.assertAllClose(single[0], got[i], atol=0, rtol=0)


def traced_peak(function, *args):
    """`function(*args)`'s peak of memory traced by `tracemalloc`, to which
    NumPy reports its allocations."""
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class MemoryTest(testing.TestCase):
    @pytest.mark.skipif(
        backend.backend() == "torch"
        and parse_version(version.version()) < parse_version("3.16.0.dev0"),
        reason="Keras 3.15's `tree.flatten` on torch keeps every structure "
        "it flattens alive, so each predict batch stays in memory (fixed in "
        "Keras 3.16's `torchtree_impl.py`).",
    )
    def test_large_predict_batches_densify_one_batch_at_a_time(self):
        # 16,384 rows of 1,000 sparse features: 62.5 MiB dense, 7.8 MiB in
        # each batch of 2,048 rows.
        n_rows, n_features, batch_size = 16384, 1000, 2048
        X = scipy.sparse.random(
            n_rows, n_features, density=0.01, format="csr", random_state=0
        ).astype("float32")
        model = models.Sequential(
            [layers.Input((n_features,)), layers.Dense(2)]
        )
        predictor = inference.BatchPredictor(model)
        # Compiles, and makes the first bulk call, which checks itself
        # against single batches once; the peaks below are every call's.
        predictor(X, batch_size, FLOAT32)
        one = traced_peak(predictor, X[:batch_size], batch_size, FLOAT32)
        eight = traced_peak(predictor, X, batch_size, FLOAT32)
        # Eight batches made dense at once would need seven more than one
        # batch does. JAX, which runs calls asynchronously, may still hold
        # an earlier batch or two while the next is made dense.
        dense_batch = batch_size * n_features * 4
        self.assertLess(eight, one + 3 * dense_batch)
        self.assertAllClose(
            predictor(X, batch_size, FLOAT32),
            model.predict(X.toarray(), verbose=0),
            atol=1e-5,
        )
