import numpy as np

from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import inference


class PredictBatchesTest(testing.TestCase):
    def test_rows_do_not_depend_on_batching(self):
        model = models.Sequential(
            [layers.Input((5,)), layers.Dense(7), layers.Dense(2)]
        )
        X = np.random.RandomState(0).normal(size=(23, 5)).astype("float32")
        whole = inference.predict_batches(model, X, batch_size=8)
        self.assertEqual(whole.shape, (23, 2))
        for i in (0, 7, 22):
            single = inference.predict_batches(model, X[i : i + 1], 8)
            self.assertAllClose(single[0], whole[i], atol=0, rtol=0)
        self.assertAllClose(whole, model.predict(X, verbose=0), atol=1e-5)
