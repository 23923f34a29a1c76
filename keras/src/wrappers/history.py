"""`history_`: the per-epoch losses and metrics of a fitted estimator."""

import warnings


def _warn_history_attribute(name, instead):
    warnings.warn(
        f"`history_.{name}` is deprecated and will be removed in a future "
        "release: `history_` is no longer the `keras.callbacks.History` "
        "object of `Model.fit` but a dict mapping each loss and metric to "
        f"its per-epoch values. {instead}",
        DeprecationWarning,
        stacklevel=3,
    )


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

    @property
    def history(self):
        """Deprecated: the dict itself. Read `history_[name]` instead."""
        _warn_history_attribute(
            "history",
            'Read `history_["loss"]` instead of `history_.history["loss"]`.',
        )
        return dict(self)

    @property
    def epoch(self):
        """Deprecated: the indices of the epochs trained. Use `n_iter_`."""
        _warn_history_attribute(
            "epoch",
            "Use the estimator's `n_iter_`, the number of epochs trained: "
            "`list(range(n_iter_))` is the old value.",
        )
        return list(range(max(map(len, self.values()), default=0)))

    @property
    def params(self):
        """Deprecated: the `Model.fit` settings of the latest fit."""
        _warn_history_attribute(
            "params",
            "Read the estimator's `epochs`, `batch_size` and `verbose` "
            "parameters (or `get_params()`) instead.",
        )
        return dict(self._fit_params)
