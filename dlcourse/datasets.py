"""Small data sets the chapters learn from, each drawn from an explicit integer ``seed``.

As in scikit-learn, ``X`` is (n_samples, 2) float64 and ``y`` (n_samples,) int64 labels 0 and
1 (float64 targets for the bank data); ``noise`` is a Gaussian standard deviation.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_array, check_int, check_option, check_rng, check_scalar

__all__ = [
    "BANK_FEATURES", "bank_transactions", "logic_gate", "make_bank", "make_circles",
    "make_gaussian_classes", "make_linearly_separable", "make_moons", "make_spiral", "make_xor"
]  # fmt: skip

#: Column names of the bank data set's inputs, in order.
BANK_FEATURES: tuple[str, str] = ("children", "accounts")


def _checked(n_samples, noise, seed, *, min_samples: int = 2, positive_noise: bool = False):
    """Checked ``n_samples`` and ``noise`` (> 0 if ``positive_noise``), and ``seed``'s generator."""
    n_samples = check_int(n_samples, "n_samples", low=min_samples)
    noise = check_scalar(noise, "noise", low=0.0, low_inclusive=not positive_noise)
    return n_samples, noise, check_rng(seed)


def bank_transactions(children, accounts):
    """The rule behind :func:`make_bank`: ``30 + 12 accounts + 4 children + 6 children accounts``.

    ``children`` and ``accounts`` are non-negative counts of one shape (n,); returns (n,).
    """
    c = as_array(children, "children", ndim=(0, 1), allow_empty=True)
    a = as_array(accounts, "accounts", ndim=(0, 1), allow_empty=True)
    if c.shape != a.shape:
        raise ValueError(
            f"`children` and `accounts` must have the same shape; got {c.shape} and {a.shape}."
        )
    if np.any(c < 0) or np.any(a < 0):
        raise ValueError("`children` and `accounts` must be non-negative counts.")
    return 30.0 + 12.0 * a + 4.0 * c + 6.0 * c * a


def make_bank(n_samples: int = 200, *, noise: float = 3.0, seed: int = 0):
    """The slides' bank data: ``X`` (children 0-4, accounts 1-6), ``y`` transactions.

    ``y`` is :func:`bank_transactions` plus noise, rounded to whole non-negative numbers.
    """
    n_samples, noise, rng = _checked(n_samples, noise, seed, min_samples=1)
    children = rng.choice(5, size=n_samples, p=[0.3, 0.2, 0.3, 0.15, 0.05]).astype(float)
    accounts = 1.0 + rng.binomial(5, 0.35, size=n_samples).astype(float)
    y = bank_transactions(children, accounts) + noise * rng.standard_normal(n_samples)
    return np.column_stack([children, accounts]), np.maximum(np.round(y), 0.0)


def make_linearly_separable(
    n_samples: int = 100, *, margin: float = 0.5, noise: float = 1.0, seed: int = 0
):
    """Two classes around (-1.5, -1.5) and (1.5, 1.5), ``margin`` apart across ``x1 + x2 = 0``."""
    n_samples, noise, rng = _checked(n_samples, noise, seed, positive_noise=True)
    margin = check_scalar(margin, "margin", low=0.0, low_inclusive=False)
    y = np.arange(n_samples) % 2
    centres = np.where(y[:, None] == 1, 1.5, -1.5) * np.array([1.0, 1.0])
    X = centres + noise * rng.standard_normal((n_samples, 2))
    normal = np.array([1.0, 1.0]) / np.sqrt(2.0)
    distance = X @ normal  # signed distance to the line x1 + x2 = 0
    sign = np.where(y == 1, 1.0, -1.0)
    wrong = sign * distance < 0
    X[wrong] -= 2.0 * distance[wrong, None] * normal
    push = np.maximum(margin / 2.0 - sign * (X @ normal), 0.0)
    X += (sign * push)[:, None] * normal
    order = rng.permutation(n_samples)
    return X[order], y[order].astype(np.int64)


def make_xor(n_samples: int = 200, *, noise: float = 0.15, seed: int = 0):
    """Noisy XOR: clusters at the corners ``(a, b)`` of the unit square, label ``a XOR b``."""
    n_samples, noise, rng = _checked(n_samples, noise, seed, min_samples=4)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    which = np.arange(n_samples) % 4
    X = corners[which] + noise * rng.standard_normal((n_samples, 2))
    y = (corners[which, 0] != corners[which, 1]).astype(np.int64)
    order = rng.permutation(n_samples)
    return X[order], y[order]


_GATES = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "nor": lambda a, b: 1 - (a | b),
    "xor": lambda a, b: a ^ b,
}


def logic_gate(name: str):
    """Truth table of a gate (and, or, nand, nor, xor): inputs ``X`` (4, 2), outputs ``y`` (4,)."""
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a string such as 'and'; got {type(name).__name__}.")
    check_option(name.lower(), "name", tuple(_GATES))
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.int64)
    y = _GATES[name.lower()](X[:, 0], X[:, 1]).astype(np.int64)
    return X.astype(float), y


def make_circles(n_samples: int = 300, *, noise: float = 0.1, factor: float = 0.5, seed: int = 0):
    """Two concentric rings: class 1 inside (radius ``factor``, in (0, 1)), class 0 outside."""
    n_samples, noise, rng = _checked(n_samples, noise, seed)
    factor = check_scalar(
        factor, "factor", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    y = (np.arange(n_samples) % 2).astype(np.int64)
    angle = rng.uniform(0.0, 2.0 * np.pi, n_samples)
    radius = np.where(y == 1, factor, 1.0)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_moons(n_samples: int = 300, *, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles."""
    n_samples, noise, rng = _checked(n_samples, noise, seed)
    y = (np.arange(n_samples) % 2).astype(np.int64)
    t = rng.uniform(0.0, np.pi, n_samples)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower) + noise * rng.standard_normal((n_samples, 2))
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_spiral(n_samples: int = 300, *, noise: float = 0.2, turns: float = 1.0, seed: int = 0):
    """Two interleaved spiral arms winding ``turns`` (> 0) times; ``noise`` is on the angle."""
    n_samples, noise, rng = _checked(n_samples, noise, seed)
    turns = check_scalar(turns, "turns", low=0.0, low_inclusive=False)
    y = (np.arange(n_samples) % 2).astype(np.int64)
    r = rng.uniform(0.1, 1.0, n_samples)
    theta = 2.0 * np.pi * turns * r + np.pi * y + noise * rng.standard_normal(n_samples)
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_gaussian_classes(
    n_samples: int = 200, *, distance: float = 3.0, noise: float = 1.0, seed: int = 0
):
    """Two overlapping round Gaussian clouds, centres ``distance`` apart along ``(1, 1)``.

    ``P(y = 1 | x) = sigmoid(w . x)`` exactly, with ``w = distance / noise**2 (1, 1) / sqrt(2)``
    and bias 0: what logistic regression recovers.
    """
    n_samples, noise, rng = _checked(n_samples, noise, seed, positive_noise=True)
    distance = check_scalar(distance, "distance", low=0.0)
    y = np.arange(n_samples) % 2
    direction = np.array([1.0, 1.0]) / np.sqrt(2.0)
    centres = np.where(y[:, None] == 1, 0.5, -0.5) * distance * direction
    X = centres + noise * rng.standard_normal((n_samples, 2))
    order = rng.permutation(n_samples)
    return X[order], y[order].astype(np.int64)
