"""Machine-learning frameworks that are installed but never used by a process, kept out of it.

TensorFlow 2.12 requires JAX, and two imports load frameworks whether they are used or not:
spaCy's thinc imports TensorFlow (and PyTorch, MXNet) when installed, and TensorFlow Lite's
converter imports JAX. `None` in `sys.modules` makes `import name` raise ImportError, which both
catch, as if the framework were not installed. Call before the first import of spaCy or Rasa.
"""

import sys

# The action server tokenizes and looks up lemmas with spaCy: no framework at all.
NOT_IN_ACTION_SERVER = ("tensorflow", "jax", "torch", "mxnet")
# The Rasa server runs its models on TensorFlow; JAX is only for TensorFlow Lite's converter.
NOT_IN_RASA_SERVER = ("jax", "torch", "mxnet")


def keep_out(names: tuple[str, ...]) -> None:
    """Make `import name` fail in this process for each of `names` not imported yet."""
    for name in names:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
