"""`history_`: the per-epoch losses and metrics of a fitted estimator."""

import warnings


def _deprecated(name, instead, value):
    """A property for an attribute of Keras 3.15's `History` object that
    returns `value(history)` with a `DeprecationWarning` saying `instead`."""

    def getter(history):
        warnings.warn(
            f"`history_.{name}` is deprecated and will be removed in a future "
            "release: `history_` is now a dict of per-epoch values, not the "
            f"`keras.callbacks.History` object of `Model.fit`. {instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value(history)

    return property(getter, doc=f"Deprecated. {instead}")


class FitHistory(dict):
    """A dict mapping each loss and metric to its values, one per epoch.

    It covers every epoch `model_` has been trained, over continued fits
    (`warm_start=True`, `partial_fit`) too: `history_["loss"][-1]` is the
    latest training loss. In Keras 3.15 `history_` was the
    `keras.callbacks.History` object returned by `Model.fit`; its
    attributes `history`, `epoch` and `params` still work for one more
    release, with a `DeprecationWarning`.

    Args:
        values: dict mapping names to lists of per-epoch values.
        params: dict, the `params` of the latest fit's `History` object
            (`epochs`, `steps`, `verbose`). Defaults to `None`.

    Example:

    >>> history = FitHistory({"loss": [0.9, 0.5]})
    >>> history["loss"][-1]
    0.5
    >>> history == {"loss": [0.9, 0.5]}
    True
    """

    def __init__(self, values=(), params=None):
        super().__init__(values)
        self._fit_params = dict(params or {})

    history = _deprecated(
        "history",
        'Read `history_["loss"]` instead of `history_.history["loss"]`.',
        dict,
    )
    epoch = _deprecated(
        "epoch",
        "Use the estimator's `n_iter_`, the number of epochs trained: "
        "`list(range(n_iter_))` is the old value.",
        lambda history: list(range(max(map(len, history.values()), default=0))),
    )
    params = _deprecated(
        "params",
        "Read the estimator's `epochs`, `batch_size` and `verbose` "
        "parameters (or `get_params()`) instead.",
        lambda history: dict(history._fit_params),
    )
