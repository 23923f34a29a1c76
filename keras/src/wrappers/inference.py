"""Batched inference that gives every row the same answer however called."""

import numpy as np

from keras.src import backend
from keras.src import tree
from keras.src.wrappers import inputs

# A large X goes to the backend in calls of about this many input bytes
# (at most `MAX_BULK_ROWS` rows). A call costs 0.05 (JAX) to 0.35 ms
# (PyTorch) before any work: in 32-row batches, 1,000,000 rows of 20
# features took 14 to 22 times `Model.predict` at its best batch size.
# A bounded call keeps a wide network's activations small.
BULK_INPUT_BYTES = 1 << 20
MAX_BULK_ROWS = 16384
_UNCHECKED = object()


class BatchPredictor:
    """Runs a fitted model on arrays, batch by batch, from any thread.

    A row's output never depends on how many rows share its call: kernels
    round differently for different batch shapes, so `predict(X)[i]` and
    `predict(X[i:i + 1])` could differ in the last bits. So every row is
    computed in a batch of exactly `batch_size` rows (the last one padded
    with zero rows; rows are independent in inference, so padding changes
    nothing else), and backends that compile per shape compile one shape.

    A large `X` goes in bulk calls of many batches, so that per-call costs
    do not dominate:

    - on JAX, one compiled call runs the predict step on each
      `batch_size`-row slice in turn (`jax.lax.map`), so each row still
      meets the kernels of the `batch_size` shape; XLA picks kernels by
      shape, and rows of one large batch round differently;
    - on other backends, whose kernels give a row the same bits in any
      batch shape, a bulk call is one large batch.

    Either way, the first bulk call checks that claim on the model at
    hand: its first, middle and last `batch_size` rows must equal, bit for
    bit, what single-batch calls give them. If they do not, or a bulk call
    fails (out of memory, say), the predictor keeps to single batches from
    then on.

    Several threads may call it at once (the serving pattern):
    `Model.predict_on_batch` never donates the model's weights to the
    compiled call and never writes them; on JAX it writes back only
    non-trainable state, which inference of these models leaves as it is.

    A model with several outputs (heads) gets them side by side: each
    flattened to 2-D, in `keras.tree.flatten` order (see
    `targets.OutputHeads`).

    Args:
        model: a fitted `keras.Model`.
        bulk_input_bytes: int, the input bytes of a bulk call.
    """

    def __init__(self, model, bulk_input_bytes=BULK_INPUT_BYTES):
        self._model = model
        self._predict_on_batch = model.predict_on_batch
        self._bulk_input_bytes = bulk_input_bytes
        # batch_size -> the checked bulk function, or `None` if the
        # check failed.
        self._bulk_functions = {}

    def __call__(self, X, batch_size, dtypes):
        """Returns the model's outputs for the rows of `X`.

        Args:
            X: validated inputs with at least one row: an array, a sparse
                matrix, an array on disk, or a dict of these.
            batch_size: int, rows per batch.
            dtypes: the network's input dtypes, from
                `inputs.network_dtypes`; each batch is converted on its own.

        Returns:
            NumPy array with one output row per row of `X`, written into
            one preallocated array, so memory grows with one copy of the
            output and one call's batch.
        """
        n_rows = inputs.num_rows(X)
        bulk_rows = self._bulk_rows(X, n_rows, batch_size, dtypes)
        outputs = None
        start = 0
        while start < n_rows:
            result = None
            # The last bulk call may be padded: a bulk call of zero rows
            # costs less than many single batches.
            if bulk_rows and n_rows - start >= bulk_rows // 4:
                rows = slice(start, min(start + bulk_rows, n_rows))
                result = self._run_bulk(X, rows, bulk_rows, batch_size, dtypes)
            if result is None:
                rows = slice(start, min(start + batch_size, n_rows))
                result = self._run_batch(X, rows, batch_size, dtypes)
            if outputs is None:
                outputs = np.empty((n_rows,) + result.shape[1:], result.dtype)
            outputs[rows] = result
            start = rows.stop
        return outputs

    def _bulk_rows(self, X, n_rows, batch_size, dtypes):
        """Rows of a bulk call, a multiple of `batch_size`, or `None` when
        `X` is too small for bulk calls to pay for their one-time
        compilation, or this model failed the check."""
        if n_rows < 2 * batch_size or (
            self._bulk_functions.get(batch_size, _UNCHECKED) is None
        ):
            return None
        one_row = inputs.network_batch(X, slice(0, 1), dtypes)
        rows = min(
            self._bulk_input_bytes // max(1, inputs.nbytes(one_row)),
            MAX_BULK_ROWS,
        )
        rows -= rows % batch_size
        return rows if 2 * batch_size <= rows <= n_rows else None

    def _run_batch(self, X, rows, batch_size, dtypes):
        batch = inputs.network_batch(X, rows, dtypes, pad_to=batch_size)
        result = _as_one_array(self._predict_on_batch(batch))
        return result[: rows.stop - rows.start]

    def _run_bulk(self, X, rows, bulk_rows, batch_size, dtypes):
        """The outputs of a bulk call, or `None` if this model's bulk
        calls do not give rows the bits of single batches."""
        function = self._bulk_functions.get(batch_size, _UNCHECKED)
        if function is None:
            return None
        checked = function is not _UNCHECKED
        if not checked:
            function = self._bulk_function(batch_size)
        batch = inputs.network_batch(X, rows, dtypes, pad_to=bulk_rows)
        try:
            result = _as_one_array(function(batch))
        except Exception:
            # Out of (device) memory, say: a bulk call's activations may
            # be far larger than its inputs. Single batches it is.
            self._bulk_functions[batch_size] = None
            return None
        result = result[: rows.stop - rows.start]
        if not checked:
            agrees = self._equals_single_batches(
                X, rows, batch_size, dtypes, result
            )
            self._bulk_functions[batch_size] = function if agrees else None
            if not agrees:
                return None
        return result

    def _equals_single_batches(self, X, rows, batch_size, dtypes, result):
        # Batches at the start, the middle and the end: kernels treat a
        # shape's leading and trailing rows apart.
        n_batches = (rows.stop - rows.start) // batch_size
        for offset in {
            0,
            n_batches // 2 * batch_size,
            (n_batches - 1) * batch_size,
        }:
            start = rows.start + offset
            single = self._run_batch(
                X, slice(start, start + batch_size), batch_size, dtypes
            )
            if not np.array_equal(
                single, result[offset : offset + batch_size], equal_nan=True
            ):
                return False
        return True

    def _bulk_function(self, batch_size):
        if backend.backend() == "jax" and not self._model.run_eagerly:
            return _jax_sliced_predict(self._model, batch_size)
        return self._predict_on_batch


def _jax_sliced_predict(model, batch_size):
    """One compiled JAX call that runs `model.predict_step` on each
    `batch_size`-row slice of a batch in turn."""
    import jax

    def predict_in_slices(state, batch):
        slices = tree.map_structure(
            lambda x: x.reshape((-1, batch_size) + x.shape[1:]), batch
        )
        outputs = jax.lax.map(
            lambda rows: model.predict_step(state, (rows,))[0], slices
        )
        return tree.map_structure(
            lambda y: y.reshape((-1,) + y.shape[2:]), outputs
        )

    compiled = jax.jit(predict_in_slices)

    def predict(batch):
        state = (
            [variable.value for variable in model.trainable_variables],
            [variable.value for variable in model.non_trainable_variables],
        )
        return compiled(state, batch)

    return predict


def _as_one_array(outputs):
    flat = [np.asarray(output) for output in tree.flatten(outputs)]
    if len(flat) == 1:
        return flat[0]
    return np.concatenate(
        [output.reshape(len(output), -1) for output in flat], axis=1
    )
