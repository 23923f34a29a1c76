import copy
import os
import pickle

import joblib
import numpy as np
import pytest

from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.backend.common import global_state
from keras.src.saving import saving_api
from keras.src.saving import serialization_lib
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnTransformer
from keras.src.wrappers import persistence


class PersistenceTest(testing.TestCase):
    def test_pack_and_unpack_models_only(self):
        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        state = {"model_": model, "n_iter_": 3}
        packed = persistence.pack(state)
        self.assertIsInstance(packed["model_"], persistence.KerasArchive)
        self.assertIs(state["model_"], model)
        restored = persistence.unpack(packed)
        x = np.ones((2, 3), "float32")
        self.assertAllClose(restored["model_"].predict(x), model.predict(x))
        self.assertEqual(restored["n_iter_"], 3)

    def test_lambda_layer_needs_opt_in(self):
        inputs = layers.Input((3,))
        # A given output shape: inferring it would run the lambda on
        # uninitialised memory, which can overflow on the NumPy backend.
        outputs = layers.Lambda(lambda t: t * 2.0, output_shape=(3,))(inputs)
        model = models.Model(inputs, outputs)
        saved = persistence.KerasArchive.from_model(model)
        with self.assertRaisesRegex(
            ValueError,
            r"unsafe deserialisation.*Lambda.*"
            r"keras\.config\.enable_unsafe_deserialization\(\)",
        ):
            saved.load()
        previous = global_state.get_global_attribute("safe_mode_saving")
        self.addCleanup(
            global_state.set_global_attribute, "safe_mode_saving", previous
        )
        serialization_lib.enable_unsafe_deserialization()
        x = np.ones((2, 3), "float32")
        self.assertAllClose(saved.load().predict(x), model.predict(x))


class KerasArchiveTest(testing.TestCase):
    def test_bytes_are_a_keras_file(self):
        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        path = os.path.join(self.get_temp_dir(), "model.keras")
        with open(path, "wb") as archive:
            archive.write(persistence.KerasArchive.from_model(model).data)
        x = np.ones((2, 3), "float32")
        self.assertAllClose(
            saving_api.load_model(path).predict(x), model.predict(x)
        )


def blobs(n=60, n_features=4, n_classes=3):
    rng = np.random.RandomState(0)
    y = np.arange(n) % n_classes
    centers = rng.normal(scale=4.0, size=(n_classes, n_features))
    return centers[y] + rng.normal(size=(n, n_features)), y


def build_units(X, y, units=16):
    inputs = layers.Input((X.shape[1],))
    hidden = layers.Dense(units, activation="relu")(inputs)
    outputs = layers.Dense(y.shape[1], activation="softmax")(hidden)
    return models.Model(inputs, outputs)


def build_autoencoder(X, y):
    inputs = layers.Input((X.shape[1],))
    code = layers.Dense(3, activation="tanh", name="code")(inputs)
    return models.Model(inputs, layers.Dense(y.shape[1])(code))


class EstimatorRoundTripTest(testing.TestCase):
    def round_trip(self, estimator, method):
        if method == "pickle":
            return pickle.loads(pickle.dumps(estimator))
        if method == "deepcopy":
            return copy.deepcopy(estimator)
        path = os.path.join(self.get_temp_dir(), "estimator.joblib")
        joblib.dump(estimator, path)
        return joblib.load(path)

    @pytest.mark.requires_trainable_backend
    def test_classifier_round_trips(self):
        X, y = blobs()
        labels = np.array(["a", "b", "c"])[y]
        clf = SKLearnClassifier(
            model__hidden_layer_sizes=(8,), epochs=2, random_state=0
        ).fit(X, labels)
        expected = clf.predict_proba(X)
        for method in ("pickle", "deepcopy", "joblib"):
            restored = self.round_trip(clf, method)
            self.assertIsNot(restored.model_, clf.model_)
            self.assertAllClose(
                restored.predict_proba(X), expected, atol=0, rtol=0
            )
            self.assertAllEqual(restored.predict(X), clf.predict(X))
            self.assertAllEqual(restored.classes_, clf.classes_)
            self.assertEqual(restored.history_, clf.history_)
            self.assertEqual(restored.n_iter_, clf.n_iter_)
        # A restored estimator keeps training where it stopped.
        restored.set_params(warm_start=True).fit(X, labels, epochs=1)
        self.assertEqual(restored.n_iter_, 3)
        self.assertLen(restored.history_["loss"], 3)

    @pytest.mark.requires_trainable_backend
    def test_transformer_round_trips(self):
        X, _ = blobs()
        transformer = SKLearnTransformer(
            model=build_autoencoder, feature_layer="code", epochs=1
        ).fit(X)
        expected = transformer.transform(X)
        attributes = sorted(vars(transformer))
        for method in ("pickle", "deepcopy"):
            restored = self.round_trip(transformer, method)
            self.assertAllClose(restored.transform(X), expected, atol=0, rtol=0)
            # Pickling leaves the original as it was.
            self.assertEqual(sorted(vars(transformer)), attributes)
            self.assertAllClose(
                transformer.transform(X), expected, atol=0, rtol=0
            )

    def test_unfitted_round_trip(self):
        clf = SKLearnClassifier(model=build_units, model__units=4)
        restored = self.round_trip(clf, "pickle")
        self.assertEqual(restored.get_params(), clf.get_params())
        self.assertFalse(hasattr(restored, "model_"))
