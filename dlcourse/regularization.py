"""Dropout in NumPy, as :func:`torch.nn.functional.dropout`; behind :class:`dlcourse.mlp.Dropout`.

Unlike torch, ``p = 1`` (all zeros, nothing to learn) is rejected, and the masks come from an
explicit NumPy seed or Generator ``rng``, so they differ from torch's for the same seed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_array, check_bool, check_probability, check_rng

__all__ = ["dropout"]


def _keep_mask(shape: tuple[int, ...], p: float, rng: int | np.random.Generator) -> np.ndarray:
    """``rng.random(shape) >= p``: True (kept) with probability ``1 - p``; private, since
    :func:`dropout` and :class:`dlcourse.mlp.Dropout` check ``shape`` and ``p`` first."""
    return check_rng(rng, "rng").random(shape) >= p


def dropout(
    input: ArrayLike,
    p: float = 0.5,
    training: bool = True,
    *,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Inverted dropout: zero each element with probability ``p``, scale the rest by 1 / (1 - p).

    Parameters
    ----------
    input : array_like of any shape
        E.g. a layer's activations (n_samples, n_units).
    p : float, default 0.5
        Probability of dropping each element, in ``[0, 1)`` (torch also accepts 1).
    training : bool, default True
        Apply dropout, or be the identity (False).
    rng : int or numpy.random.Generator, optional
        Where the keep-mask ``rng.random(input.shape) >= p`` comes from;
        required when ``training`` and ``p > 0``.

    Returns
    -------
    numpy.ndarray of ``input``'s shape
        ``input * mask / (1 - p)`` in training; otherwise the input itself (as float64).
    """
    x = as_array(input, "input")
    p = check_probability(p)
    if not check_bool(training, "training") or p == 0.0:
        return x
    if rng is None:
        raise TypeError(
            "`rng` is needed when training=True: dropout draws a random mask. Pass a seed "
            "(rng=0) or a numpy.random.Generator, so that the result repeats."
        )
    return x * _keep_mask(x.shape, p, rng) / (1.0 - p)
