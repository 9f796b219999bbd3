"""Rosenblatt's perceptron in NumPy: a weighted sum, a bias and a step.

The chapter on neurons writes these few lines out in the open; this module is the reference
the chapter's code is checked against, and it records every step of learning so an explorer
can replay it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_array, check_int, check_rng, check_scalar

__all__ = ["Perceptron", "PerceptronHistory", "step"]


def step(z):
    """The Heaviside step used by the perceptron: 1 where ``z > 0``, else 0.

    Parameters
    ----------
    z : array_like of any shape
        Weighted sums (pre-activations).

    Returns
    -------
    numpy.ndarray of the same shape, dtype int64
    """
    z = as_array(z, "z")
    return (z > 0).astype(np.int64)


@dataclass(frozen=True)
class PerceptronHistory:
    """Every step of a run of the perceptron learning rule.

    Step ``t`` looks at sample ``sample_index[t]`` with the parameters ``weights[t]``,
    ``biases[t]`` and produces ``weights[t + 1]``, ``biases[t + 1]``.

    Attributes
    ----------
    weights : numpy.ndarray of shape (n_steps + 1, n_features)
    biases : numpy.ndarray of shape (n_steps + 1,)
    sample_index : numpy.ndarray of shape (n_steps,)
        Which training sample each step looked at.
    mistake : numpy.ndarray of shape (n_steps,), dtype bool
        Whether that sample was misclassified (and so caused an update).
    errors_per_epoch : numpy.ndarray of shape (n_epochs_run,)
        Misclassified samples in each epoch; learning stops after the first epoch with none.
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

    Attributes
    ----------
    weight : numpy.ndarray of shape (n_features,)
    bias : float

    Examples
    --------
    >>> p = Perceptron(2, weight=[1.0, 1.0], bias=-1.5)  # an AND gate
    >>> p.predict([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()
    [0, 0, 0, 1]
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
        """The weighted sums ``z = X @ w + b``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features) or (n_features,)

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
        """
        return self._inputs(X) @ self.weight + self.bias

    def predict(self, X) -> np.ndarray:
        """Class predictions ``step(z)`` in {0, 1}, shape (n_samples,)."""
        return step(self.forward(X))

    def parameters(self) -> list:
        """The learnable parameters ``[weight, bias]`` (the bias as a 0-d array)."""
        return [self.weight, np.asarray(self.bias)]

    def update(self, x, target: int, *, lr: float = 1.0) -> bool:
        """Apply the perceptron learning rule to one sample.

        ``w <- w + lr * (target - y_hat) * x`` and ``b <- b + lr * (target - y_hat)``:
        nothing changes when the prediction is right.

        Parameters
        ----------
        x : array_like of shape (n_features,)
        target : {0, 1}
        lr : float, default 1.0
            Learning rate (> 0).

        Returns
        -------
        bool
            Whether the sample was misclassified (so the parameters moved).
        """
        x = self._inputs(x, "x")[0]
        target = check_int(target, "target", low=0, high=1)
        lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
        error = target - int(x @ self.weight + self.bias > 0)
        self.weight = self.weight + lr * error * x
        self.bias = self.bias + lr * error
        return error != 0

    def fit(
        self,
        X,
        y,
        *,
        lr: float = 1.0,
        epochs: int = 20,
        shuffle: bool = False,
        seed: int = 0,
    ) -> PerceptronHistory:
        """Run the learning rule over the data for up to ``epochs`` passes.

        Learning stops early after the first epoch without a mistake. On data that a line
        cannot separate (XOR) it never stops on its own: the parameters keep cycling.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            Labels in {0, 1}.
        lr : float, default 1.0
            Learning rate (> 0).
        epochs : int, default 20
            Maximum number of passes over the data (>= 1).
        shuffle : bool, default False
            Visit the samples in a new random order each epoch.
        seed : int, default 0
            Seed for the shuffling.

        Returns
        -------
        PerceptronHistory
        """
        X = self._inputs(X)
        y = as_array(y, "y", shape=(X.shape[0],), dtype=int)
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("`y` must hold the labels 0 and 1 only.")
        lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
        epochs = check_int(epochs, "epochs", low=1)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"`shuffle` must be True or False; got {shuffle!r}.")
        rng = check_rng(seed)

        weights, biases = [self.weight.copy()], [self.bias]
        visited, mistakes, errors_per_epoch = [], [], []
        for _ in range(epochs):
            order = rng.permutation(len(y)) if shuffle else np.arange(len(y))
            errors = 0
            for i in order:
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
