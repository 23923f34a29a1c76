import mmap
import pickle

import numpy as np
import pandas as pd
import scipy.sparse
from sklearn.base import BaseEstimator
from sklearn.model_selection import KFold
from sklearn.model_selection import train_test_split

from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import inputs
from keras.src.wrappers.inputs import InputDict

FLOAT32 = np.dtype("float32")


def two_inputs():
    rng = np.random.RandomState(0)
    return InputDict(
        image=rng.normal(size=(10, 4, 4, 1)),
        tabular=np.arange(30).reshape(10, 3),
    )


def two_input_model():
    image = layers.Input((4, 4, 1), name="image")
    tabular = layers.Input((3,), name="tabular", dtype="int32")
    features = layers.Concatenate()(
        [layers.Flatten()(image), layers.Flatten()(tabular)]
    )
    return models.Model(
        {"image": image, "tabular": tabular}, layers.Dense(1)(features)
    )


class InputDictTest(testing.TestCase):
    def test_scikit_learn_splits_it_by_rows(self):
        X = two_inputs()
        train, test = train_test_split(X, test_size=3, random_state=0)
        self.assertIsInstance(train, InputDict)
        self.assertEqual(train.shape, (7,))
        self.assertEqual(test["image"].shape, (3, 4, 4, 1))
        rows = sorted(test["tabular"][:, 0] // 3)
        self.assertAllClose(
            test["image"],
            X["image"][np.sort(rows)][
                np.argsort(np.argsort(test["tabular"][:, 0]))
            ],
        )
        for train_rows, test_rows in KFold(2).split(X):
            self.assertAllClose(
                X[test_rows]["tabular"], X["tabular"][test_rows]
            )

    def test_indexing_by_a_name_returns_that_input(self):
        X = two_inputs()
        self.assertIs(X["image"], dict.__getitem__(X, "image"))
        self.assertEqual(X[2:4]["tabular"].tolist(), [[6, 7, 8], [9, 10, 11]])

    def test_pickles_as_an_input_dict(self):
        X = two_inputs()
        restored = pickle.loads(pickle.dumps(X))
        self.assertIsInstance(restored, InputDict)
        self.assertAllClose(restored["image"], X["image"])
        with self.assertRaises(KeyError):
            X["table"]

    def test_unequal_lengths_name_every_input(self):
        X = InputDict(a=np.zeros((3, 1)), b=np.zeros((4, 1)))
        with self.assertRaisesRegex(ValueError, "'a': 3, 'b': 4"):
            X.shape


class ModelInputsTest(testing.TestCase):
    def test_missing_and_extra_keys_are_named(self):
        X = InputDict(image=np.zeros((2, 4, 4, 1)), table=np.zeros((2, 3)))
        with self.assertRaisesRegex(
            ValueError, r"Missing: \['tabular'\]. Not among them: \['table'\]"
        ):
            inputs.check_model_inputs(two_input_model(), X)

    def test_an_array_for_a_two_input_model_is_refused(self):
        with self.assertRaisesRegex(ValueError, "has 2 inputs"):
            inputs.check_model_inputs(two_input_model(), np.zeros((2, 3)))

    def test_each_input_takes_the_dtype_it_declares(self):
        dtypes = inputs.network_dtypes(two_input_model(), two_inputs())
        self.assertEqual(dtypes, {"image": FLOAT32, "tabular": np.int32})
        batch = inputs.network_batch(two_inputs(), slice(0, 2), dtypes)
        self.assertEqual(batch["tabular"].dtype, np.int32)
        self.assertEqual(batch["image"].dtype, np.float32)

    def test_undeclared_inputs_keep_integers_and_make_floats_floatx(self):
        subclassed = models.Model  # No symbolic inputs before it is called.
        self.assertIsNone(inputs.model_inputs(subclassed()))
        ids = np.zeros((2, 3), "int64")
        self.assertEqual(inputs.network_dtypes(subclassed(), ids), np.int64)
        self.assertEqual(
            inputs.network_dtypes(subclassed(), ids.astype(float)), FLOAT32
        )


class NetworkBatchTest(testing.TestCase):
    def test_sparse_rows_are_densified_one_batch_at_a_time(self):
        dense = np.eye(5)
        batch = inputs.network_batch(
            scipy.sparse.csr_matrix(dense), slice(3, 5), FLOAT32, pad_to=4
        )
        self.assertEqual(batch.dtype, np.float32)
        self.assertAllClose(
            batch, np.concatenate([dense[3:5], np.zeros((2, 5))])
        )

    def test_read_only_memmap_pages_are_given_back(self):
        path = self.get_temp_dir() + "/x.npy"
        np.save(path, np.arange(4096 * 64, dtype="float32").reshape(64, -1))
        X = np.load(path, mmap_mode="r")
        # Scattered rows, gathered a few at a time with releases between.
        rows = np.arange(1, 64, 3)
        batch = inputs.network_batch(X, rows, FLOAT32)
        # After the release the map still reads right (from the page cache).
        self.assertAllClose(batch, np.array(X)[rows])
        self.assertTrue(inputs.is_mapped(X))
        self.assertFalse(inputs.is_mapped(np.array(X)))

    def test_wide_memmap_rows_are_validated_by_bytes(self):
        # Images of 96x96x3 float32, 108 KB a row: at most `CHUNK_BYTES` of
        # them are read and checked at once, however wide the rows.
        path = self.get_temp_dir() + "/images.npy"
        np.save(path, np.ones((100, 96, 96, 3), dtype="float32"))
        X = np.load(path, mmap_mode="r")
        checked = []

        def check(chunk, **kwargs):
            checked.append(chunk.nbytes)
            return np.asarray(chunk)

        self.assertIs(inputs._checked(X, check), X)
        self.assertLessEqual(max(checked), inputs.CHUNK_BYTES)
        self.assertEqual(sum(checked), X.nbytes)

    def test_memmap_reads_where_pages_cannot_be_given_back(self):
        # As on Windows, whose `mmap` module has no `MADV_DONTNEED`.
        path = self.get_temp_dir() + "/x.npy"
        np.save(path, np.arange(64, dtype="float32").reshape(16, 4))
        X = np.load(path, mmap_mode="r")
        saved = getattr(mmap, "MADV_DONTNEED", None)
        if saved is not None:
            del mmap.MADV_DONTNEED
        try:
            batch = inputs.network_batch(X, np.array([1, 5]), FLOAT32)
        finally:
            if saved is not None:
                mmap.MADV_DONTNEED = saved
        self.assertAllClose(batch, X[[1, 5]])


class RowBatchesTest(testing.TestCase):
    def make(self, seed, shuffle=True):
        x = np.arange(10, dtype="float64").reshape(10, 1)
        return inputs.RowBatches(
            x, np.arange(10), None, FLOAT32, 4, shuffle, seed
        )

    def epoch(self, batches):
        rows = [batches[i][1] for i in range(len(batches))]
        batches.on_epoch_end()
        return np.concatenate(rows)

    def test_every_epoch_has_every_row_once_in_a_new_order(self):
        batches = self.make(seed=0)
        self.assertLen(batches, 3)
        first, second = self.epoch(batches), self.epoch(batches)
        self.assertEqual(sorted(first), list(range(10)))
        self.assertEqual(sorted(second), list(range(10)))
        self.assertNotEqual(first.tolist(), second.tolist())
        x, y = self.make(seed=0)[0]
        self.assertEqual(x.dtype, np.float32)
        self.assertAllClose(x[:, 0], y)

    def test_a_seed_fixes_the_orders_without_global_random_state(self):
        np.random.seed(1)
        state = np.random.get_state()[1].copy()
        one, two = self.make(seed=3), self.make(seed=3)
        self.assertEqual(self.epoch(one).tolist(), self.epoch(two).tolist())
        self.assertEqual(self.epoch(one).tolist(), self.epoch(two).tolist())
        self.assertAllClose(np.random.get_state()[1], state)

    def test_without_shuffle_rows_stay_in_order(self):
        self.assertEqual(
            self.epoch(self.make(seed=0, shuffle=False)).tolist(),
            list(range(10)),
        )


class ValidateTest(testing.TestCase):
    """`validate` on a bare scikit-learn estimator, as `fit` and `predict`
    call it: `reset=True` records the rows' shape, later calls check it."""

    def test_fit_records_the_row_shape_and_predict_checks_it(self):
        estimator = BaseEstimator()
        images = np.zeros((10, 8, 8, 1), dtype="float32")
        X, y = inputs.validate(estimator, images, np.arange(10), reset=True)
        self.assertIs(X, images)
        self.assertAllEqual(y, np.arange(10))
        self.assertEqual(estimator.input_shape_, (8, 8, 1))
        self.assertEqual(estimator.n_features_in_, 8)
        for rows in (np.zeros((10, 64)), np.zeros((10, 8, 8, 3))):
            with self.assertRaisesRegex(
                ValueError, r"fitted on rows of shape \(8, 8, 1\)"
            ):
                inputs.validate(estimator, rows)

    def test_values_float32_cannot_hold_are_refused(self):
        with self.assertRaisesRegex(ValueError, "too large.*float32"):
            inputs.validate(
                BaseEstimator(), np.full((3, 2), 1e39), np.arange(3), True
            )

    def test_column_names_are_recorded(self):
        estimator = BaseEstimator()
        frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
        inputs.validate(estimator, frame, np.arange(2), reset=True)
        self.assertAllEqual(estimator.feature_names_in_, ["a", "b"])

    def test_a_dict_records_each_input_and_checks_the_names(self):
        estimator = BaseEstimator()
        X, _ = inputs.validate(
            estimator, dict(two_inputs()), np.arange(10), reset=True
        )
        self.assertIsInstance(X, InputDict)
        self.assertEqual(
            estimator.input_shape_, {"image": (4, 4, 1), "tabular": (3,)}
        )
        self.assertFalse(hasattr(estimator, "n_features_in_"))
        with self.assertRaisesRegex(ValueError, r"Missing: \['tabular'\]"):
            inputs.validate(estimator, {"image": X["image"]})
