"""Per-sample weights: checked like scikit-learn's, scaled for Keras.

scikit-learn's convention is that a sample weight of `k` counts as `k`
copies of the row. Keras averages a batch's weighted losses over the
number of rows, not over the total weight, so weights that average 2
would double the gradient, as a doubled learning rate does. Scaling the
weights to a mean of 1 over the training data (for `partial_fit`, over the
data of that call) removes that: a weight of `k` then equals `k` copies
exactly when a batch holds all the data, and in expectation over
mini-batches. (Up to float32 rounding: the sums run over different rows.)
"""

import numbers

import numpy as np

try:
    from sklearn.utils.validation import check_array
except ImportError:  # pragma: no cover
    check_array = None


def check_sample_weight(sample_weight, n_samples):
    """Returns `sample_weight` as a float32 array of shape `(n_samples,)`.

    Args:
        sample_weight: a number (the same weight for every row) or an
            array-like of one non-negative, finite weight per row.
        n_samples: int, the number of rows of `X`.

    Returns:
        A float32 NumPy array (the input itself when it already is one;
        the wrappers never write into it).

    Raises:
        ValueError: if the weights have the wrong shape, are not finite,
            are negative, or are all zero.
    """
    if isinstance(sample_weight, numbers.Number):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    weights = check_array(
        sample_weight,
        ensure_2d=False,
        dtype=np.float32,
        input_name="sample_weight",
    )
    if weights.shape != (n_samples,):
        raise ValueError(
            "Expected `sample_weight` to hold one weight per row of X, "
            f"shape ({n_samples},). Received: an array of shape "
            f"{weights.shape}."
        )
    if np.any(weights < 0):
        raise ValueError(
            "Negative values in `sample_weight`: weights must be >= 0. "
            f"Received: min(sample_weight)={float(weights.min())}."
        )
    if not np.any(weights > 0):
        raise ValueError(
            "All sample weights are zero: at least one sample weight must "
            "be positive for the network to learn anything."
        )
    return weights


def scaled_to_mean_one(weights):
    """The weights divided by their mean, or `None` for no weights."""
    if weights is None:
        return None
    return (weights / np.mean(weights, dtype=np.float64)).astype(np.float32)
