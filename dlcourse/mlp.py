"""A small multi-layer perceptron in NumPy, with PyTorch's names, trained by gradient descent.

A layer's ``forward`` computes its output and remembers what ``backward`` needs; ``backward``
turns ``grad_output`` (dL/d output) into dL/d input and adds the parameters' gradients into
``param.grad``.

>>> import numpy as np
>>> from dlcourse.mlp import MLP, train
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = np.array([0, 1, 1, 0])                          # XOR
>>> model = MLP([2, 8, 8, 1], activation="tanh", seed=0)
>>> history = train(model, X, y, lr=0.5, steps=500)   # loss at each step
>>> model.predict(X).tolist()
[0, 1, 1, 0]

Shapes and names follow ``torch.nn`` (``Linear.weight`` is (out, in); ``state_dict`` keys
are those of ``torch.nn.Sequential``). Differences, on purpose: ``zero_grad`` leaves zeros
(torch: None); ``backward`` may run several times after one ``forward``, adding each time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike

from . import losses
from ._validation import (
    as_array,
    check_bool,
    check_int,
    check_option,
    check_probability,
    check_rng,
    check_scalar,
)
from .activations import ACTIVATIONS, sigmoid
from .regularization import _keep_mask

__all__ = ["MLP", "Activation", "Dropout", "Linear", "Module", "Parameter", "train"]


class Parameter:
    """A learnable array ``data`` and its gradient ``grad`` (zeros until a backward pass);
    update it in place: ``p.data -= lr * p.grad``."""

    def __init__(self, data: ArrayLike, *, name: str = "data") -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"`name` must be a non-empty string; got {name!r}.")
        self.data = as_array(data, name).copy()
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of ``data`` (and of ``grad``)."""
        return self.data.shape

    def zero_grad(self) -> None:
        """Set the gradient to zeros (in place)."""
        self.grad.fill(0.0)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape})"


class Module:
    """Base class of the layers and of :class:`MLP`, as ``torch.nn.Module``."""

    training: bool = True

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Compute the output and remember what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Gradient with respect to the last input; adds the parameters' gradients."""
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        """The learnable parameters (none by default)."""
        return []

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zeros."""
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> Module:
        """Set training mode (evaluation mode for ``mode=False``) here and in every child."""
        self.training = check_bool(mode, "mode")
        for layer in getattr(self, "layers", []):  # an MLP's layers; a layer has none
            layer.train(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode: ``train(False)``."""
        return self.train(False)

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.forward(x)

    def _saved_input(self) -> np.ndarray:
        """The input saved by the last forward; a RuntimeError if there was none."""
        x = getattr(self, "_x", None)
        if x is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward(): run a forward "
                "pass first, so the layer has the input its gradient depends on."
            )
        return x


class Linear(Module):
    """``y = x @ weight.T + bias``, as ``torch.nn.Linear``: ``weight`` (out, in), then ``bias``
    (out,), drawn from ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` with ``seed``."""

    def __init__(
        self, in_features: int, out_features: int, *, seed: int | np.random.Generator
    ) -> None:
        self.in_features = check_int(in_features, "in_features", low=1)
        self.out_features = check_int(out_features, "out_features", low=1)
        rng = check_rng(seed)
        bound = 1.0 / np.sqrt(self.in_features)
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(rng.uniform(-bound, bound, size=shape), name="weight")
        self.bias = Parameter(rng.uniform(-bound, bound, size=self.out_features), name="bias")
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``x @ weight.T + bias``: (n_samples, in_features) -> (n_samples, out_features)."""
        self._x = x = as_array(x, "x", shape=("n_samples", self.in_features))
        return x @ self.weight.data.T + self.bias.data

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """With ``g = dL/dy``: ``weight.grad += g.T @ x``, ``bias.grad += g.sum(0)``;
        returns ``dL/dx = g @ weight``."""
        x = self._saved_input()
        g = as_array(grad_output, "grad_output", shape=(x.shape[0], self.out_features))
        self.weight.grad += g.T @ x
        self.bias.grad += g.sum(axis=0)
        return g @ self.weight.data

    def parameters(self) -> list[Parameter]:
        """``[weight, bias]``."""
        return [self.weight, self.bias]


# torch.nn's class names that are not simply the capitalised name ("tanh" -> "Tanh")
_TORCH_NAMES = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU"}


class Activation(Module):
    """An elementwise activation layer, a ``(function, derivative)`` pair of
    :data:`dlcourse.activations.ACTIVATIONS`: ``Activation("relu")`` is ``torch.nn.ReLU()``
    (leaky ReLU has slope 0.1, ELU alpha 1)."""

    def __init__(self, name: str = "relu") -> None:
        self.name = check_option(name, "name", list(ACTIVATIONS))
        self.function, self.derivative = ACTIVATIONS[name]
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"{_TORCH_NAMES.get(self.name, self.name.capitalize())}()"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``f(x)``, elementwise, any shape."""
        self._x = as_array(x, "x")
        return self.function(self._x)

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """``grad_output * f'(x)`` for the ``x`` of the last forward."""
        x = self._saved_input()
        return as_array(grad_output, "grad_output", shape=x.shape) * self.derivative(x)


class Dropout(Module):
    """Inverted dropout, as ``torch.nn.Dropout`` (see :func:`dlcourse.regularization.dropout`):
    in training mode, a keep-mask from ``seed`` scaled by ``1 / (1 - p)``; else the identity."""

    def __init__(self, p: float = 0.5, *, seed: int | np.random.Generator) -> None:
        self.p = check_probability(p)
        self.rng = check_rng(seed)
        self._x: np.ndarray | None = None
        self.mask: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``x * mask / (1 - p)`` in training mode, ``x`` itself in evaluation mode."""
        self._x = x = as_array(x, "x")
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        self.mask = _keep_mask(x.shape, self.p, self.rng)
        return x * self.mask / (1.0 - self.p)

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """``grad_output * mask / (1 - p)``: a dropped unit gets no gradient."""
        x = self._saved_input()
        g = as_array(grad_output, "grad_output", shape=x.shape)
        return g if self.mask is None else g * self.mask / (1.0 - self.p)


class MLP(Module):
    """A multi-layer perceptron: Linear layers with an activation between them.

    ``MLP([2, 8, 8, 1], "relu")`` is ``torch.nn.Sequential(Linear(2, 8), ReLU(), Linear(8, 8),
    ReLU(), Linear(8, 1))``; it outputs raw scores (logits), as :func:`train` expects.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[in_features, hidden_1, ..., out_features]``: at least 2 sizes, each >= 1.
    activation : str, default "relu"
        Hidden activation, a name of :data:`dlcourse.activations.ACTIVATIONS`.
    output_activation : str or None, default None
        Activation after the last layer (same names), or None.
    dropout : float, default 0.0
        If > 0, a :class:`Dropout` layer with this ``p`` in ``[0, 1)`` follows every hidden
        activation (and counts in the layer numbers of :meth:`state_dict`, as in torch).
    seed : int or numpy.random.Generator
        Seed of the initialisation, layer by layer, then of the dropout masks: the same seed
        gives the same weights with or without dropout.

    Attributes
    ----------
    layers : list of Module
    layer_sizes : tuple of int
    in_features, out_features : int
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "relu",
        *,
        output_activation: str | None = None,
        dropout: float = 0.0,
        seed: int | np.random.Generator,
    ) -> None:
        if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence):
            raise TypeError(
                "`layer_sizes` must be a sequence of integers such as [2, 8, 8, 1]; "
                f"got {type(layer_sizes).__name__}."
            )
        if len(layer_sizes) < 2:
            raise ValueError(
                "`layer_sizes` must list at least 2 sizes (inputs and outputs), such as "
                f"[2, 8, 1]; got {list(layer_sizes)!r}."
            )
        sizes = tuple(check_int(s, f"layer_sizes[{i}]", low=1) for i, s in enumerate(layer_sizes))
        self.activation = check_option(activation, "activation", list(ACTIVATIONS))
        check_option(output_activation, "output_activation", [None, *ACTIVATIONS])
        self.output_activation = output_activation
        self.dropout = check_probability(dropout, "dropout")
        rng = check_rng(seed)
        self.layer_sizes = sizes
        self.in_features, self.out_features = sizes[0], sizes[-1]
        self.layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(pairwise(sizes)):
            self.layers.append(Linear(n_in, n_out, seed=rng))
            if i < len(sizes) - 2:
                self.layers.append(Activation(activation))
                if self.dropout > 0:
                    self.layers.append(Dropout(self.dropout, seed=rng))
        if output_activation is not None:
            self.layers.append(Activation(output_activation))

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"MLP(\n{inner}\n)"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Run the layers in order: (n_samples, in_features) -> (n_samples, out_features)."""
        x = as_array(x, "x", shape=("n_samples", self.in_features))
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Backpropagate ``grad_output`` (n_samples, out_features) through the layers in
        reverse, adding every parameter's gradient; return dL/dx (n_samples, in_features).
        Before any forward, the last layer raises the RuntimeError."""
        grad = grad_output
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def parameters(self) -> list[Parameter]:
        """All parameters, ``[w0, b0, w1, b1, ...]`` (torch's order)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """``[("0.weight", w0), ("0.bias", b0), ("2.weight", w1), ...]``, torch's names."""
        return [
            (f"{i}.{name}", getattr(layer, name))
            for i, layer in enumerate(self.layers)
            if isinstance(layer, Linear)
            for name in ("weight", "bias")
        ]

    def predict_proba(self, x: ArrayLike) -> np.ndarray:
        """Probability of class 1, shape (n_samples,), for a binary classifier (one output).

        Computed in evaluation mode, without touching the mode or what the last
        :meth:`forward` saved (safe between forward and backward).
        """
        if self.out_features != 1 or self.output_activation not in (None, "sigmoid"):
            raise ValueError(
                "predict_proba needs a binary classifier: one output and output_activation "
                f"None (a logit) or 'sigmoid'; this MLP has {self.out_features} output(s) and "
                f"output_activation={self.output_activation!r}."
            )
        keys = ("training", "_x", "mask")  # the mode and what backward will need
        saved = [{k: getattr(m, k) for k in keys if hasattr(m, k)} for m in [self, *self.layers]]
        try:
            out = self.eval().forward(x)[:, 0]
        finally:
            for module, state in zip([self, *self.layers], saved, strict=True):
                for key, value in state.items():
                    setattr(module, key, value)
        return out if self.output_activation == "sigmoid" else sigmoid(out)

    def predict(self, x: ArrayLike, threshold: float = 0.5) -> np.ndarray:
        """Classes in {0, 1} (int64): 1 where ``predict_proba(x) > threshold``."""
        threshold = check_scalar(threshold, "threshold", low=0.0, high=1.0)
        return (self.predict_proba(x) > threshold).astype(np.int64)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of the parameters under ``torch.nn.Sequential``'s keys (``"0.weight"``, ...)."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict: Mapping[str, ArrayLike]) -> None:
        """Copy parameters from a :meth:`state_dict` (NumPy arrays or torch tensors).

        Keys and shapes must match exactly; otherwise a ValueError and nothing changes.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"`state_dict` must be a mapping of names to arrays; got "
                f"{type(state_dict).__name__}."
            )
        own = self.state_dict()
        missing = sorted(set(own) - set(state_dict))
        unexpected = sorted(set(state_dict) - set(own))
        if missing or unexpected:
            raise ValueError(
                f"`state_dict` keys do not match this MLP: missing {missing}, unexpected "
                f"{unexpected}; expected {list(own)}."
            )
        new = {k: as_array(state_dict[k], f"state_dict[{k!r}]", shape=own[k].shape) for k in own}
        for name, p in self.named_parameters():
            p.data[...] = new[name]


_LOSSES = {  # name -> (loss, its gradient with respect to the model's output)
    "bce": (losses.binary_cross_entropy_with_logits, losses.binary_cross_entropy_with_logits_grad),
    "mse": (losses.mse_loss, losses.mse_loss_grad),
}


def train(
    model: Module,
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: float = 0.1,
    steps: int = 500,
    loss: str = "bce",
) -> np.ndarray:
    """Full-batch gradient descent, ``param.data -= lr * param.grad``, in training mode.

    Parameters
    ----------
    model : MLP or Linear (any :class:`Module`)
        Trained in place.
    X : array_like of shape (n_samples, in_features)
    y : array_like of shape (n_samples,) or (n_samples, out_features)
        Targets; in [0, 1] (labels 0/1) for ``loss="bce"``.
    lr : float, default 0.1
        Learning rate (> 0).
    steps : int, default 500
        Number of updates (>= 1); with full batches one step is one epoch.
    loss : {"bce", "mse"}, default "bce"
        Binary cross-entropy with logits, or the mean squared error (means over all samples
        and outputs, as torch's defaults).

    Returns
    -------
    numpy.ndarray of shape (steps,)
        The loss at each step, before that step's update.

    Raises
    ------
    FloatingPointError
        If training diverges (the loss or a parameter overflows); try a smaller ``lr``.
    """
    if not isinstance(model, Module):
        raise TypeError(f"`model` must be an MLP or another dlcourse.mlp.Module; got {model!r}.")
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    steps = check_int(steps, "steps", low=1)
    loss_fn, loss_grad = _LOSSES[check_option(loss, "loss", list(_LOSSES))]
    if loss == "bce" and getattr(model, "output_activation", None) is not None:
        raise ValueError(
            "`loss='bce'` works on logits, but this MLP ends with output_activation="
            f"{model.output_activation!r}; build it with output_activation=None."
        )
    n_in = getattr(model, "in_features", None)
    X = as_array(X, "X", shape=("n_samples", "n_features" if n_in is None else n_in))
    n_out = getattr(model, "out_features", None)
    y = as_array(y, "y", ndim=(1, 2))
    y = y.reshape(len(y), -1)  # (n_samples,) -> (n_samples, 1)
    if y.shape[0] != X.shape[0] or (n_out is not None and y.shape[1] != n_out):
        raise ValueError(
            f"`y` must have shape ({X.shape[0]},) or ({X.shape[0]}, "
            f"{'n_outputs' if n_out is None else n_out}) to match `X` and the model; got shape "
            f"{y.shape}."
        )
    if loss == "bce" and not np.all((y >= 0) & (y <= 1)):
        raise ValueError("`y` must hold values in [0, 1] (class labels 0/1) for loss='bce'.")

    model.train()
    params = model.parameters()
    history = np.empty(steps)
    for step in range(steps):
        problem = ""
        with np.errstate(over="raise", invalid="raise"):
            try:
                model.zero_grad()
                out = model.forward(X)
                if not np.all(np.isfinite(out)):
                    raise FloatingPointError("the output is not finite")
                history[step] = loss_fn(out, y)
                model.backward(loss_grad(out, y))
                for p in params:
                    p.data -= lr * p.grad
            except FloatingPointError as exc:
                problem = str(exc)
        if problem or not np.isfinite(history[step]):
            raise FloatingPointError(
                f"training diverged at step {step} ({problem or 'the loss is not finite'}); "
                f"try a smaller `lr` than {lr:g}."
            )
    return history
