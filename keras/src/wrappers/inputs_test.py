import mmap
import pickle

import numpy as np
import pytest
import scipy.sparse
from sklearn.datasets import load_digits
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import KFold
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import cross_validate
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from keras.src import layers
from keras.src import models
from keras.src import ops
from keras.src import testing
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnRegressor
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
        batch = inputs.network_batch(X, np.array([1, 5]), FLOAT32)
        # After the release the map still reads right (from the page cache).
        self.assertAllClose(batch[1], X[5])
        self.assertTrue(inputs.is_mapped(X))
        self.assertFalse(inputs.is_mapped(np.array(X)))

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


def small_table(n_rows=40):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_rows, 3))
    return X, (X[:, 0] > 0).astype(int)


TINY = {"model__hidden_layer_sizes": (4,), "epochs": 1, "random_state": 0}
TOO_LARGE = r"too large for dtype\('float32'\)"


@pytest.mark.requires_trainable_backend
class ValidationTest(testing.TestCase):
    def test_values_float32_cannot_hold_are_refused(self):
        X, y = small_table()
        large = X.copy()
        large[5, 1] = 1e39
        for form in (large, scipy.sparse.csr_matrix(large)):
            with self.assertRaisesRegex(ValueError, TOO_LARGE):
                SKLearnClassifier(**TINY).fit(form, y)
        clf = SKLearnClassifier(**TINY).fit(X, y)
        with self.assertRaisesRegex(ValueError, TOO_LARGE):
            clf.predict(large)
        with self.assertRaisesRegex(ValueError, "Input X contains NaN"):
            clf.predict(np.where(large > 1e38, np.nan, large))

    def test_text_in_X_gets_an_actionable_error(self):
        X, y = small_table()
        text = X.astype(str)
        with self.assertRaisesRegex(ValueError, "holds text.*OneHotEncoder"):
            SKLearnRegressor(**TINY).fit(text, y)
        reg = SKLearnRegressor(**TINY).fit(X, y)
        with self.assertRaisesRegex(ValueError, "holds text"):
            reg.predict(text)

    def test_every_form_of_the_same_rows_predicts_the_same(self):
        X, y = small_table()
        clf = SKLearnClassifier(**TINY).fit(X, y)
        expected = clf.predict_proba(X)
        path = self.get_temp_dir() + "/x.npy"
        np.save(path, X)
        for form in (
            X.astype("float32"),
            X.tolist(),
            scipy.sparse.csr_matrix(X),
            np.load(path, mmap_mode="r"),
        ):
            self.assertAllClose(clf.predict_proba(form), expected, atol=1e-6)

    def test_dict_inputs_are_checked_by_name(self):
        X = InputDict(image=np.zeros((40, 4, 4, 1)), table=small_table()[0])
        y = small_table()[1]
        clf = SKLearnClassifier(
            model=build_image_and_table, epochs=1, random_state=0
        )
        bad = InputDict(X, image=np.full((40, 4, 4, 1), np.nan))
        with self.assertRaisesRegex(ValueError, r"X\['image'\] contains NaN"):
            clf.fit(bad, y)
        clf.fit(X, y)
        self.assertFalse(hasattr(clf, "n_features_in_"))
        with self.assertRaisesRegex(
            ValueError, r"Input 'image' of X has rows of shape \(4, 4\)"
        ):
            clf.predict(InputDict(X, image=np.zeros((40, 4, 4))))
        with self.assertRaisesRegex(ValueError, "fitted on a dict of inputs"):
            clf.predict(X["table"])


def digit_images(n_rows=400):
    X, y = load_digits(return_X_y=True)
    return (X[:n_rows] / 16).reshape(-1, 8, 8, 1), y[:n_rows]


def build_cnn(X, y, filters=8):
    images = layers.Input(X.shape[1:])
    features = layers.Conv2D(filters, 3, activation="relu")(images)
    features = layers.Flatten()(features)
    outputs = layers.Dense(y.shape[1], activation="softmax")(features)
    return models.Model(images, outputs)


def build_gru(X, y):
    steps = layers.Input(X.shape[1:])
    outputs = layers.Dense(y.shape[1], activation="softmax")(
        layers.GRU(8)(steps)
    )
    return models.Model(steps, outputs)


def build_conv1d(X, y):
    steps = layers.Input(X.shape[1:])
    features = layers.GlobalAveragePooling1D()(layers.Conv1D(8, 3)(steps))
    return models.Model(steps, layers.Dense(y.shape[1])(features))


def build_parity_embedding(X, y):
    # Token ids above 2**24, whose parity float32 cannot represent.
    ids = layers.Input(X.shape[1:], dtype="int32")
    parity = layers.Embedding(2, 4)(ops.mod(ids, 2))
    outputs = layers.Dense(y.shape[1], activation="softmax")(
        layers.Flatten()(parity)
    )
    return models.Model(ids, outputs)


def build_image_and_table(X, y):
    image = layers.Input(X["image"].shape[1:], name="image")
    table = layers.Input(X["table"].shape[1:], name="table")
    features = layers.Concatenate()([layers.Flatten()(image), table])
    hidden = layers.Dense(16, activation="relu")(features)
    outputs = layers.Dense(y.shape[1], activation="softmax")(hidden)
    return models.Model({"image": image, "table": table}, outputs)


# Few epochs, so a higher learning rate than Adam's default.
FAST = {"optimizer__learning_rate": 0.01, "random_state": 0}


@pytest.mark.requires_trainable_backend
class EstimatorsOnAnyDataTest(testing.TestCase):
    def test_image_cnn_in_a_grid_search(self):
        X, y = digit_images()
        search = GridSearchCV(
            SKLearnClassifier(model=build_cnn, epochs=5, **FAST),
            {"model__filters": [4, 8]},
            cv=2,
        ).fit(X, y)
        self.assertGreater(search.best_score_, 0.5)  # Chance is 0.1.
        self.assertEqual(search.best_estimator_.input_shape_, (8, 8, 1))
        self.assertEqual(search.best_estimator_.n_features_in_, 8)
        with self.assertRaisesRegex(
            ValueError, r"rows of shape \(64,\).*rows of shape \(8, 8, 1\)"
        ):
            search.predict(X.reshape(len(X), -1))

    def test_gru_sequence_classifier_in_cross_val_score(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(300, 12, 3)).astype("float32")
        y = (X[:, :, 0].sum(axis=1) > 0).astype(int)
        scores = cross_val_score(
            SKLearnClassifier(model=build_gru, epochs=10, **FAST),
            X,
            y,
            cv=2,
        )
        self.assertGreater(scores.min(), 0.75)

    def test_conv1d_regressor(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(300, 10, 2)).astype("float32")
        y = X[:, :, 0].mean(axis=1)
        regressor = SKLearnRegressor(
            model=build_conv1d, epochs=20, random_state=0
        ).fit(X, y)
        self.assertGreater(regressor.score(X, y), 0.8)
        self.assertEqual(regressor.predict(X[:3]).shape, (3,))

    def test_integer_ids_reach_the_model_as_integers(self):
        ids = np.random.RandomState(0).randint(2**24, 2**25, size=(200, 1))
        parity = ids[:, 0] % 2
        classifier = SKLearnClassifier(
            model=build_parity_embedding, epochs=10, random_state=0
        ).fit(ids, parity)
        self.assertEqual(classifier.score(ids, parity), 1.0)
        # Through float32, odd ids above 2**24 round to even ones.
        self.assertLess(classifier.score(ids.astype("float32"), parity), 0.6)

    def test_tfidf_text_pipeline_in_a_search(self):
        rng = np.random.RandomState(0)
        topics = [["goal", "match", "team", "score"], ["vote", "law", "party"]]
        texts, labels = [], []
        for i in range(120):
            words = rng.choice(topics[i % 2], 4).tolist()
            words += rng.choice(["the", "a", "today", "news"], 3).tolist()
            texts.append(" ".join(rng.permutation(words)))
            labels.append(["sport", "politics"][i % 2])
        pipeline = make_pipeline(
            TfidfVectorizer(),
            SKLearnClassifier(epochs=10, **FAST),
        )
        search = GridSearchCV(
            pipeline,
            {"sklearnclassifier__model__hidden_layer_sizes": [(8,), (16,)]},
            cv=2,
        ).fit(texts, labels)
        self.assertGreater(search.best_score_, 0.9)
        sparse = search.best_estimator_[0].transform(texts)
        classifier = search.best_estimator_[-1]
        self.assertAllClose(
            classifier.predict_proba(sparse),
            classifier.predict_proba(sparse.toarray()),
            atol=1e-5,
        )

    def test_sparse_formats_and_files_feed_the_same_batches(self):
        rng = np.random.RandomState(0)
        dense = rng.binomial(1, 0.1, size=(80, 30)) * rng.normal(size=(80, 30))
        y = (dense.sum(axis=1) > 0).astype(int)
        path = self.get_temp_dir() + "/dense.npy"
        np.save(path, dense)
        predictions = [
            SKLearnClassifier(epochs=2, random_state=0)
            .fit(matrix, y)
            .predict_proba(dense)
            for matrix in (
                scipy.sparse.csr_matrix(dense),
                scipy.sparse.csc_array(dense),
                scipy.sparse.coo_matrix(dense),
                np.load(path, mmap_mode="r"),
            )
        ]
        for other in predictions[1:]:
            self.assertAllClose(other, predictions[0], atol=1e-6)

    def test_two_input_model_in_cross_validate(self):
        rng = np.random.RandomState(0)
        X = InputDict(
            image=rng.normal(size=(240, 4, 4, 1)),
            table=rng.normal(size=(240, 3)),
        )
        y = (X["image"].mean(axis=(1, 2, 3)) + X["table"][:, 0] > 0).astype(int)
        results = cross_validate(
            SKLearnClassifier(model=build_image_and_table, epochs=10, **FAST),
            X,
            y,
            cv=2,
            return_estimator=True,
        )
        self.assertGreater(results["test_score"].min(), 0.75)
        estimator = results["estimator"][0]
        self.assertEqual(
            estimator.input_shape_, {"image": (4, 4, 1), "table": (3,)}
        )
        # A plain dict predicts as well; a missing input is named.
        self.assertLen(estimator.predict(dict(X)), 240)
        with self.assertRaisesRegex(ValueError, r"Missing: \['table'\]"):
            estimator.predict({"image": X["image"]})

    def test_memmap_is_checked_a_chunk_at_a_time(self):
        X, y = digit_images(200)
        X = np.concatenate([X] * 25)  # More rows than one chunk.
        X[-1, 0, 0, 0] = np.nan
        path = self.get_temp_dir() + "/images.npy"
        np.save(path, X)
        with self.assertRaisesRegex(ValueError, "Input X contains NaN"):
            SKLearnClassifier(model=build_cnn).fit(
                np.load(path, mmap_mode="r"), np.concatenate([y] * 25)
            )
        with self.assertRaisesRegex(ValueError, "requires y to be passed"):
            SKLearnClassifier(model=build_cnn).fit(
                np.load(path, mmap_mode="r"), None
            )

    def test_memmap_predicts_batch_by_batch_like_the_array(self):
        X, y = digit_images(200)
        path = self.get_temp_dir() + "/images.npy"
        np.save(path, X)
        on_disk = np.load(path, mmap_mode="r")
        classifier = SKLearnClassifier(
            model=build_cnn, epochs=2, random_state=0
        ).fit(on_disk, y)
        self.assertEqual(classifier.input_shape_, (8, 8, 1))
        self.assertAllClose(
            classifier.predict_proba(on_disk), classifier.predict_proba(X)
        )
