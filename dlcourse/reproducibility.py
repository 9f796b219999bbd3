"""Seeding: one call makes every random number in a chapter repeat."""

from __future__ import annotations

import os
import random
import sys

import numpy as np

from ._validation import check_int

__all__ = ["seed_everything"]


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's, NumPy's and (if it is imported) PyTorch's random generators.

    Chapters call this once at the top, then draw their own randomness from the returned
    generator, which is the modern NumPy way (``rng.normal(...)``) and does not depend on
    what other code consumed from the global generators.

    PyTorch is seeded only when it has already been imported, so that chapters which do not
    use it do not pay for importing it. A chapter that imports torch after this call should
    call it again.

    Parameters
    ----------
    seed : int, default 0
        A non-negative integer below 2**32.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with ``seed``.
    """
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global generator, for code that uses it
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
    return np.random.default_rng(seed)
