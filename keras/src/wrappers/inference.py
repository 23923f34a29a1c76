"""Batched inference that gives every row the same answer however called."""

import numpy as np

from keras.src import tree
from keras.src.wrappers import inputs


class BatchPredictor:
    """Runs a fitted model on arrays, batch by batch, from any thread.

    Every call runs batches of exactly `batch_size` rows, the last one
    padded with zero rows. With a single batch shape, backends that
    compile per shape (JAX, TensorFlow) compile once, and a row's output no
    longer depends on how many rows share its call: kernels round
    differently for different batch shapes, so without padding
    `predict(X)[i]` and `predict(X[i:i + 1])` could differ in the last
    bits. Rows are independent in inference, so padding changes nothing
    else.

    Several threads may call it at once (the serving pattern):
    `Model.predict_on_batch` never donates the model's weights to the
    compiled call and never writes them; on JAX it writes back only
    non-trainable state, which inference of these models leaves as it is.

    A model with several outputs (heads) gets them side by side: each
    flattened to 2-D, in `keras.tree.flatten` order (see
    `targets.OutputHeads`).

    Args:
        model: a fitted `keras.Model`.
    """

    def __init__(self, model):
        self._predict_on_batch = model.predict_on_batch

    def __call__(self, X, batch_size, dtypes):
        """Returns the model's outputs for the rows of `X`.

        Args:
            X: validated inputs with at least one row: an array, a sparse
                matrix, an array on disk, or a dict of these.
            batch_size: int, rows per call.
            dtypes: the network's input dtypes, from
                `inputs.network_dtypes`; each batch is converted on its own.

        Returns:
            NumPy array with one output row per row of `X`, written into
            one preallocated array, so memory grows with one copy of the
            output and one batch.
        """
        outputs = None
        n_rows = inputs.num_rows(X)
        for start in range(0, n_rows, batch_size):
            rows = slice(start, min(start + batch_size, n_rows))
            batch = inputs.network_batch(X, rows, dtypes, pad_to=batch_size)
            result = self._as_one_array(self._predict_on_batch(batch))
            result = result[: rows.stop - start]
            if outputs is None:
                outputs = np.empty((n_rows,) + result.shape[1:], result.dtype)
            outputs[rows] = result
        return outputs

    @staticmethod
    def _as_one_array(outputs):
        flat = [np.asarray(output) for output in tree.flatten(outputs)]
        if len(flat) == 1:
            return flat[0]
        return np.concatenate(
            [output.reshape(len(output), -1) for output in flat], axis=1
        )
