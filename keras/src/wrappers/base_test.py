import copy
import os
import pickle
import warnings

import joblib
import numpy as np
import pytest
from absl.testing import parameterized
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import FitFailedWarning
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC
from sklearn.utils import estimator_html_repr
from sklearn.utils import get_tags

from keras.src import backend
from keras.src import initializers
from keras.src import layers
from keras.src import models
from keras.src import optimizers
from keras.src import testing
from keras.src.callbacks.callback import Callback
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import SKLearnTransformer
from keras.src.wrappers import base

TINY = {"model__hidden_layer_sizes": (4,), "epochs": 1, "random_state": 0}


def small_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(64, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


@pytest.mark.requires_trainable_backend
class OptimizerTest(testing.TestCase):
    def test_an_optimizer_instance_is_copied_for_each_fit(self):
        X, y = small_data()
        template = optimizers.SGD(learning_rate=0.2)
        clf = SKLearnClassifier(
            optimizer=template, optimizer__momentum=0.5, **TINY
        ).fit(X, y)
        first = clf.model_.optimizer
        self.assertIsNot(first, template)
        self.assertAllClose(first.learning_rate, 0.2)
        self.assertAllClose(first.momentum, 0.5)
        # The template is never trained or changed.
        self.assertAllClose(template.momentum, 0.0)
        self.assertEqual(int(template.iterations), 0)
        clf.fit(X, y)
        self.assertIsNot(clf.model_.optimizer, first)
        self.assertEqual(int(clf.model_.optimizer.iterations), 2)


def _user_compiled(X, y):
    model = models.Sequential(
        [layers.Input((X.shape[1],)), layers.Dense(y.shape[1])]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


class CountBatches(Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


@pytest.mark.requires_trainable_backend
class CallbacksTest(testing.TestCase):
    def data(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(200, 4)).astype("float32")
        return X, (X[:, 0] > 0).astype(int)

    def test_callbacks_see_every_batch_and_change_no_result(self):
        X, y = self.data()
        params = {"model__hidden_layer_sizes": (8,), "epochs": 3}
        plain = SKLearnClassifier(random_state=0, **params).fit(X, y)
        counter = CountBatches()
        counted = SKLearnClassifier(
            random_state=0, callbacks=[counter], **params
        ).fit(X, y)
        self.assertEqual(counter.batches, 3 * 7)  # 200 rows, 32 a batch.
        self.assertAllClose(
            plain.predict_proba(X), counted.predict_proba(X), atol=1e-6
        )
        # Callbacks added later see every batch of a continued fit too.
        later = CountBatches()
        plain.set_params(warm_start=True, callbacks=[later]).fit(X, y)
        self.assertEqual(later.batches, 3 * 7)

    @pytest.mark.skipif(
        backend.backend() == "torch",
        reason="PyTorch's trainer takes one step per execution only.",
    )
    def test_a_user_compiled_model_keeps_its_steps_per_execution(self):
        def build(X, y):
            model = _user_compiled(X, y)
            model.compile(optimizer="sgd", loss="mse", steps_per_execution=3)
            return model

        X, y = self.data()
        reg = SKLearnRegressor(model=build, epochs=1).fit(X, y)
        self.assertEqual(reg.model_.steps_per_execution, 3)


class RaiseAt(Callback):
    """Raises `error` at the end of training batch `batch` of `epoch`."""

    def __init__(self, error, epoch=0, batch=1):
        super().__init__()
        self.error, self.epoch, self.batch = error, epoch, batch
        self.current_epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.current_epoch, batch) == (self.epoch, self.batch):
            raise self.error


FAULTS = (
    ("callback_error", RuntimeError("callback failed")),
    ("keyboard_interrupt", KeyboardInterrupt()),
)


@pytest.mark.requires_trainable_backend
class FaultsTest(testing.TestCase):
    def fit_failing(self, estimator, error, fit):
        estimator.set_params(callbacks=[RaiseAt(error)])
        with self.assertRaises(type(error)):
            fit()
        estimator.set_params(callbacks=None)

    @parameterized.named_parameters(*FAULTS)
    def test_failed_first_fit_leaves_estimator_unfitted(self, error):
        X, y = small_data()
        clf = SKLearnClassifier(**{**TINY, "epochs": 3})
        self.fit_failing(clf, error, lambda: clf.fit(X, y))
        self.assertFalse(hasattr(clf, "model_"))
        with self.assertRaises(NotFittedError):
            clf.predict(X)

    @parameterized.named_parameters(*FAULTS)
    def test_failed_refit_keeps_previous_model(self, error):
        X, y = small_data()
        clf = SKLearnClassifier(**{**TINY, "epochs": 3}).fit(X, y)
        before = clf.predict_proba(X)
        state = {k: v for k, v in vars(clf).items() if k.endswith("_")}
        self.fit_failing(clf, error, lambda: clf.fit(X, 1 - y))
        self.assertEqual(
            state, {k: v for k, v in vars(clf).items() if k.endswith("_")}
        )
        self.assertAllEqual(clf.predict_proba(X), before)

    @parameterized.named_parameters(*FAULTS)
    def test_failed_partial_fit_rolls_back_weights(self, error):
        # `partial_fit` trains the fitted model in place: a failure part-way
        # must undo the batches it trained, and the optimizer's steps, so
        # the next call continues as if the failed one never happened.
        X, y = small_data()
        clf = SKLearnRegressor(**TINY).partial_fit(X, y)
        twin = SKLearnRegressor(**TINY).partial_fit(X, y)
        before = clf.predict(X)
        self.fit_failing(clf, error, lambda: clf.partial_fit(X, y))
        self.assertAllEqual(clf.predict(X), before)
        self.assertEqual(clf.n_iter_, 1)
        clf.partial_fit(X, y)
        twin.partial_fit(X, y)
        self.assertAllEqual(clf.predict(X), twin.predict(X))

    def test_failed_warm_start_fit_rolls_back_weights(self):
        X, y = small_data()
        transformer = SKLearnTransformer(warm_start=True, **TINY).fit(X)
        before = transformer.transform(X)
        self.fit_failing(
            transformer, RuntimeError("stop"), lambda: transformer.fit(X)
        )
        self.assertAllEqual(transformer.transform(X), before)
        self.assertLen(transformer.history_["loss"], 1)


def exploding_regressor(**params):
    """Plain SGD at a learning rate that sends the weights to infinity."""
    return SKLearnRegressor(
        optimizer="sgd", optimizer__learning_rate=1e12, **{**TINY, **params}
    )


@pytest.mark.requires_trainable_backend
class DivergenceTest(testing.TestCase):
    def test_first_fit_that_diverges_raises_and_stays_unfitted(self):
        X, y = small_data()
        reg = exploding_regressor(epochs=5)
        with self.assertRaisesRegex(
            FloatingPointError, r"loss became (nan|inf) in epoch \d.*learning"
        ):
            reg.fit(X, y)
        with self.assertRaises(NotFittedError):
            reg.predict(X)

    def test_refit_that_diverges_keeps_previous_model(self):
        X, y = small_data()
        reg = SKLearnRegressor(**TINY).fit(X, y)
        before = reg.predict(X)
        with self.assertRaises(FloatingPointError):
            reg.set_params(
                optimizer="sgd", optimizer__learning_rate=1e12, epochs=5
            ).fit(X, y)
        self.assertAllEqual(reg.predict(X), before)

    def test_extreme_targets_diverge_on_first_epoch(self):
        # Finite in float32, but their squared error overflows.
        X, y = small_data()
        with self.assertRaisesRegex(FloatingPointError, "epoch 1\\b"):
            SKLearnRegressor(**TINY).fit(X, y * 1e30)

    def test_partial_fit_that_diverges_rolls_back(self):
        X, y = small_data()
        reg = SKLearnRegressor(**TINY).partial_fit(X, y)
        before = reg.predict(X)
        with self.assertRaisesRegex(FloatingPointError, "epoch 2"):
            reg.partial_fit(X, y * 1e30)
        self.assertAllEqual(reg.predict(X), before)

    def test_grid_search_scores_diverging_candidate_nan(self):
        X, y = small_data()
        search = GridSearchCV(
            SKLearnRegressor(optimizer="sgd", **{**TINY, "epochs": 5}),
            {"optimizer__learning_rate": [1e-2, 1e12]},
            cv=2,
        )
        with self.assertWarns(FitFailedWarning):
            search.fit(X, y)
        scores = search.cv_results_["mean_test_score"]
        self.assertTrue(np.isfinite(scores[0]))
        self.assertTrue(np.isnan(scores[1]))
        self.assertEqual(search.best_params_["optimizer__learning_rate"], 1e-2)


@pytest.mark.requires_trainable_backend
class FiniteOutputsTest(testing.TestCase):
    def test_nan_network_outputs_are_never_predictions(self):
        X, y = small_data()
        clf = SKLearnClassifier(**TINY).fit(X, y)
        # A NaN bias in the output layer makes every output NaN. (A NaN
        # in a hidden layer can vanish: TensorFlow's relu maps NaN to 0.)
        bias = clf.model_.layers[-1].bias
        bias.assign(np.full(bias.shape, np.nan, "float32"))
        for method in (clf.predict, clf.predict_proba, clf.decision_function):
            with self.assertRaisesRegex(
                ValueError, r"returned NaN for 64 of 64 rows"
            ):
                method(X)


@pytest.mark.requires_trainable_backend
class ModelsOutliveTheirEstimatorTest(testing.TestCase):
    """The wrappers release a model's compiled functions when they stop
    using it; Keras builds them again for whoever uses it next."""

    def test_models_of_a_dropped_estimator_still_work(self):
        X, y = small_data()
        transformer = SKLearnTransformer(feature_layer=0, **TINY).fit(X, y)
        model, extractor = transformer.model_, transformer.feature_extractor_
        expected = model.predict(X, verbose=0), transformer.transform(X)
        del transformer
        self.assertAllClose(model.predict(X, verbose=0), expected[0])
        self.assertAllClose(extractor.predict(X, verbose=0), expected[1])

    def test_the_model_a_refit_replaces_still_works(self):
        X, y = small_data()
        clf = SKLearnClassifier(**TINY).partial_fit(X, y, classes=[0, 1])
        first = clf.model_
        clf.partial_fit(X, y)
        self.assertIs(clf.model_, first)
        expected = clf.predict_proba(X)
        clf.fit(X, y)
        self.assertIsNot(clf.model_, first)
        self.assertAllClose(first.predict(X, verbose=0), expected)


@pytest.mark.requires_trainable_backend
class DeprecatedAttributesTest(testing.TestCase):
    """Keras 3.15's `epoch_` and `History` attributes, for one release."""

    def test_epoch_warns_and_counts_epochs_like_n_iter(self):
        X, y = small_data()
        clf = SKLearnClassifier(**TINY)
        with self.assertWarnsRegex(DeprecationWarning, "`n_iter_`"):
            self.assertEqual(clf.epoch_, 0)
        clf.fit(X, y, epochs=2)
        with self.assertWarnsRegex(DeprecationWarning, "`epoch_`") as caught:
            self.assertEqual(clf.epoch_, clf.n_iter_)
        self.assertEqual(caught.filename, __file__)

    def test_history_continues_over_warm_started_fits(self):
        X, y = small_data()
        clf = SKLearnClassifier(warm_start=True, **TINY).fit(X, y)
        clf.fit(X, y, epochs=2)
        self.assertLen(clf.history_["loss"], 3)
        with self.assertWarns(DeprecationWarning):
            self.assertEqual(clf.history_.epoch, [0, 1, 2])

    def test_current_usage_does_not_warn(self):
        # Fitting, pickling, cloning, showing the estimator and reading
        # `history_` as a dict touch none of the deprecated attributes.
        X, y = small_data()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = SKLearnClassifier(**TINY).fit(X, y)
            restored = pickle.loads(pickle.dumps(clf))
            clone(restored).fit(X, y)
            repr(clf)
            estimator_html_repr(clf)
            self.assertEqual(restored.history_, clf.history_)
            self.assertLen(clf.history_["loss"], clf.n_iter_)
        ours = [w for w in caught if str(w.message).startswith("`epoch_`")]
        ours += [w for w in caught if str(w.message).startswith("`history_")]
        self.assertEqual(ours, [])


def _pretrained_digits_model():
    """A digits classifier trained in plain Keras: the "pretrained" model.

    Three layers with weights (`block_1`, `block_2`, `head`), so that the
    tests can freeze, cut and fine-tune it.
    """
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype("float32")
    inputs = layers.Input((64,))
    hidden = inputs
    for seed, (name, units) in enumerate(
        [("block_1", 32), ("block_2", 16), ("head", 10)]
    ):
        hidden = layers.Dense(
            units,
            activation="softmax" if name == "head" else "relu",
            kernel_initializer=initializers.GlorotUniform(seed=seed),
            name=name,
        )(hidden)
    model = models.Model(inputs, hidden)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    # Seeded and in order: the same pretrained model on every run.
    model.fit(X, y, epochs=15, batch_size=64, shuffle=False, verbose=0)
    return model, X, y


def _weights(model, name):
    return [np.array(w) for w in model.get_layer(name).get_weights()]


@pytest.mark.requires_trainable_backend
class PretrainedModelTest(testing.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model, cls.X, cls.y = _pretrained_digits_model()
        cls.accuracy = float(
            np.mean(cls.model.predict(cls.X, verbose=0).argmax(1) == cls.y)
        )
        cls.weights = [np.array(w) for w in cls.model.get_weights()]

    def assertModelUnchanged(self):
        for actual, expected in zip(self.model.get_weights(), self.weights):
            self.assertAllEqual(actual, expected)

    def assertLayerAsPretrained(self, model, name):
        for actual, expected in zip(
            _weights(model, name), _weights(self.model, name)
        ):
            self.assertAllEqual(actual, expected)

    def test_fine_tuning_starts_from_the_weights_and_copies(self):
        # Keras 3.15.1 re-initialised the instance: accuracy fell to chance.
        clf = SKLearnClassifier(
            model=self.model,
            epochs=1,
            optimizer="adam",
            optimizer__learning_rate=1e-7,
            random_state=0,
        ).fit(self.X, self.y)
        self.assertGreater(self.accuracy, 0.9)
        self.assertAllClose(clf.score(self.X, self.y), self.accuracy, atol=0.01)
        self.assertIsNot(clf.model_, self.model)
        self.assertModelUnchanged()
        # scikit-learn's `clone` copies the template, weights included.
        twin = clone(clf)
        for actual, expected in zip(twin.model.get_weights(), self.weights):
            self.assertAllEqual(actual, expected)
        self.assertAllClose(
            twin.fit(self.X, self.y).score(self.X, self.y),
            self.accuracy,
            atol=0.01,
        )
        self.assertModelUnchanged()

    def test_frozen_layers_stay_frozen(self):
        frozen = base.copy_model(self.model)
        frozen.get_layer("block_1").trainable = False
        clf = SKLearnClassifier(model=frozen, epochs=1, random_state=0)
        clf.fit(self.X, self.y)
        self.assertFalse(clf.model_.get_layer("block_1").trainable)
        self.assertLayerAsPretrained(clf.model_, "block_1")
        self.assertNotAllClose(
            _weights(clf.model_, "head")[0], _weights(self.model, "head")[0]
        )
        clf.partial_fit(self.X, self.y)
        self.assertLayerAsPretrained(clf.model_, "block_1")
        clf.set_params(warm_start=True).fit(self.X, self.y)
        self.assertEqual(clf.n_iter_, 3)
        self.assertLayerAsPretrained(clf.model_, "block_1")

    def test_no_epochs_predicts_with_the_given_weights(self):
        clf = SKLearnClassifier(model=self.model, epochs=0).fit(self.X, self.y)
        self.assertEqual((clf.n_iter_, clf.history_), (0, {}))
        self.assertAllEqual(clf.classes_, np.arange(10))
        self.assertEqual(clf.n_features_in_, 64)
        self.assertAllClose(
            clf.predict_proba(self.X[:50]),
            self.model.predict(self.X[:50], verbose=0),
            atol=1e-6,
        )
        # A transformer that trains nothing needs no head for y: three
        # classes here, ten units in the head.
        extractor = SKLearnTransformer(
            model=self.model, feature_layer="block_2", epochs=0
        ).fit(self.X, self.y % 3)
        sub_model = models.Model(
            self.model.inputs, self.model.get_layer("block_2").output
        )
        self.assertAllClose(
            extractor.transform(self.X[:50]),
            sub_model.predict(self.X[:50], verbose=0),
            atol=1e-6,
        )

    def test_pretrained_extractor_feeds_an_svc(self):
        extractor = SKLearnTransformer(
            model=self.model, feature_layer="block_1", epochs=0
        )
        hybrid = make_pipeline(extractor, SVC())
        hybrid.fit(self.X[:1200], self.y[:1200])
        self.assertGreater(hybrid.score(self.X[1200:], self.y[1200:]), 0.9)
        self.assertModelUnchanged()

    def test_search_over_the_layers_that_train(self):
        search = GridSearchCV(
            SKLearnClassifier(model=self.model, epochs=1, random_state=0),
            {"trainable_layers": [1, 2]},
            cv=2,
        ).fit(self.X, self.y)
        self.assertEqual(
            list(search.cv_results_["param_trainable_layers"]), [1, 2]
        )
        self.assertLayerAsPretrained(search.best_estimator_.model_, "block_1")
        self.assertModelUnchanged()

    @parameterized.named_parameters(("head_only", 1), ("last_block_too", 2))
    def test_only_the_top_layers_train(self, count):
        model = (
            SKLearnClassifier(
                model=self.model,
                epochs=1,
                trainable_layers=count,
                random_state=0,
            )
            .fit(self.X, self.y)
            .model_
        )
        trained = ["head", "block_2"][:count]
        for name in ("block_1", "block_2", "head"):
            changed = not np.array_equal(
                _weights(model, name)[0], _weights(self.model, name)[0]
            )
            self.assertEqual(changed, name in trained, name)

    def test_continuing_after_a_fit_without_epochs(self):
        clf = SKLearnClassifier(
            model=self.model, epochs=0, warm_start=True, random_state=0
        ).fit(self.X, self.y)
        first = clf.model_
        clf.fit(self.X, self.y, epochs=1)
        self.assertIs(clf.model_, first)
        self.assertEqual(clf.n_iter_, 1)
        self.assertNotAllClose(
            _weights(clf.model_, "head")[0], _weights(self.model, "head")[0]
        )
        self.assertModelUnchanged()
        extractor = SKLearnTransformer(
            model=self.model, feature_layer="block_2", epochs=0
        ).fit(self.X, self.y)
        extractor.partial_fit(self.X, self.y)
        self.assertEqual(extractor.n_iter_, 1)

    def test_more_trainable_layers_than_the_model_has(self):
        clf = SKLearnClassifier(model=self.model, epochs=1, trainable_layers=4)
        with self.assertRaisesRegex(ValueError, "trainable_layers=4.*: 3"):
            clf.fit(self.X, self.y)


def _normalization_reads_set_weights():
    """Whether an adapted `Normalization` normalizes with the statistics
    `set_weights` gives it (a fix to Keras; PyTorch always did)."""
    adapted = layers.Normalization()
    adapted.adapt(np.array([[2.0], [4.0]]))
    twin = layers.Normalization()
    twin.build((None, 1))
    twin.set_weights(adapted.get_weights())
    return np.allclose(backend.convert_to_numpy(twin(np.array([[3.0]]))), 0)


class LearnedStateTemplateTest(testing.TestCase):
    """A template's layers adapted to data keep what they learned in the
    copy each fit makes: `epochs=0` predicts as the template does."""

    def assertPredictsAsTemplate(self, template, X, y):
        clf = SKLearnClassifier(model=template, epochs=0).fit(X, y)
        self.assertAllClose(
            clf.predict_proba(X), template.predict(X, verbose=0), atol=1e-6
        )

    def test_lookup_vocabulary(self):
        X = np.array([[3], [7], [11], [5]])
        lookup = layers.IntegerLookup(output_mode="one_hot")
        lookup.adapt(X[:3])
        inputs = layers.Input(shape=(1,), dtype="int64")
        outputs = layers.Dense(2, activation="softmax")(lookup(inputs))
        template = models.Model(inputs, outputs)
        self.assertPredictsAsTemplate(template, X, [0, 1, 0, 1])

    def test_normalization_statistics(self):
        if not _normalization_reads_set_weights():
            self.skipTest(
                "A copy made with `set_weights` normalizes with unadapted "
                "statistics without the Keras fix 'Normalization: read "
                "adapted statistics from the variables at each call'."
            )
        X = np.random.RandomState(0).normal(5.0, 3.0, size=(32, 3))
        normalization = layers.Normalization()
        normalization.adapt(X)
        inputs = layers.Input(shape=(3,))
        outputs = layers.Dense(2, activation="softmax")(normalization(inputs))
        template = models.Model(inputs, outputs)
        self.assertPredictsAsTemplate(template, X, np.arange(32) % 2)


class ObjectiveOnlyModel(models.Model):
    """A custom training loop: Keras's step, logging its loss under another
    name, as training loops with several losses (a GAN's) log no `loss`."""

    if backend.backend() == "jax":

        def train_step(self, state, data):
            logs, state = super().train_step(state, data)
            return {"objective": logs.pop("loss"), **logs}, state

    else:

        def train_step(self, data):
            logs = dict(super().train_step(data))
            return {"objective": logs.pop("loss"), **logs}


def _objective_only_model(X, y):
    inputs = layers.Input((X.shape[1],))
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(y.shape[1], activation="softmax")(hidden)
    return ObjectiveOnlyModel(inputs, outputs)


class NotFunctionalLike(models.Model):
    """A functional subclass whose constructor takes other arguments, which
    `clone_model` cannot call: it copies it as a plain `Functional`."""

    def __init__(self, units):
        inputs = layers.Input((4,))
        super().__init__(inputs, layers.Dense(units)(inputs))


@pytest.mark.requires_trainable_backend
class CustomTrainStepTest(testing.TestCase):
    def test_a_model_with_its_own_train_step_fits_and_predicts(self):
        X, y = small_data()
        clf = SKLearnClassifier(
            model=_objective_only_model,
            epochs=10,
            optimizer="adam",
            optimizer__learning_rate=0.05,
            random_state=0,
        ).fit(X, y)
        self.assertEqual(list(clf.history_), ["objective"])
        self.assertLen(clf.history_["objective"], 10)
        self.assertLess(
            clf.history_["objective"][-1], clf.history_["objective"][0]
        )
        self.assertGreater(clf.score(X, y), 0.8)

    def test_an_instance_keeps_its_class_and_train_step(self):
        X, y = small_data()
        template = _objective_only_model(X, np.zeros((1, 2)))
        clf = SKLearnClassifier(model=template, epochs=2).fit(X, y)
        self.assertIsInstance(clf.model_, ObjectiveOnlyModel)
        self.assertEqual(list(clf.history_), ["objective"])

    def test_an_instance_clone_model_cannot_copy_is_an_error(self):
        X, y = small_data()
        clf = SKLearnClassifier(model=NotFunctionalLike(2), epochs=1)
        with self.assertRaisesRegex(ValueError, "plain Functional.*function"):
            clf.fit(X, y)


class PoorScoreTagTest(testing.TestCase):
    @parameterized.named_parameters(
        ("classifier", SKLearnClassifier, "classifier_tags"),
        ("regressor", SKLearnRegressor, "regressor_tags"),
    )
    def test_only_the_default_network_promises_a_score(self, cls, kind):
        # scikit-learn's checks assert a minimum score unless `poor_score`:
        # the default network reaches it, a user's network need not.
        default = getattr(get_tags(cls()), kind)
        self.assertFalse(default.poor_score)
        user = getattr(get_tags(cls(model=_user_compiled)), kind)
        self.assertTrue(user.poor_score)


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
