"""Source-tree entry point: makes `import keras` work from the repo root.

In the source tree the public API is generated under `keras/api/`, while an
installed wheel has it at the root of the `keras` package. Adding `api/` to
this package's search path and re-exporting it gives a checkout the same
`keras` namespace as an installed wheel. This file is never packaged.
"""

import os

__path__.append(os.path.join(os.path.dirname(__file__), "api"))

from keras.api import *  # noqa: E402, F403
from keras.api import __version__  # noqa: E402

del os
