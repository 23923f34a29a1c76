"""Serialising Keras models inside a pickled estimator.

A fitted estimator holds Keras models, which are saved with
`keras.saving` into `.keras` bytes when the estimator is pickled, copied or
sent to a joblib worker, and loaded back in safe mode. Only the estimator's
own state is touched; no Keras class is patched.

An estimator pickled under one backend loads under any other. Two settings
in a `.keras` archive's compile config are specific to the backend that
saved it, and are made neutral here:

- Under torch, `keras.optimizers.Adam()` (and most built-in optimizers) is
  an instance of a torch-only subclass, and the archive names that
  subclass's module, `keras.src.backend.torch.optimizers.torch_adam`.
  Loaded elsewhere, it builds a torch optimizer that cannot update the
  other backend's variables (or fails where torch is not installed). The
  archive names the public class instead, which every backend implements,
  with the same configuration and variables.
- `jit_compile="auto"` is stored resolved: `True` under JAX, which torch
  reads as a request for `torch.compile` (tens of seconds per fit for a
  small network). Loaded under another backend, the setting goes back to
  `"auto"`, that backend's own default. PyTorch also refuses
  `steps_per_execution` above 1, so it is reset to 1 there.
"""

import io
import json
import os
import tempfile
import zipfile

from keras.src import api_export
from keras.src import backend
from keras.src.models.model import Model
from keras.src.saving import saving_api
from keras.src.saving import serialization_lib


class SavedModel:
    """A Keras model as `.keras` archive bytes, ready to pickle.

    Args:
        data: bytes of the `.keras` archive.
        saved_under: name of the backend that saved it.
    """

    def __init__(self, data, saved_under):
        self.data = data
        self.saved_under = saved_under

    @classmethod
    def from_model(cls, model):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "model.keras")
            model.save(path)
            with open(path, "rb") as archive:
                data = archive.read()
        return cls(edit_config(data, name_public_optimizer), backend.backend())

    def load(self):
        data = self.data
        if self.saved_under != backend.backend():
            data = edit_config(data, compile_for_this_backend)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "model.keras")
            with open(path, "wb") as archive:
                archive.write(data)
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


def edit_config(data, edit):
    """Applies `edit` to the model config inside `.keras` archive bytes.

    Args:
        data: bytes of a `.keras` archive.
        edit: function that changes a config dict in place and returns
            whether it changed anything.

    Returns:
        The archive's bytes, rewritten only if `edit` changed the config.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    changed = False
    for index, (info, content) in enumerate(entries):
        if info.filename == "config.json":
            config = json.loads(content)
            changed = edit(config)
            entries[index] = (info, json.dumps(config).encode("utf-8"))
    if not changed:
        return data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in entries:
            archive.writestr(info, content)
    return buffer.getvalue()


def name_public_optimizer(config):
    """Names a backend-specific optimizer class by its public name."""
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


def compile_for_this_backend(config):
    """Resets compile settings that only the saving backend understood.

    `jit_compile` goes back to `"auto"`; on PyTorch, whose trainer runs one
    step per call, `steps_per_execution` becomes 1.
    """
    compile_config = config.get("compile_config")
    if not compile_config:
        return False
    settings = {"jit_compile": "auto"}
    if backend.backend() == "torch":
        settings["steps_per_execution"] = 1
    changed = any(compile_config.get(k) != v for k, v in settings.items())
    compile_config.update(settings)
    return changed
