"""Rosenblatt's perceptron in NumPy: a weighted sum, a bias and a step.

The reference the chapter's own code is checked against; it records every learning step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_array, check_int, check_scalar

__all__ = ["Perceptron", "PerceptronHistory", "step"]


def step(z):
    """The Heaviside step: 1 where ``z > 0``, else 0 (int64, the shape of ``z``)."""
    z = as_array(z, "z")
    return (z > 0).astype(np.int64)


@dataclass(frozen=True)
class PerceptronHistory:
    """Every step of a run of the perceptron learning rule.

    Step ``t`` looks at sample ``sample_index[t]`` with ``weights[t]`` (n_steps + 1,
    n_features) and ``biases[t]``, which it turns into ``weights[t + 1]``, ``biases[t + 1]``;
    ``mistake[t]``: whether it was misclassified (and caused an update).
    """

    weights: np.ndarray
    biases: np.ndarray
    sample_index: np.ndarray
    mistake: np.ndarray
    errors_per_epoch: np.ndarray

    @property
    def n_steps(self) -> int:
        """Number of samples looked at."""
        return len(self.sample_index)

    @property
    def converged(self) -> bool:
        """True when the last epoch made no mistake (the data were separated)."""
        return bool(len(self.errors_per_epoch) and self.errors_per_epoch[-1] == 0)


class Perceptron:
    """A single perceptron: ``y_hat = step(w . x + b)``.

    Parameters
    ----------
    n_features : int, default 2
        Length of each input vector (at least 1).
    weight : array_like of shape (n_features,), optional
        Initial weights; zeros when omitted (the classic starting point).
    bias : float, default 0.0
        Initial bias.
    """

    def __init__(self, n_features: int = 2, *, weight=None, bias: float = 0.0) -> None:
        self.n_features = check_int(n_features, "n_features", low=1)
        if weight is None:
            self.weight = np.zeros(self.n_features)
        else:
            self.weight = as_array(weight, "weight", shape=(self.n_features,)).copy()
        self.bias = check_scalar(bias, "bias")

    def __repr__(self) -> str:
        w = np.array2string(self.weight, precision=3, separator=", ")
        return f"Perceptron(weight={w}, bias={self.bias:.3g})"

    def _inputs(self, X, name: str = "X") -> np.ndarray:
        X = as_array(X, name, ndim=(1, 2))
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[1] != self.n_features:
            raise ValueError(
                f"`{name}` must have shape (n_samples, {self.n_features}) for this perceptron; "
                f"got shape {X.shape}."
            )
        return X

    def forward(self, X) -> np.ndarray:
        """The weighted sums ``z = X @ w + b``: (n_samples, n_features) -> (n_samples,)."""
        return self._inputs(X) @ self.weight + self.bias

    def predict(self, X) -> np.ndarray:
        """Class predictions ``step(z)`` in {0, 1}, shape (n_samples,)."""
        return step(self.forward(X))

    def update(self, x, target: int, *, lr: float = 1.0) -> bool:
        """``w <- w + lr (target - y_hat) x``, ``b <- b + lr (target - y_hat)`` for one sample.

        ``x`` is (n_features,), ``target`` 0 or 1; returns whether ``x`` was misclassified.
        """
        x = self._inputs(x, "x")[0]
        target = check_int(target, "target", low=0, high=1)
        lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
        error = target - int(x @ self.weight + self.bias > 0)
        self.weight = self.weight + lr * error * x
        self.bias = self.bias + lr * error
        return error != 0

    def fit(self, X, y, *, lr: float = 1.0, epochs: int = 20) -> PerceptronHistory:
        """Run the learning rule over ``X`` (n_samples, n_features), ``y`` (n_samples,) in order.

        Stops after the first epoch without a mistake, or after ``epochs`` passes (always on
        data no line separates, such as XOR).
        """
        X = self._inputs(X)
        y = as_array(y, "y", shape=(X.shape[0],), dtype=int)
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("`y` must hold the labels 0 and 1 only.")
        lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
        epochs = check_int(epochs, "epochs", low=1)

        weights, biases = [self.weight.copy()], [self.bias]
        visited, mistakes, errors_per_epoch = [], [], []
        for _ in range(epochs):
            errors = 0
            for i in range(len(y)):
                wrong = self.update(X[i], int(y[i]), lr=lr)
                errors += wrong
                visited.append(i)
                mistakes.append(wrong)
                weights.append(self.weight.copy())
                biases.append(self.bias)
            errors_per_epoch.append(errors)
            if errors == 0:
                break
        return PerceptronHistory(
            weights=np.array(weights),
            biases=np.array(biases),
            sample_index=np.array(visited, dtype=np.int64),
            mistake=np.array(mistakes, dtype=bool),
            errors_per_epoch=np.array(errors_per_epoch, dtype=np.int64),
        )
