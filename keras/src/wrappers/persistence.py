"""Serialising Keras models inside a pickled estimator.

A fitted estimator holds Keras models, which are saved with
`keras.saving` into `.keras` bytes when the estimator is pickled, copied or
sent to a joblib worker, and loaded back in safe mode. Only the estimator's
own state is touched; no Keras class is patched.
"""

import os
import tempfile

from keras.src.models.model import Model
from keras.src.saving import saving_api
from keras.src.saving import serialization_lib


class SavedModel:
    """A Keras model as `.keras` archive bytes, ready to pickle."""

    def __init__(self, data):
        self.data = data

    @classmethod
    def from_model(cls, model):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "model.keras")
            model.save(path)
            with open(path, "rb") as archive:
                return cls(archive.read())

    def load(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "model.keras")
            with open(path, "wb") as archive:
                archive.write(self.data)
            # Safe unless the user opted out globally, as Keras itself does.
            safe_mode = serialization_lib.in_safe_mode() is not False
            try:
                return saving_api.load_model(path, safe_mode=safe_mode)
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
        name: SavedModel.from_model(value)
        if isinstance(value, Model)
        else value
        for name, value in state.items()
    }


def unpack(state):
    """Inverse of `pack`: loads the models back."""
    return {
        name: value.load() if isinstance(value, SavedModel) else value
        for name, value in state.items()
    }
