"""Batched inference with a bounded number of compiled shapes."""

import numpy as np


def _bucket(n_rows):
    """The next power of two: repeated calls reuse a few compiled shapes."""
    return 1 << max(0, int(n_rows - 1).bit_length())


def predict_batches(model, X, batch_size):
    """Runs `model` on `X` in batches; returns a NumPy array.

    Each batch is padded to a power-of-two number of rows, so backends that
    compile per input shape (JAX, TensorFlow) compile a handful of functions
    however the batch sizes vary, instead of one per distinct size. Rows
    are independent in inference, so padding does not change any output.
    """
    outputs = []
    for start in range(0, len(X), batch_size):
        batch = X[start : start + batch_size]
        rows = len(batch)
        padded = _bucket(rows)
        if padded != rows:
            padding = np.zeros((padded - rows,) + batch.shape[1:], batch.dtype)
            batch = np.concatenate([batch, padding])
        outputs.append(np.asarray(model.predict_on_batch(batch))[:rows])
    return np.concatenate(outputs) if outputs else np.empty((0,))
