"""Serialising Keras models inside a pickled estimator.

A fitted estimator holds Keras models, which are saved with
`keras.saving` into `.keras` bytes when the estimator is pickled, copied or
sent to a joblib worker, and loaded back in safe mode. Only the estimator's
own state is touched; no Keras class is patched.
"""

import io
import json
import os
import tempfile
import zipfile

from keras.src import api_export
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
                return cls(portable_archive(archive.read()))

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


def portable_archive(data):
    """`.keras` bytes that load under every backend.

    Under torch, `keras.optimizers.Adam()` (and most built-in optimizers) is
    an instance of a torch-only subclass, and the archive names that
    subclass's module, `keras.src.backend.torch.optimizers.torch_adam`.
    Loaded under another backend, it builds a torch optimizer that cannot
    update that backend's variables (or fails where torch is not
    installed). The public class has the same configuration and variables,
    and every backend builds its own implementation of it, so the archive
    names the public class instead.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    for index, (info, content) in enumerate(entries):
        if info.filename == "config.json":
            config = json.loads(content)
            if not _name_public_optimizer(config):
                return data
            entries[index] = (info, json.dumps(config).encode("utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in entries:
            archive.writestr(info, content)
    return buffer.getvalue()


def _name_public_optimizer(config):
    """Renames a backend-specific optimizer in a model config in place.

    Returns:
        Whether the config changed.
    """
    optimizer = (config.get("compile_config") or {}).get("optimizer")
    if not isinstance(optimizer, dict):
        return False
    module = optimizer.get("module") or ""
    public_name = f"keras.optimizers.{optimizer.get('class_name')}"
    if not module.startswith("keras.src.backend."):
        return False
    if api_export.get_symbol_from_name(public_name) is None:
        return False
    optimizer["module"] = "keras.optimizers"
    optimizer["registered_name"] = None
    return True
