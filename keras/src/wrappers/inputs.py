"""What `X` may be, how it is validated, and how its rows reach the network.

`X` may be an array of any rank from 2, a sparse matrix, a dict of named
inputs, or an array read from disk. `validate` checks it once, for `fit`
and `predict` alike, and records on the estimator what later calls check
it against. The wrappers then keep `X` as validated and convert rows batch
by batch into what each model input declares: the input's own dtype
(integer token ids stay integers), dense rows for a sparse matrix, and
only the rows of the batch for an array on disk. In-memory arrays already
in the network's dtype skip this and go to `Model.fit` whole, the fastest
path.
"""

import functools
import mmap

import numpy as np

from keras.src import backend
from keras.src import tree
from keras.src.api_export import keras_export
from keras.src.trainers.data_adapters.py_dataset_adapter import PyDataset

try:
    import scipy.sparse
except ImportError:  # pragma: no cover
    scipy = None
try:
    from sklearn.utils.validation import check_array
    from sklearn.utils.validation import check_consistent_length
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover
    # scikit-learn is absent, or older than 1.6 (no `validate_data`).
    validate_data = None

# How `X` is validated: kept in its own dtype (it is converted batch by
# batch into what the model's inputs declare), any rank from 2, and sparse
# matrices as CSR, whose rows slice fast.
X_CHECKS = {"dtype": "numeric", "allow_nd": True, "accept_sparse": "csr"}
FLOAT32_MAX = float(np.finfo(np.float32).max)
# Bytes of an array on disk checked at once, so that memory holds one
# chunk of the file (4,096 rows of 1 KB, or 160 images of 96x96x3 float32),
# not all of it.
CHUNK_BYTES = 4 << 20
# Rows of an array on disk gathered between page releases: reading one row
# may map megabytes of the file around it (the kernel maps whole large
# folios of the page cache), so a batch of scattered rows would map most
# of the file at once.
GATHER_ROWS = 16
# What `validate_data` checks of a multi-output y.
Y_CHECKS = {"accept_sparse": "csr", "ensure_2d": False, "dtype": None}


@keras_export("keras.wrappers.InputDict")
class InputDict(dict):
    """A dict of a multi-input model's inputs that scikit-learn can split.

    Each key names a model input and each value holds its rows, all with
    the same number of rows. Indexing by a key returns that input; indexing
    by row indices, a slice or a boolean mask returns an `InputDict` of
    those rows of every input, which is what scikit-learn's splitters,
    `cross_validate` and `GridSearchCV` do with `X`. A plain dict works in
    `fit` and `predict`; this one also works in those tools.

    Args:
        *args, **kwargs: as for `dict`: the inputs by name.

    Example:

    >>> import numpy as np
    >>> from keras.wrappers import InputDict
    >>> X = InputDict(
    ...     image=np.zeros((10, 8, 8, 1)), tabular=np.ones((10, 3))
    ... )
    >>> X.shape
    (10,)
    >>> X[[0, 2, 4]]["image"].shape
    (3, 8, 8, 1)
    """

    @property
    def shape(self):
        """`(n_rows,)`: scikit-learn counts samples by the first axis."""
        check_equal_lengths(self)
        return (num_rows(next(iter(self.values()))),) if self else (0,)

    def __getitem__(self, key):
        if isinstance(key, str):
            return super().__getitem__(key)
        if isinstance(key, tuple) and key[-1] is Ellipsis:
            # scikit-learn indexes rows as `X[rows, ...]`.
            key = key[0]
        return InputDict({name: value[key] for name, value in self.items()})


def is_sparse(X):
    return scipy is not None and scipy.sparse.issparse(X)


def plain(X):
    """`X` with an `InputDict` made a plain dict, as `Model.fit` takes it."""
    return dict(X) if isinstance(X, InputDict) else X


def nbytes(batch):
    """The bytes of a batch from `network_batch`."""
    return sum(array.nbytes for array in tree.flatten(batch))


def is_mapped(X):
    """Whether `X` is a NumPy array whose data is a file mapped into
    memory (`np.memmap`, `np.load(..., mmap_mode="r")`)."""
    return isinstance(X, np.ndarray) and _mapped(X) is not None


def num_rows(X):
    """The number of rows (samples) of validated inputs."""
    return X.shape[0]


def check_equal_lengths(X):
    lengths = {name: num_rows(value) for name, value in X.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(
            "Every input in X must have the same number of rows. Received: "
            + ", ".join(f"{name!r}: {n}" for name, n in lengths.items())
        )


def validate(estimator, X, y="no_validation", reset=False, y_numeric=False):
    """Checks `X` (and `y`) for `estimator`: the one way in for `X`.

    What scikit-learn's `validate_data` does, for every `X` the wrappers
    take, in `fit` and `predict` alike. A fit that starts afresh
    (`reset=True`) records `input_shape_` (and, for a single array,
    `n_features_in_` and `feature_names_in_`) on the estimator; other calls
    check `X` against them. Values float32 cannot hold, the dtype the
    networks compute in, are refused; text is kept as it is, for a model
    input of dtype string (`network_dtypes` refuses it anywhere else).
    An array on disk is checked a chunk of rows at a time, giving back
    each chunk's pages. A plain finite float array of the fitted row shape
    skips scikit-learn's checks in `predict`: they cost about as much as
    the network itself on a small batch.

    Args:
        estimator: the scikit-learn wrapper `X` is for.
        X: array-like of shape `(n_samples, ...)`, scipy.sparse matrix,
            array on disk, or dict of these keyed by model input name.
        y: the targets; `None` in a fit without them (an error unless the
            estimator's tags allow it); `"no_validation"` (the default)
            checks `X` alone, as `predict` does.
        reset: bool, whether this is a fit that starts afresh. Defaults
            to `False`.
        y_numeric: bool, whether `y` must be numeric. Defaults to `False`.

    Returns:
        `(X, y)`: `X` in its own dtype as an array, a CSR matrix, the
        array on disk itself, or an `InputDict` of these; `num_rows` counts
        its rows and `network_dtypes` gives the network's dtypes for it.
        `y` as a NumPy array, or as given when not checked.
    """
    expected = None if reset else estimator.input_shape_
    if isinstance(expected, tuple):
        if isinstance(y, str) and _is_plain_float_array(estimator, X):
            return X, y
        if len(expected) > 1 and hasattr(X, "shape"):
            # Before `validate_data`, whose message counts only features.
            check_row_shapes(X, expected)
    if isinstance(X, dict) and not is_sparse(X):  # a DOK matrix is a dict
        X = _validated_dict(estimator, X, reset)
    else:
        # `validate_data` checks that y is given where it is required.
        given = None if y is None else "no_validation"
        check = functools.partial(validate_data, estimator)
        X = _checked(X, check, y=given, reset=reset)
    if y is not None and not isinstance(y, str):
        # `validate_data`'s checks of y (multi-output), made apart from X;
        # through `validate_data` they would forget X's feature names.
        y = check_array(y, input_name="y", estimator=estimator, **Y_CHECKS)
        if y_numeric and y.dtype.kind == "O":
            y = y.astype(np.float64)
        check_consistent_length(X, y)
    if reset:
        estimator.input_shape_ = row_shapes(X)
    else:
        check_row_shapes(X, expected)
    return X, y


def _validated_dict(estimator, X, reset):
    """A dict `X` as an `InputDict` of checked arrays.

    scikit-learn's `n_features_in_` and `feature_names_in_` describe one
    table, so a dict of inputs has neither; `input_shape_` gives each
    input's row shape.
    """
    if not X:
        raise ValueError(
            "X is an empty dict: pass one array per model input, by name."
        )
    if reset:
        for name in ("n_features_in_", "feature_names_in_"):
            vars(estimator).pop(name, None)
    X = InputDict(
        (name, _checked(value, check_array, input_name=f"X[{name!r}]"))
        for name, value in X.items()
    )
    check_equal_lengths(X)
    return X


def _checked(X, check, **kwargs):
    """`X` after `check(X, **X_CHECKS, **kwargs)` (scikit-learn's
    `check_array` or `validate_data`) and the float32 check; text, which
    the numeric check refuses, is checked again keeping its dtype.

    An array on disk is checked `CHUNK_BYTES` of rows at a time, however
    wide they are, and kept as it is, so that its rows are read batch by
    batch later.
    """
    kwargs.update(X_CHECKS)
    try:
        if not is_mapped(X):
            return _checked_fits_float32(check(X, **kwargs))
        rows = max(1, CHUNK_BYTES // max(1, X[:1].nbytes))
        for start in range(0, max(len(X), 1), rows):
            chunk = check(X[start : start + rows], **kwargs)
            _checked_fits_float32(chunk)
            release_pages(X)
        return X
    except ValueError as error:
        text_errors = ("could not convert", "arrays of bytes/strings")
        if not any(message in str(error) for message in text_errors):
            raise
    # Text is kept as it is: only a model whose input takes strings takes
    # it (see `network_dtypes`).
    return check(X, **{**kwargs, "dtype": None})


def _fits_float32(X):
    """Whether every value of `X` (an array or a sparse matrix) is finite
    as float32."""
    data = X.data if is_sparse(X) else X
    # `max` and `min` copy nothing, unlike `abs`; NaN fails them too.
    return (
        data.dtype.kind != "f"
        or data.size == 0
        or (data.max() <= FLOAT32_MAX and data.min() >= -FLOAT32_MAX)
    )


def _checked_fits_float32(X):
    """`X`, refused unless `_fits_float32`."""
    if not _fits_float32(X):
        # scikit-learn's own wording for values too large for a dtype.
        raise ValueError(
            "Input X contains infinity or a value too large for "
            "dtype('float32')."
        )
    return X


def _is_plain_float_array(estimator, X):
    """Whether `X` is a finite in-memory float array of the fitted row
    shape, from an estimator fitted without feature names: one that
    scikit-learn's checks would pass as it is."""
    return (
        not isinstance(X, InputDict)
        and is_in_memory(X)
        and X.dtype in (np.float32, np.float64)
        and X.shape[0] > 0
        and X.shape[1:] == estimator.input_shape_
        and not hasattr(estimator, "feature_names_in_")
        and _fits_float32(X)
    )


def row_shapes(X):
    """The shape of one row of `X`, or a dict of them for a dict `X`."""
    if isinstance(X, InputDict):
        return {name: tuple(v.shape[1:]) for name, v in X.items()}
    return tuple(X.shape[1:])


def check_row_shapes(X, expected):
    """Refuses rows of another shape than those the estimator was fitted on.

    Args:
        X: inputs: anything with a `shape`, or a dict of arrays.
        expected: the fitted `input_shape_`.
    """
    received = row_shapes(X)
    if isinstance(expected, dict) != isinstance(received, dict):
        kind = "a dict of inputs" if isinstance(expected, dict) else "an array"
        raise ValueError(
            f"The estimator was fitted on {kind}, so X must be {kind} "
            f"too. Received X of type {type(X).__name__}."
        )
    if isinstance(expected, dict):
        check_input_names(X, list(expected), "the inputs seen in `fit`")
        for name, shape in expected.items():
            _check_shape(received[name], shape, f"Input {name!r} of X")
    else:
        _check_shape(received, expected, "X")


def _check_shape(received, expected, what):
    if received != expected:
        raise ValueError(
            f"{what} has rows of shape {received}, but the estimator was "
            f"fitted on rows of shape {expected}. Pass an array of shape "
            f"{('n_samples',) + expected}."
        )


def model_inputs(model):
    """A dict of a model's symbolic inputs by name, or `None` if it does
    not declare them (a subclassed model)."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return None
    # A built Sequential model has `inputs` but may lack `input`.
    structure = getattr(model, "input", None)
    if isinstance(structure, dict):
        return dict(structure)
    return {tensor.name: tensor for tensor in inputs}


def check_input_names(X, names, owner):
    """Refuses a dict `X` whose keys are not exactly `names`."""
    missing = [name for name in names if name not in X]
    extra = [name for name in X if name not in names]
    if missing or extra:
        raise ValueError(
            f"The keys of X must be the names of {owner}: {names}. "
            + (f"Missing: {missing}. " if missing else "")
            + (f"Not among them: {extra}. " if extra else "")
            + "Key X by the names given to `keras.Input(name=...)`."
        )


def check_model_inputs(model, X):
    """Refuses `X` whose structure does not match the model's inputs."""
    # `model_inputs` is None for a model that declares none: no check.
    names = list(model_inputs(model) or ())
    if isinstance(X, InputDict) and names:
        check_input_names(X, names, "the model's inputs")
    elif len(names) > 1:
        raise ValueError(
            f"The model has {len(names)} inputs ({names}), but X is a "
            "single array. Pass X as a dict keyed by the input names, as a "
            "`keras.wrappers.InputDict` to split it with scikit-learn."
        )


def network_dtypes(model, X):
    """The dtype each input of `X` takes on its way into `model`.

    The dtype an input declares (`keras.Input(dtype="int32")`); where the
    model declares none (a subclassed model), integer arrays stay integers
    and anything else becomes `floatx`. Text goes only to an input of
    dtype string, on TensorFlow; anything else gets an error saying how
    to encode it.

    Returns:
        A `np.dtype`, or a dict of them for a dict `X`.
    """
    declared = model_inputs(model) or {}
    if isinstance(X, InputDict):
        return {
            name: _dtype_for(value, declared.get(name))
            for name, value in X.items()
        }
    only = next(iter(declared.values())) if len(declared) == 1 else None
    return _dtype_for(X, only)


def _dtype_for(array, model_input):
    """The dtype `array` takes into `model_input` (`None` if unknown)."""
    declared = getattr(model_input, "dtype", None)
    declared = declared and backend.standardize_dtype(declared)
    if declared == "string" and backend.backend() != "tensorflow":
        raise ValueError(
            "The model has an input of dtype string, which only the "
            "TensorFlow backend can feed (`KERAS_BACKEND=tensorflow`). On "
            f"{backend.backend()}, encode the text before the network, for "
            "example with scikit-learn's `OrdinalEncoder`."
        )
    if np.dtype(array.dtype).kind in "OSU" and declared != "string":
        raise ValueError(
            "X holds text, but the model's input takes numbers. Give the "
            'model a string input, `keras.Input(shape=..., dtype="string")`, '
            "followed by a `StringLookup` or `TextVectorization` layer "
            "(TensorFlow backend), or encode text and categorical columns "
            "first, e.g. with `OneHotEncoder` or `OrdinalEncoder` in a "
            "`ColumnTransformer`."
        )
    if declared is not None:
        return np.dtype(str if declared == "string" else declared)
    if np.dtype(array.dtype).kind in "iu":
        return np.dtype(array.dtype)
    return np.dtype(backend.floatx())


def is_in_memory(X):
    """Whether `X` is NumPy arrays in memory (not sparse, not on disk)."""
    if isinstance(X, InputDict):
        return all(is_in_memory(value) for value in X.values())
    return type(X) is np.ndarray and _mapped(X) is None


def network_batch(X, rows, dtypes, pad_to=None):
    """Rows of `X` as the network takes them: dense, in its dtypes.

    Args:
        X: validated inputs: an array, a sparse matrix, any array whose
            rows can be indexed, or a dict of these.
        rows: slice or integer array of the rows to take.
        dtypes: from `network_dtypes`.
        pad_to: int or `None`; appends zero rows up to this many.

    Returns:
        A NumPy array, or a dict of them for a dict `X`.
    """
    if isinstance(X, InputDict):
        return {
            name: network_batch(value, rows, dtypes[name], pad_to)
            for name, value in X.items()
        }
    batch = _gathered(X, rows)
    if is_sparse(batch):
        batch = batch.toarray()
    batch = np.asarray(batch, dtype=dtypes)
    release_pages(X)
    if pad_to is not None and len(batch) < pad_to:
        padding = np.zeros((pad_to - len(batch),) + batch.shape[1:], dtypes)
        batch = np.concatenate([batch, padding])
    return batch


def _gathered(X, rows):
    """`X[rows]`; from a memory map, `GATHER_ROWS` at a time, giving the
    pages back in between."""
    if isinstance(rows, slice) or _mapped(X) is None:
        return X[rows]
    batch = np.empty((len(rows),) + X.shape[1:], X.dtype)
    for start in range(0, len(rows), GATHER_ROWS):
        batch[start : start + GATHER_ROWS] = X[
            rows[start : start + GATHER_ROWS]
        ]
        release_pages(X)
    return batch


def _mapped(X):
    """The `mmap.mmap` under a NumPy array, or `None` if it has none."""
    base = getattr(X, "base", None)
    while base is not None and not isinstance(base, mmap.mmap):
        base = getattr(base, "base", None)
    return base


def release_pages(X):
    """Lets the kernel drop the pages of `X` if it is a read-only memory
    map.

    Pages of a file mapped into memory stay in the process's resident
    memory once read, so one pass over a `np.memmap` would end up holding
    all of it. Those of read-only maps (`mode="r"`) are given back after
    each batch: the data stays in the kernel's page cache, so reading it
    again costs a page fault, not a disk access. Writable maps are left
    alone: dropping a copy-on-write page would discard the user's changes.
    """
    mapped = _mapped(X) if isinstance(X, np.ndarray) else None
    # Windows has neither `madvise` nor `MADV_DONTNEED`.
    if mapped is not None and hasattr(mmap, "MADV_DONTNEED"):
        if not X.flags.writeable:
            mapped.madvise(mmap.MADV_DONTNEED)


class RowBatches(PyDataset):
    """Training batches gathered from the rows of any `X`, one at a time.

    Used for everything `Model.fit` should not receive whole: sparse
    matrices, arrays on disk, and arrays that need another dtype. Each
    batch is converted on its own, so memory grows with a batch, never
    with a copy of `X`. The row order is shuffled each epoch from a
    generator this object owns, so that a seeded fit is reproducible and
    draws from no global random state.

    Args:
        x: validated inputs (see `network_batch`).
        y: NumPy array of encoded targets, or a list or dict of them (one
            per output head).
        sample_weight: NumPy array of per-row weights, or `None`.
        dtypes: from `network_dtypes`.
        batch_size: int, rows per batch.
        shuffle: bool, whether to draw a new row order each epoch.
        seed: int seed of the row order, or `None`.
    """

    def __init__(self, x, y, sample_weight, dtypes, batch_size, shuffle, seed):
        super().__init__()
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.dtypes, self.batch_size, self.shuffle = dtypes, batch_size, shuffle
        self.order = np.arange(num_rows(x))
        self.generator = np.random.default_rng(seed)
        self.on_epoch_end()  # The first epoch's order.

    def __len__(self):
        return -(-len(self.order) // self.batch_size)

    def __getitem__(self, index):
        start = index * self.batch_size
        rows = self.order[start : start + self.batch_size]
        if self.shuffle:
            # Sorted rows read a file or a sparse matrix in one sweep; the
            # rows of a batch are summed over, so their order is moot.
            rows = np.sort(rows)
        targets = tree.map_structure(lambda y: y[rows], self.y)
        batch = (network_batch(self.x, rows, self.dtypes), targets)
        if self.sample_weight is not None:
            batch += (self.sample_weight[rows],)
        return batch

    def on_epoch_end(self):
        """Draws the next epoch's row order, when shuffling."""
        if self.shuffle:
            self.generator.shuffle(self.order)
