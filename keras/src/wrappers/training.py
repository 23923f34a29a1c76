"""What happens around `Model.fit`: seeding, arguments and data feeding."""

import contextlib
import random

import numpy as np

from keras.src import backend
from keras.src import tree
from keras.src.backend.common import global_state
from keras.src.callbacks.callback import Callback
from keras.src.random import seed_generator
from keras.src.utils import rng_utils
from keras.src.wrappers import inputs
from keras.src.wrappers import tensorflow_input

# First-class parameters that are also `Model.fit` arguments, and the value
# each takes when neither the parameter nor `fit_kwargs` sets it.
FIT_ARGUMENT_DEFAULTS = dict(
    epochs=20, batch_size=32, verbose=0, callbacks=None
)


# Most training steps per call into the backend, and the most bytes of
# input batches one call may take (see `set_steps_per_execution`).
MAX_STEPS_PER_EXECUTION = 32
CALL_INPUT_BYTES = 64 * 2**20


def set_steps_per_execution(model, batch_callbacks, batch_bytes):
    """Sets the training steps per call into the backend for a model the
    wrappers compiled themselves (a model the user compiled keeps its own).

    Small networks on small data spend most of a step in per-call
    overhead, which several steps a call share. A call holds all its
    steps' batches at once, so wide batches get fewer steps a call, down
    to one: at most `CALL_INPUT_BYTES` of input a call. With callbacks,
    which may want to see every batch, and on PyTorch, whose trainer
    allows no other value, it is one step a call. The train function is
    traced for one value, so it is dropped when this changes.

    Args:
        model: a compiled `keras.Model`.
        batch_callbacks: bool, whether this fit has user callbacks.
        batch_bytes: int, the bytes of one input batch for the network.
    """
    steps = min(
        MAX_STEPS_PER_EXECUTION, max(1, CALL_INPUT_BYTES // batch_bytes)
    )
    if batch_callbacks or backend.backend() == "torch":
        steps = 1
    if model.steps_per_execution != steps:
        model.steps_per_execution = steps
        model.train_function = None


def resolve_fit_arguments(params, fit_kwargs, call_kwargs):
    """Merges `Model.fit` arguments from the three places they can come from.

    Precedence, lowest first: the first-class parameters (`epochs`, ...),
    `fit_kwargs` (Keras 3.15 compatible), then the keyword arguments of this
    `fit` call. Neither input is modified.

    Args:
        params: dict of the estimator's first-class fit parameters.
        fit_kwargs: the `fit_kwargs` parameter, or `None`.
        call_kwargs: keyword arguments given to this `fit` call.

    Returns:
        A new dict of `Model.fit` keyword arguments.
    """
    fit_kwargs = fit_kwargs or {}
    merged = {}
    for name, default in FIT_ARGUMENT_DEFAULTS.items():
        value = params.get(name)
        if value is not None and name in fit_kwargs:
            raise ValueError(
                f"`{name}` is set both as a parameter ({name}={value!r}) "
                f"and in `fit_kwargs` ({name}={fit_kwargs[name]!r}). Set it "
                "in one place: the parameter is what `GridSearchCV` tunes."
            )
        merged[name] = default if value is None else value
    merged.update(fit_kwargs, **call_kwargs)
    merged["callbacks"] = list(merged["callbacks"] or [])
    return merged


def seed_from(random_state):
    """An int seed from scikit-learn's `random_state` convention, or None."""
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return None if random_state is None else int(random_state)


# Keras's thread-local default-seed source (the Keras fix "random: let a
# thread draw default seeds from a source of its own"), where the
# installed Keras has it.
_set_default_seed_source = getattr(
    seed_generator, "set_default_seed_source", None
)


@contextlib.contextmanager
def seeded(seed):
    """Seeds what a fit draws from, then restores it.

    Layers and initializers created without a seed take one from Keras's
    default-seed source, and `keras.random` calls without a seed draw from
    its global seed generator (per thread). Shuffling draws from
    generators the fit owns (`inputs.RowBatches`, the `tf.data` pipeline's
    op seed) and the hold-out split from its own `random_state`.

    Where Keras lets a thread have its own default-seed source, nothing
    process-global is touched, so fits in concurrent threads each equal
    their serial twin. Elsewhere the fit seeds Keras's process-global
    random state as `keras.utils.set_random_seed` does: reproducible
    serially, but threads fitting at once share that state.

    Args:
        seed: int seed, or `None` to leave every random state as it is.
    """
    if seed is None or _set_default_seed_source is None:
        if seed is not None:
            rng_utils.set_random_seed(seed)
        yield
        return
    key = seed_generator.GLOBAL_SEED_GENERATOR
    previous_generator = global_state.get_global_attribute(key)
    global_state.set_global_attribute(key, seed_generator.SeedGenerator(seed))
    previous_source = _set_default_seed_source(random.Random(seed))
    try:
        yield
    finally:
        global_state.set_global_attribute(key, previous_generator)
        _set_default_seed_source(previous_source)


def fit_data(x, y, sample_weight, fit_arguments, seed, dtypes):
    """Returns `Model.fit` keyword arguments that feed `x`, `y` and weights.

    `Model.fit` would shuffle arrays with a process-global generator, so
    the training data (and a `validation_data` tuple) go in as batches
    that shuffle their rows themselves, from the fit's own seed, and
    convert each batch to the network's dtypes: on TensorFlow, in-memory
    arrays through the wrappers' own `tf.data` pipeline
    (`tensorflow_input`); everything else as `inputs.RowBatches`, one
    batch converted at a time, so memory grows with a batch, not with `X`.

    Args:
        x: validated inputs.
        y: NumPy array of encoded targets, or a list or dict of them (one
            per output head).
        sample_weight: NumPy array of per-row weights, or `None`.
        fit_arguments: dict of `Model.fit` keyword arguments, with
            `batch_size`. Not modified.
        seed: int seed of the shuffle, or `None`.
        dtypes: the network's input dtypes, from `inputs.network_dtypes`.

    Returns:
        A new dict of `Model.fit` keyword arguments, with `x` (and
        `validation_data`) as batches and `shuffle=False`.
    """
    arguments = dict(fit_arguments)
    batch_size = arguments.pop("batch_size")
    shuffle = arguments.pop("shuffle", True)
    split = arguments.pop("validation_split", None)
    if split:
        (x, y, sample_weight), arguments["validation_data"] = _split_last(
            x, y, sample_weight, split
        )
    make_batches = inputs.RowBatches
    if backend.backend() == "tensorflow" and inputs.is_in_memory(x):
        make_batches = tensorflow_input.batches
    if backend.backend() == "jax":
        callbacks = arguments.get("callbacks") or []
        arguments["callbacks"] = [*callbacks, WaitForEachCall()]

    def batches(data, shuffle, seed):
        x, y, weights = (tuple(data) + (None,))[:3]
        return make_batches(x, y, weights, dtypes, batch_size, shuffle, seed)

    arguments["x"] = batches((x, y, sample_weight), shuffle, seed)
    validation = arguments.get("validation_data")
    if isinstance(validation, tuple):
        arguments["validation_data"] = batches(validation, False, None)
    # The batches are shuffled already; Keras would shuffle their order
    # again, with Python's global `random`.
    arguments["shuffle"] = False
    return arguments


def _split_last(x, y, sample_weight, fraction):
    """Holds out the last `fraction` of the rows, as Keras's own
    `validation_split` does: `Model.fit` refuses that argument for the
    batches `fit_data` makes.

    Returns:
        Two `(x, y, sample_weight)` tuples: training and validation rows.
    """
    n_rows = inputs.num_rows(x)
    cut = n_rows - int(n_rows * fraction)
    if cut in (0, n_rows):
        raise ValueError(
            f"validation_split={fraction} leaves no training or no "
            f"validation rows out of {n_rows}. Use a fraction in (0, 1) "
            "that keeps at least one row on each side."
        )

    def rows(part):
        weights = None if sample_weight is None else sample_weight[part]
        return x[part], tree.map_structure(lambda a: a[part], y), weights

    return rows(slice(cut)), rows(slice(cut, None))


class WaitForEachCall(Callback):
    """Waits for each training call to finish before the next batch is
    made.

    JAX runs a call asynchronously, so `Model.fit` would go on converting
    batches while earlier ones wait on the device: for batches converted
    from a sparse matrix or a file, memory would grow with the batches
    queued, not with one batch.
    """

    def on_train_batch_end(self, batch, logs=None):
        import jax

        jax.block_until_ready(logs)


class StopOnDivergence(Callback):
    """Stops training after the first epoch whose loss is not finite.

    Checked once per epoch, from the epoch's logs, so training never waits
    on a per-batch device-to-host copy.
    """

    # The first diverged epoch of this fit and its loss, if any.
    epoch = loss = None

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            self.epoch, self.loss = epoch, float(loss)
            self.model.stop_training = True

    def raise_if_diverged(self, epochs_before):
        """Raises `FloatingPointError` if training diverged.

        Args:
            epochs_before: int, epochs the model trained in earlier calls,
                so that the message counts epochs as `n_iter_` does.
        """
        if self.epoch is not None:
            raise FloatingPointError(
                f"Training diverged: the loss became {self.loss} in epoch "
                f"{epochs_before + self.epoch + 1}. The estimator keeps its "
                "state from before this fit (unfitted, or its previous "
                "model). Lower the learning rate (e.g. "
                "`optimizer__learning_rate=1e-4`), scale the features (e.g. "
                "with `StandardScaler`), or check X and y for extreme values."
            )


class WeightSnapshot:
    """The values of a model's and its optimizer's variables, to roll back
    a continued fit (`partial_fit`, `warm_start`) that fails part-way.

    Args:
        model: a `keras.Model`, compiled or not.
    """

    def __init__(self, model):
        optimizer = getattr(model, "optimizer", None)
        self.variables = list(model.variables)
        self.variables += getattr(optimizer, "variables", [])
        self.values = [np.array(v.numpy()) for v in self.variables]

    def restore(self):
        for variable, value in zip(self.variables, self.values):
            variable.assign(value)
