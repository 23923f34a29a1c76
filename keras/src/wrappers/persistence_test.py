import numpy as np

from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import persistence


class PersistenceTest(testing.TestCase):
    def test_pack_and_unpack_models_only(self):
        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        state = {"model_": model, "n_iter_": 3}
        packed = persistence.pack(state)
        self.assertIsInstance(packed["model_"], persistence.SavedModel)
        self.assertIs(state["model_"], model)
        restored = persistence.unpack(packed)
        x = np.ones((2, 3), "float32")
        self.assertAllClose(restored["model_"].predict(x), model.predict(x))
        self.assertEqual(restored["n_iter_"], 3)

    def test_lambda_layer_needs_opt_in(self):
        inputs = layers.Input((3,))
        outputs = layers.Lambda(lambda t: t * 2.0)(inputs)
        saved = persistence.SavedModel.from_model(models.Model(inputs, outputs))
        with self.assertRaisesRegex(
            ValueError, "enable_unsafe_deserialization"
        ):
            saved.load()


class PortableArchiveTest(testing.TestCase):
    def test_backend_specific_optimizer_gets_its_public_name(self):
        config = {
            "compile_config": {
                "optimizer": {
                    "module": "keras.src.backend.torch.optimizers.torch_adam",
                    "class_name": "Adam",
                    "registered_name": "Adam",
                }
            }
        }
        self.assertTrue(persistence.name_public_optimizer(config))
        optimizer = config["compile_config"]["optimizer"]
        self.assertEqual(optimizer["module"], "keras.optimizers")
        self.assertIsNone(optimizer["registered_name"])
        # Public names, and classes without one, are left alone.
        self.assertFalse(persistence.name_public_optimizer(config))
        custom = {
            "compile_config": {
                "optimizer": {
                    "module": "keras.src.backend.torch.optimizers.custom",
                    "class_name": "NotAKerasOptimizer",
                }
            }
        }
        self.assertFalse(persistence.name_public_optimizer(custom))
        self.assertFalse(persistence.name_public_optimizer({}))

    def test_archive_from_another_backend_uses_this_backends_jit_default(self):
        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse", jit_compile=False)
        saved = persistence.SavedModel.from_model(model)
        saved.saved_under = "another backend"
        reference = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        reference.compile(optimizer="adam", loss="mse")
        self.assertEqual(saved.load().jit_compile, reference.jit_compile)
        # From the same backend, the setting is kept.
        same = persistence.SavedModel.from_model(model)
        self.assertFalse(same.load().jit_compile)

    def test_unchanged_archive_keeps_its_bytes(self):
        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        data = persistence.SavedModel.from_model(model).data
        self.assertIs(
            persistence.edit_config(data, persistence.compile_for_this_backend),
            data,
        )


class JoblibWorkersTest(testing.TestCase):
    def test_estimators_fitted_in_worker_processes(self):
        from sklearn.model_selection import cross_validate

        from keras.src.wrappers.sklearn_wrapper import SKLearnClassifier

        rng = np.random.RandomState(0)
        X = rng.normal(size=(80, 4))
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
        estimator = SKLearnClassifier(
            model__hidden_layer_sizes=(8,), epochs=3, random_state=0
        )
        results = {
            n_jobs: cross_validate(
                estimator, X, y, cv=2, n_jobs=n_jobs, return_estimator=True
            )
            for n_jobs in (1, 2)
        }
        self.assertAllClose(results[1]["test_score"], results[2]["test_score"])
        for serial, parallel in zip(
            results[1]["estimator"], results[2]["estimator"]
        ):
            self.assertAllClose(
                serial.predict_proba(X), parallel.predict_proba(X), atol=0
            )
