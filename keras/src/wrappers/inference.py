"""Batched inference that gives every row the same answer however called."""

import numpy as np

from keras.src import backend
from keras.src import tree


class BatchPredictor:
    """Runs a fitted model on arrays, batch by batch, from any thread.

    Every call runs batches of exactly `batch_size` rows, the last one
    padded with zero rows. With a single input shape, backends that
    compile per shape (JAX, TensorFlow) compile once, and a row's output no
    longer depends on how many rows share its call: kernels round
    differently for different batch shapes, so without padding
    `predict(X)[i]` and `predict(X[i:i + 1])` could differ in the last
    bits. Rows are independent in inference, so padding changes nothing
    else.

    On JAX, `Model.predict_on_batch` donates the model's variable buffers
    to the compiled call and swaps in new ones, so two threads predicting
    at once can each hand the other a deleted buffer. Here JAX runs a pure
    function of the variables' current values instead: nothing is donated
    or written, so concurrent calls (the serving pattern) are safe. The
    other backends' `predict_on_batch` writes no state.

    Args:
        model: a fitted `keras.Model` with a single input and output.
        trained_model: the model whose compile settings (`run_eagerly`,
            `jit_compile`) apply, when `model` is a sub-model of it, such
            as a feature extractor. Defaults to `model`.
    """

    def __init__(self, model, trained_model=None):
        self.model = model
        if backend.backend() == "jax":
            self._run_batch = _jax_batch_function(model, trained_model or model)
        else:
            self._run_batch = model.predict_on_batch

    def __call__(self, X, batch_size):
        """Returns the model's outputs for the rows of `X`.

        Args:
            X: 2-D float32 NumPy array with at least one row.
            batch_size: int, rows per call.

        Returns:
            NumPy array with one output row per row of `X`, written into
            one preallocated array, so memory grows with one copy of the
            output and one batch.
        """
        outputs = None
        for start in range(0, len(X), batch_size):
            batch = X[start : start + batch_size]
            rows = len(batch)
            if rows < batch_size:
                padding = np.zeros(
                    (batch_size - rows,) + batch.shape[1:], X.dtype
                )
                batch = np.concatenate([batch, padding])
            result = self._single_output(self._run_batch(batch))[:rows]
            if outputs is None:
                outputs = np.empty((len(X),) + result.shape[1:], result.dtype)
            outputs[start : start + rows] = result
        return outputs

    @staticmethod
    def _single_output(outputs):
        flat = tree.flatten(outputs)
        if len(flat) != 1:
            raise ValueError(
                "The wrappers need a model with a single output. Received "
                f"a model with {len(flat)} outputs."
            )
        return np.asarray(flat[0])


def _jax_batch_function(model, trained_model):
    """A side-effect-free forward pass over the variables' current values.

    Values are read at each call, so `partial_fit` between calls is seen.
    The pass is jit-compiled unless the model was compiled to run eagerly
    or without XLA.
    """
    import jax

    def forward(trainable, non_trainable, x):
        outputs, _ = model.stateless_call(
            trainable, non_trainable, x, training=False
        )
        return outputs

    eager = trained_model.compiled and (
        trained_model.run_eagerly or not trained_model.jit_compile
    )
    if eager:
        compiled = forward
    else:
        compiled = jax.jit(forward)

    def run_batch(batch):
        return compiled(
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            batch,
        )

    return run_batch
