"""Batched inference that gives every row the same answer however called."""

import numpy as np

from keras.src import backend
from keras.src import tree
from keras.src.wrappers import inputs

# A large X goes to the backend in bulk calls of about this many input
# bytes, and at most `MAX_BULK_ROWS` rows, so that per-call costs do not
# dominate and a wide network's activations stay small.
BULK_INPUT_BYTES = 1 << 20
MAX_BULK_ROWS = 16384


class BatchPredictor:
    """Runs a fitted model on arrays, batch by batch, from any thread.

    A row's output never depends on how many rows share its call: kernels
    round differently for different batch shapes, so `predict(X)[i]` and
    `predict(X[i:i + 1])` could differ in the last bits, which
    scikit-learn's checks of subset invariance refuse. So every row is
    computed in a batch of exactly `batch_size` rows (the last one padded
    with zero rows; rows are independent in inference, so padding changes
    nothing else), and backends that compile per shape compile one shape.

    A large `X` goes in bulk calls of many batches, so that per-call costs
    do not dominate:

    - on JAX, one compiled call runs the predict step on each
      `batch_size`-row slice in turn (`jax.lax.map`), so each row still
      meets the kernels of the `batch_size` shape; XLA picks kernels by
      shape, and rows of one large batch round differently;
    - on TensorFlow and PyTorch, whose kernels give a row the same bits in
      any batch shape, a bulk call is one large batch; OpenVINO's do not,
      so there every call is a single batch.

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
        bulk_input_bytes: int, the input bytes of a bulk call. Defaults to
            `BULK_INPUT_BYTES`.
    """

    def __init__(self, model, bulk_input_bytes=BULK_INPUT_BYTES):
        self._model = model
        self._bulk_input_bytes = bulk_input_bytes
        # batch_size -> the bulk function that passed the check, or `False`
        # once the check or a bulk call failed.
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
        outputs = None
        for rows, result in self._results(X, n_rows, batch_size, dtypes):
            if outputs is None:
                outputs = np.empty((n_rows,) + result.shape[1:], result.dtype)
            outputs[rows] = result
        return outputs

    def _results(self, X, n_rows, batch_size, dtypes):
        """Yields `(rows, outputs)` for consecutive rows of `X`: a bulk
        call's where it can, single batches' where not."""
        bulk_rows = self._bulk_rows(X, n_rows, batch_size, dtypes)
        step = bulk_rows or batch_size
        for start in range(0, n_rows, step):
            rows = slice(start, min(start + step, n_rows))
            # A tail of at least a quarter of a bulk call goes in one
            # padded bulk call: cheaper than as many single batches.
            if bulk_rows and rows.stop - start >= bulk_rows // 4:
                result = self._run_bulk(X, rows, bulk_rows, batch_size, dtypes)
                if result is not None:
                    yield rows, result
                    continue
            for first in range(start, rows.stop, batch_size):
                batch = slice(first, min(first + batch_size, n_rows))
                yield batch, self._run_batch(X, batch, batch_size, dtypes)

    def _bulk_rows(self, X, n_rows, batch_size, dtypes):
        """Rows of a bulk call, a multiple of `batch_size`, or `None` when
        `X` is too small for bulk calls to pay for their one-time
        compilation."""
        # OpenVINO rounds some rows of a batch by its shape, rows that the
        # check's sampled batches can miss.
        if n_rows < 2 * batch_size or backend.backend() == "openvino":
            return None
        row_bytes = inputs.nbytes(inputs.network_batch(X, slice(0, 1), dtypes))
        rows = min(self._bulk_input_bytes // max(1, row_bytes), MAX_BULK_ROWS)
        rows -= rows % batch_size
        return rows if 2 * batch_size <= rows <= n_rows else None

    def _run_batch(self, X, rows, pad_to, dtypes, function=None):
        """The outputs of one call of `function` (by default
        `Model.predict_on_batch`) on `rows` of `X`, padded with zero rows
        to `pad_to` rows."""
        batch = inputs.network_batch(X, rows, dtypes, pad_to)
        outputs = (function or self._model.predict_on_batch)(batch)
        return _as_one_array(outputs)[: rows.stop - rows.start]

    def _run_bulk(self, X, rows, bulk_rows, batch_size, dtypes):
        """The outputs of a bulk call, or `None` if this model's bulk
        calls fail or do not give rows the bits of single batches."""
        function = self._bulk_functions.get(batch_size)
        if function is False:
            return None
        checked = function is not None
        function = function or _bulk_function(self._model, batch_size)
        try:
            result = self._run_batch(X, rows, bulk_rows, dtypes, function)
            agrees = checked or self._equals_single_batches(
                X, rows, result, batch_size, dtypes
            )
        except Exception:
            # Out of (device) memory, say: a bulk call's activations may
            # be far larger than its inputs.
            agrees = False
        self._bulk_functions[batch_size] = function if agrees else False
        return result if agrees else None

    def _equals_single_batches(self, X, rows, result, batch_size, dtypes):
        # The first, middle and last batches: kernels treat a shape's
        # leading and trailing rows apart.
        n_batches = (rows.stop - rows.start) // batch_size
        for i in {0, n_batches // 2, n_batches - 1}:
            part = slice(i * batch_size, (i + 1) * batch_size)
            batch = slice(rows.start + part.start, rows.start + part.stop)
            single = self._run_batch(X, batch, batch_size, dtypes)
            if not np.array_equal(single, result[part], equal_nan=True):
                return False
        return True


def _bulk_function(model, batch_size):
    """The function of a bulk call: `Model.predict_on_batch`, or on JAX one
    compiled call that runs `model.predict_step` on each `batch_size`-row
    slice of its batch in turn."""
    if backend.backend() != "jax" or model.run_eagerly:
        return model.predict_on_batch
    import jax

    @jax.jit
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

    def predict(batch):
        variables = (model.trainable_variables, model.non_trainable_variables)
        state = [[variable.value for variable in vs] for vs in variables]
        return predict_in_slices(state, batch)

    return predict


def _as_one_array(outputs):
    flat = [np.asarray(output) for output in tree.flatten(outputs)]
    if len(flat) == 1:
        return flat[0]
    return np.concatenate([out.reshape(len(out), -1) for out in flat], axis=1)
