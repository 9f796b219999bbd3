"""Dropout in NumPy, with the semantics of :func:`torch.nn.functional.dropout`.

During training, dropout sets each element of its input to zero with probability ``p`` and
multiplies the survivors by ``1 / (1 - p)`` ("inverted dropout"), so that the expected value
of every element is unchanged. In evaluation mode it is the identity. The course's chapter on
dropout builds this in plain sight; this module is the tested reference that the checkers and
the :class:`dlcourse.mlp.Dropout` layer use.

>>> import numpy as np
>>> from dlcourse.regularization import dropout
>>> x = np.ones((2, 4))
>>> dropout(x, p=0.5, rng=0)                    # training: zeros, and survivors scaled by 2
array([[2., 0., 0., 0.],
       [2., 2., 2., 2.]])
>>> dropout(x, p=0.5, training=False) is x      # evaluation: the input itself
True

One difference from PyTorch, on purpose: ``p = 1`` is rejected. PyTorch accepts it and
returns all zeros (there is no survivor to scale), which no network can learn from, so here
``p`` must lie in ``[0, 1)``. The random numbers come from an explicit seed or
:class:`numpy.random.Generator` (the ``rng`` argument), never from a global generator, so
results repeat; they are NumPy's, so the masks differ from torch's for the same seed.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import _describe, as_array, check_int, check_rng

__all__ = ["check_dropout_probability", "dropout", "dropout_mask"]


def check_dropout_probability(p: Any, name: str = "p") -> float:
    """Check a dropout probability: a real number in ``[0, 1)``; return it as a float.

    Parameters
    ----------
    p : float
        The probability of dropping (zeroing) each element.
    name : str, default "p"
        The argument's name in error messages.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``p`` is not a real number (a string, None, a bool, an array).
    ValueError
        If ``p`` is NaN or outside ``[0, 1)``, including ``p = 1``, which PyTorch accepts.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"`name` must be the argument's name as a string; got {name!r}.")
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(
            f"`{name}` must be a real number in [0, 1), the probability of dropping each "
            f"element; got {_describe(p)}."
        )
    value = float(p)
    if value == 1.0:
        raise ValueError(
            f"`{name}` must be in [0, 1); got 1. With {name} = 1 every element is dropped and "
            "the output is all zeros (PyTorch allows it, dlcourse does not): nothing could "
            "be learned through such a layer."
        )
    if not (0.0 <= value < 1.0):  # also catches NaN
        raise ValueError(
            f"`{name}` must be in [0, 1), the probability of dropping each element; got {p!r}."
        )
    return value


def _check_training(training: Any) -> bool:
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(
            f"`training` must be True (apply dropout) or False (evaluation mode: the "
            f"identity); got {_describe(training)}."
        )
    return bool(training)


def dropout_mask(
    shape: int | Sequence[int], p: float, *, rng: int | np.random.Generator
) -> np.ndarray:
    """A random keep-mask: ``True`` with probability ``1 - p``, independently per element.

    Parameters
    ----------
    shape : int or sequence of int
        Shape of the mask (the shape of the input it will be applied to).
    p : float
        Probability of dropping each element, in ``[0, 1)``.
    rng : int or numpy.random.Generator
        A seed or a generator; a generator is advanced by ``prod(shape)`` uniform draws.

    Returns
    -------
    numpy.ndarray of bool, of shape ``shape``
        ``True`` where the element is kept. The mask is ``rng.random(shape) >= p``.
    """
    p = check_dropout_probability(p)
    if isinstance(shape, (bool, np.bool_)):
        raise TypeError(f"`shape` must be an int or a sequence of ints; got {_describe(shape)}.")
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(f"`shape` must be an int or a sequence of ints; got {_describe(shape)}.")
    shape = tuple(check_int(n, f"shape[{i}]", low=0) for i, n in enumerate(shape))
    generator = check_rng(rng, "rng")
    return generator.random(shape) >= p


def dropout(
    input: ArrayLike,
    p: float = 0.5,
    training: bool = True,
    *,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Inverted dropout, as :func:`torch.nn.functional.dropout`.

    In training mode each element is zeroed with probability ``p`` and the others are
    multiplied by ``1 / (1 - p)``, so that ``E[output] = input`` element by element. In
    evaluation mode (``training=False``) nothing happens: the input is returned as it is.

    Parameters
    ----------
    input : array_like of any shape
        For a layer's activations, shape (n_samples, n_units). Converted to float64.
    p : float, default 0.5
        Probability of dropping each element, in ``[0, 1)``. **PyTorch also accepts
        p = 1 (and returns zeros); dlcourse rejects it.**
    training : bool, default True
        Apply dropout (True), or be the identity (False), as in
        ``torch.nn.functional.dropout(input, p, training)``.
    rng : int or numpy.random.Generator, optional
        Where the random mask comes from: a seed or a generator. Required when
        ``training=True`` and ``p > 0`` (the only case that draws random numbers). The
        mask is :func:`dropout_mask` ``(input.shape, p, rng=rng)``.

    Returns
    -------
    numpy.ndarray, same shape as ``input``
        ``input * mask / (1 - p)`` in training mode; in evaluation mode (or for ``p = 0``)
        the input itself, as a float64 array (the same object if it already is one), as
        PyTorch returns its input.

    Raises
    ------
    TypeError
        If ``input`` is not numeric, ``p`` is not a number, ``training`` is not a bool, or
        ``rng`` is missing (or not a seed or generator) where a mask is needed.
    ValueError
        If ``p`` is outside ``[0, 1)`` or ``input`` is empty or not finite.
    """
    x = as_array(input, "input")
    p = check_dropout_probability(p)
    training = _check_training(training)
    if not training or p == 0.0:
        return x
    if rng is None:
        raise TypeError(
            "`rng` is needed when training=True: dropout draws a random mask. Pass a seed "
            "(rng=0) or a numpy.random.Generator, so that the result repeats."
        )
    keep = dropout_mask(x.shape, p, rng=rng)
    return x * keep / (1.0 - p)
