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
