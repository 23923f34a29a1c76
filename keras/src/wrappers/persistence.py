"""Serialising Keras models inside a pickled estimator.

A fitted estimator holds Keras models, which are saved with
`keras.saving` into `.keras` bytes when the estimator is pickled, copied or
sent to a joblib worker, and loaded back in safe mode. Only the estimator's
own state is touched; no Keras class is patched.

An estimator pickled under one backend loads under any other: `.keras`
archives name built-in optimizers by their public class and keep
`jit_compile="auto"` unresolved, so the loading backend applies its own
defaults.
"""

import io

from keras.src.models.model import Model
from keras.src.saving import saving_lib
from keras.src.saving import serialization_lib


class KerasArchive:
    """A Keras model as `.keras` archive bytes, ready to pickle.

    Args:
        data: bytes of the `.keras` archive, as `keras.saving.save_model`
            writes to a `.keras` file.
    """

    def __init__(self, data):
        self.data = data

    @classmethod
    def from_model(cls, model):
        # `saving_lib` writes to file objects; the public `save_model`
        # insists on a `.keras` path.
        buffer = io.BytesIO()
        saving_lib.save_model(model, buffer)
        return cls(buffer.getvalue())

    def load(self):
        # Safe unless the user opted out globally, as Keras itself does.
        safe_mode = serialization_lib.in_safe_mode() is not False
        try:
            return saving_lib.load_model(
                io.BytesIO(self.data), safe_mode=safe_mode
            )
        except ValueError as error:
            if "safe_mode" not in str(error):
                raise
            raise ValueError(
                "This estimator's model needs unsafe deserialisation "
                "(for example a `Lambda` layer) to load. If you trust "
                "its source, call "
                "`keras.config.enable_unsafe_deserialization()` before "
                f"unpickling it. Original error: {error}"
            ) from error


def pack(state):
    """Returns a copy of an estimator's `__dict__` with models as bytes."""
    return {
        name: KerasArchive.from_model(value)
        if isinstance(value, Model)
        else value
        for name, value in state.items()
    }


def unpack(state):
    """Inverse of `pack`: loads the models back."""
    return {
        name: value.load() if isinstance(value, KerasArchive) else value
        for name, value in state.items()
    }
