"""A small multi-layer perceptron in NumPy, with PyTorch's names, trained by gradient descent.

This module is a box the course opens in the chapter on backpropagation. Every layer has a
``forward`` that computes its output and remembers what its ``backward`` will need, and a
``backward`` that turns the gradient of the loss with respect to its output
(``grad_output``) into the gradient with respect to its input, adding the gradients of its
parameters into ``param.grad`` on the way. A network is a list of layers: its forward runs
them in order, its backward in reverse.

>>> import numpy as np
>>> from dlcourse.mlp import MLP, train
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = np.array([0, 1, 1, 0])                          # XOR
>>> model = MLP([2, 8, 8, 1], activation="tanh", seed=0)
>>> history = train(model, X, y, lr=0.5, steps=500)   # loss at each step
>>> model.predict(X).tolist()
[0, 1, 1, 0]

Names and shapes follow ``torch.nn``: ``Linear.weight`` has shape
(out_features, in_features), :meth:`MLP.parameters` lists ``[w0, b0, w1, b1, ...]`` and
:meth:`MLP.state_dict` uses the keys of the equivalent ``torch.nn.Sequential``
(``"0.weight"``, ``"0.bias"``, ``"2.weight"``, ...), so weights can be copied both ways.

Differences from PyTorch, on purpose:

* gradients are arrays of zeros after :meth:`~Module.zero_grad` (torch sets them to None);
* ``backward`` may be called several times after one ``forward`` (like torch's
  ``retain_graph=True``); each call adds into ``.grad``;
* ``backward`` before any ``forward`` raises a :class:`RuntimeError`.

Like torch modules, every module is in training mode after construction;
:meth:`Module.eval` switches it (and its layers) to evaluation mode and :meth:`Module.train`
back. Only :class:`Dropout` behaves differently in the two modes: it drops units in training
mode and is the identity in evaluation mode. ``MLP(..., dropout=p)`` puts a Dropout layer
after every hidden activation, as ``torch.nn.Sequential(Linear, ReLU, Dropout, ...)`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike

from . import activations as act
from ._validation import as_array, check_callable, check_int, check_option, check_rng, check_scalar
from .regularization import check_dropout_probability, dropout_mask

__all__ = [
    "ACTIVATION_LAYERS",
    "ELU",
    "MLP",
    "Activation",
    "Dropout",
    "Identity",
    "LeakyReLU",
    "Linear",
    "Module",
    "Parameter",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "train",
]


class Parameter:
    """A learnable array and the gradient of the loss with respect to it.

    Like micrograd's ``Value`` (``.data``, ``.grad``), for a whole array at once.

    Parameters
    ----------
    data : array_like
        Initial value; copied to a float64 array.
    name : str, default "data"
        Name used in error messages.

    Attributes
    ----------
    data : numpy.ndarray
        The value. Update it in place (``p.data -= lr * p.grad``).
    grad : numpy.ndarray, same shape as ``data``
        The accumulated gradient; zeros until a backward pass adds to it.
    """

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
    """Base class of the layers and of :class:`MLP` (as ``torch.nn.Module``).

    A subclass implements :meth:`forward` and :meth:`backward`, and :meth:`parameters` if it
    has any. Calling the module calls :meth:`forward`.

    Attributes
    ----------
    training : bool
        True in training mode (the default), False in evaluation mode; set it with
        :meth:`train` and :meth:`eval`, as in torch.
    """

    training: bool = True

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Compute the output and remember what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Gradient with respect to the input of the last :meth:`forward`.

        Also adds the gradients of the parameters into their ``.grad``.
        """
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        """The learnable parameters (none by default)."""
        return []

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zeros."""
        for p in self.parameters():
            p.zero_grad()

    def children(self) -> list[Module]:
        """The modules directly inside this one (none for a layer), as in torch."""
        return []

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode, here and in every child.

        As ``torch.nn.Module.train``; it returns the module itself, so
        ``model.train().forward(x)`` works. Only :class:`Dropout` behaves differently.
        """
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"`mode` must be True or False; got {mode!r}.")
        self.training = bool(mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode: the same as ``train(False)``, as ``torch.nn.Module.eval``."""
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


# ----------------------------------------------------------------------------- Linear


class Linear(Module):
    """A fully connected layer ``y = x @ weight.T + bias``, as ``torch.nn.Linear``.

    Parameters
    ----------
    in_features : int
        Size of each input sample (>= 1).
    out_features : int
        Size of each output sample (>= 1).
    seed : int or numpy.random.Generator
        Seed for the initialisation. As in torch, ``weight`` and ``bias`` are drawn from
        ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` (weight first).

    Attributes
    ----------
    weight : Parameter of shape (out_features, in_features)
    bias : Parameter of shape (out_features,)
    """

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
        """``x @ weight.T + bias``.

        Parameters
        ----------
        x : array_like of shape (n_samples, in_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples, out_features)
        """
        x = as_array(x, "x", shape=("n_samples", self.in_features))
        self._x = x  # saved for backward
        return x @ self.weight.data.T + self.bias.data

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Gradients of ``y = x @ W.T + b``; adds ``dL/dW`` and ``dL/db`` into ``.grad``.

        With ``g = dL/dy`` of shape (n_samples, out_features):
        ``dL/dW = g.T @ x``, ``dL/db = g.sum(axis=0)``, ``dL/dx = g @ W``.

        Parameters
        ----------
        grad_output : array_like of shape (n_samples, out_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples, in_features)
            ``dL/dx``.

        Raises
        ------
        RuntimeError
            If called before :meth:`forward`.
        """
        x = self._saved_input()
        g = as_array(grad_output, "grad_output", shape=(x.shape[0], self.out_features))
        self.weight.grad += g.T @ x
        self.bias.grad += g.sum(axis=0)
        return g @ self.weight.data

    def parameters(self) -> list[Parameter]:
        """``[weight, bias]``."""
        return [self.weight, self.bias]


# ------------------------------------------------------------------------ activations


class Activation(Module):
    """Base class of the elementwise activation layers (no parameters).

    ``forward`` applies :attr:`function` and remembers its input; ``backward`` multiplies the
    upstream gradient by :attr:`derivative` at that input (chain rule, elementwise). The
    functions are those of :mod:`dlcourse.activations`.
    """

    name = "identity"

    def __init__(self) -> None:
        self._x: np.ndarray | None = None

    def function(self, x: np.ndarray) -> np.ndarray:
        """The activation, ``f(x)``."""
        return act.identity(x)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        """Its derivative, ``f'(x)``."""
        return act.identity_grad(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``f(x)``, elementwise; any shape."""
        x = as_array(x, "x")
        self._x = x  # saved for backward
        return self.function(x)

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """``grad_output * f'(x)`` for the ``x`` of the last forward (same shape).

        Raises
        ------
        RuntimeError
            If called before :meth:`forward`.
        """
        x = self._saved_input()
        g = as_array(grad_output, "grad_output", shape=x.shape)
        return g * self.derivative(x)


class Identity(Activation):
    """``f(x) = x``, as ``torch.nn.Identity``."""


class Sigmoid(Activation):
    """The logistic sigmoid, as ``torch.nn.Sigmoid``; see :func:`dlcourse.activations.sigmoid`."""

    name = "sigmoid"

    def function(self, x: np.ndarray) -> np.ndarray:
        return act.sigmoid(x)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return act.sigmoid_grad(x)


class Tanh(Activation):
    """The hyperbolic tangent, as ``torch.nn.Tanh``."""

    name = "tanh"

    def function(self, x: np.ndarray) -> np.ndarray:
        return act.tanh(x)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return act.tanh_grad(x)


class ReLU(Activation):
    """``max(0, x)``, as ``torch.nn.ReLU`` (derivative 0 at ``x = 0``)."""

    name = "relu"

    def function(self, x: np.ndarray) -> np.ndarray:
        return act.relu(x)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return act.relu_grad(x)


class LeakyReLU(Activation):
    """The leaky ReLU, as ``torch.nn.LeakyReLU`` but with the course's default slope 0.1.

    Parameters
    ----------
    negative_slope : float, default 0.1
        Slope for negative inputs (>= 0). **torch's default is 0.01.**
    """

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.1) -> None:
        super().__init__()
        self.negative_slope = check_scalar(negative_slope, "negative_slope", low=0.0)

    def __repr__(self) -> str:
        return f"LeakyReLU(negative_slope={self.negative_slope:g})"

    def function(self, x: np.ndarray) -> np.ndarray:
        return act.leaky_relu(x, self.negative_slope)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return act.leaky_relu_grad(x, self.negative_slope)


class ELU(Activation):
    """The exponential linear unit, as ``torch.nn.ELU``.

    Parameters
    ----------
    alpha : float, default 1.0
        Scale of the negative part (> 0).
    """

    name = "elu"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha:g})"

    def function(self, x: np.ndarray) -> np.ndarray:
        return act.elu(x, self.alpha)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return act.elu_grad(x, self.alpha)


ACTIVATION_LAYERS: dict[str, type[Activation]] = {
    "identity": Identity,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
}
"""Activation layer classes by name (the names of :data:`dlcourse.activations.ACTIVATIONS`)."""


# ---------------------------------------------------------------------------- Dropout


class Dropout(Module):
    """Inverted dropout, as ``torch.nn.Dropout``; see :func:`dlcourse.regularization.dropout`.

    In training mode, :meth:`forward` draws a fresh keep-mask (each element kept with
    probability ``1 - p``), zeroes the dropped elements and multiplies the kept ones by
    ``1 / (1 - p)``; :meth:`backward` applies the *same* mask and scale to the gradient. In
    evaluation mode (after :meth:`~Module.eval`) both are the identity.

    Parameters
    ----------
    p : float, default 0.5
        Probability of dropping each element, in ``[0, 1)`` (torch also allows 1).
    seed : int or numpy.random.Generator
        Where the masks come from. With the same seed, the first forward pass in training
        mode gives the same result as ``dropout(x, p, rng=seed)``.

    Attributes
    ----------
    p : float
    mask : numpy.ndarray of bool or None
        The keep-mask of the last forward pass in training mode (None in evaluation mode).
    """

    def __init__(self, p: float = 0.5, *, seed: int | np.random.Generator) -> None:
        self.p = check_dropout_probability(p)
        self.rng = check_rng(seed)
        self._x: np.ndarray | None = None
        self._mask: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray | None:
        """The keep-mask used by the last forward pass (None if it was the identity)."""
        return self._mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """``x * mask / (1 - p)`` in training mode, ``x`` itself in evaluation mode.

        Parameters
        ----------
        x : array_like of any shape, usually (n_samples, n_units)

        Returns
        -------
        numpy.ndarray of the same shape
        """
        x = as_array(x, "x")
        self._x = x  # saved for backward (its shape)
        if not self.training or self.p == 0.0:
            self._mask = None
            return x
        self._mask = dropout_mask(x.shape, self.p, rng=self.rng)
        return x * self._mask / (1.0 - self.p)

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """``grad_output * mask / (1 - p)``, with the mask of the last forward pass.

        A dropped unit contributed nothing to the output, so it gets no gradient; a kept one
        passes the gradient on, scaled like its value. After a forward pass in evaluation
        mode the gradient passes unchanged.

        Raises
        ------
        RuntimeError
            If called before :meth:`forward`.
        """
        x = self._saved_input()
        g = as_array(grad_output, "grad_output", shape=x.shape)
        if self._mask is None:
            return g
        return g * self._mask / (1.0 - self.p)


# -------------------------------------------------------------------------------- MLP


class MLP(Module):
    """A multi-layer perceptron: Linear layers with an activation between them.

    ``MLP([2, 8, 8, 1], "relu")`` is ``Linear(2, 8), ReLU, Linear(8, 8), ReLU, Linear(8, 1)``,
    the same as ``torch.nn.Sequential`` with those layers. The last Linear layer is followed
    by ``output_activation`` if one is given; by default the network outputs raw scores
    (logits), which is what :func:`train` expects for ``loss="bce"``.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[in_features, hidden_1, ..., out_features]``: at least 2 sizes, each >= 1.
    activation : str, default "relu"
        Hidden activation, a key of :data:`ACTIVATION_LAYERS`: ``"relu"``, ``"leaky_relu"``
        (slope 0.1), ``"elu"`` (alpha 1), ``"tanh"``, ``"sigmoid"`` or ``"identity"``.
    output_activation : str or None, default None
        Activation after the last layer (same names), or None for none.
    dropout : float, default 0.0
        If > 0, a :class:`Dropout` layer with this ``p`` follows every hidden activation
        (``Linear, ReLU, Dropout, Linear, ...``), and the layer numbers in
        :meth:`state_dict` count it, as in ``torch.nn.Sequential``. In ``[0, 1)``.
    seed : int or numpy.random.Generator
        Seed for the initialisation (layer by layer, as :class:`Linear`): the same seed
        gives the same weights, with or without dropout. The Dropout layers draw their
        masks from the same generator, after the initialisation.

    Attributes
    ----------
    layers : list of Module
        The layers in order, as ``torch.nn.Sequential`` would hold them.
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
        names = list(ACTIVATION_LAYERS)
        self.activation = check_option(activation, "activation", names)
        if output_activation is not None:
            check_option(output_activation, "output_activation", [None, *names])
        self.output_activation = output_activation
        self.dropout = check_dropout_probability(dropout, "dropout")
        rng = check_rng(seed)

        self.layer_sizes = sizes
        self.layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(pairwise(sizes)):
            self.layers.append(Linear(n_in, n_out, seed=rng))
            if i < len(sizes) - 2:
                self.layers.append(ACTIVATION_LAYERS[activation]())
                if self.dropout > 0:
                    self.layers.append(Dropout(self.dropout, seed=rng))
        if output_activation is not None:
            self.layers.append(ACTIVATION_LAYERS[output_activation]())

    def children(self) -> list[Module]:
        """The layers, :attr:`layers` (so :meth:`train` and :meth:`eval` reach them)."""
        return list(self.layers)

    @property
    def in_features(self) -> int:
        """Number of input features, ``layer_sizes[0]``."""
        return self.layer_sizes[0]

    @property
    def out_features(self) -> int:
        """Number of outputs, ``layer_sizes[-1]``."""
        return self.layer_sizes[-1]

    def __repr__(self) -> str:
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"MLP(\n{inner}\n)"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Run the layers in order.

        Parameters
        ----------
        x : array_like of shape (n_samples, in_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples, out_features)
        """
        x = as_array(x, "x", shape=("n_samples", self.in_features))
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output: ArrayLike) -> np.ndarray:
        """Backpropagate: run the layers' backward in reverse order.

        Parameters
        ----------
        grad_output : array_like of shape (n_samples, out_features)
            Gradient of the loss with respect to the output of the last :meth:`forward`.

        Returns
        -------
        numpy.ndarray of shape (n_samples, in_features)
            Gradient of the loss with respect to the input ``x``. The gradients of all
            parameters are added into their ``.grad``.

        Raises
        ------
        RuntimeError
            If called before :meth:`forward`.
        """
        if getattr(self.layers[-1], "_x", None) is None:
            raise RuntimeError(
                "MLP.backward() was called before forward(): run a forward pass first, so the "
                "layers have the inputs their gradients depend on."
            )
        grad = grad_output
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def parameters(self) -> list[Parameter]:
        """All parameters, ``[w0, b0, w1, b1, ...]`` (torch's order)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """``[("0.weight", w0), ("0.bias", b0), ("2.weight", w1), ...]``, torch's names.

        The number is the layer's position in :attr:`layers` (activations count).
        """
        return [
            (f"{i}.{name}", getattr(layer, name))
            for i, layer in enumerate(self.layers)
            if isinstance(layer, Linear)
            for name in ("weight", "bias")
        ]

    # ----------------------------------------------------------- binary classification

    def predict_proba(self, x: ArrayLike) -> np.ndarray:
        """Probability of class 1 for a binary classifier.

        The network must have one output. Without an output activation the output is read
        as a logit and passed through the sigmoid; with ``output_activation="sigmoid"`` it is
        already a probability. The forward pass here does not replace what the last
        :meth:`forward` saved, so it is safe between ``forward`` and ``backward``.

        Predictions are made in evaluation mode (no dropout), whatever the current mode,
        which is left as it was; torch leaves that to you (``model.eval()``).

        Parameters
        ----------
        x : array_like of shape (n_samples, in_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Values in [0, 1].
        """
        if self.out_features != 1 or self.output_activation not in (None, "sigmoid"):
            raise ValueError(
                "predict_proba needs a binary classifier: one output and output_activation "
                f"None (a logit) or 'sigmoid'; this MLP has {self.out_features} output(s) and "
                f"output_activation={self.output_activation!r}."
            )
        keys = ("training", "_x", "_mask")  # the mode and what backward will need
        saved = [{k: getattr(m, k) for k in keys if hasattr(m, k)} for m in [self, *self.layers]]
        try:
            out = self.eval().forward(x)[:, 0]
        finally:
            for module, state in zip([self, *self.layers], saved, strict=True):
                for key, value in state.items():
                    setattr(module, key, value)
        return out if self.output_activation == "sigmoid" else act.sigmoid(out)

    def predict(self, x: ArrayLike, threshold: float = 0.5) -> np.ndarray:
        """Class predictions in {0, 1}: 1 where ``predict_proba(x) > threshold``.

        Returns
        -------
        numpy.ndarray of shape (n_samples,), dtype int64
        """
        threshold = check_scalar(threshold, "threshold", low=0.0, high=1.0)
        return (self.predict_proba(x) > threshold).astype(np.int64)

    # ----------------------------------------------------------------------- state dict

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of the parameters under ``torch.nn.Sequential``'s keys.

        Returns
        -------
        dict
            ``{"0.weight": (h1, in), "0.bias": (h1,), "2.weight": ..., ...}``: the index is
            the layer's position in :attr:`layers`, activations included.
        """
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict: Mapping[str, ArrayLike]) -> None:
        """Copy parameters from a :meth:`state_dict` (NumPy arrays or torch tensors).

        The keys must be exactly those of :meth:`state_dict` and the shapes must match;
        otherwise a ValueError names the problem and nothing is changed.
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


# ------------------------------------------------------------------------------ losses
# Each returns the loss and its gradient with respect to the prediction, side by side.
# (A later dlcourse.losses module will hold the full set; these are what train() needs.)


def _bce_with_logits(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy from logits ``z`` (mean over all entries), and ``dL/dz``.

    ``-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] = max(z, 0) - z y + log(1 + e^-|z|)``
    (stable for any ``z``, as ``torch.nn.BCEWithLogitsLoss``); its derivative is
    ``(sigmoid(z) - y) / N``.
    """
    loss = np.maximum(logits, 0.0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
    grad = (act.sigmoid(logits) - y) / logits.size
    return float(loss.mean()), grad


def _mse(pred: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error ``mean((pred - y)**2)`` and its gradient ``2 (pred - y) / N``."""
    diff = pred - y
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


_LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "bce": _bce_with_logits,
    "mse": _mse,
}


def train(
    model: Module,
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: float = 0.1,
    steps: int = 500,
    loss: str = "bce",
    callback: Callable[[int, float], object] | None = None,
) -> np.ndarray:
    """Full-batch gradient descent: ``param.data -= lr * param.grad`` for ``steps`` steps.

    Each step is one forward pass over all of ``X``, the loss, one backward pass and the
    update, so there is nothing random here: the same model and data give the same history.
    (With :class:`Dropout` layers each step draws new masks from the model's seeded
    generator, so the history still repeats for the same seed.) The model is put in training
    mode first, ``model.train()``, as a PyTorch training loop does, and left in it.

    Parameters
    ----------
    model : MLP or Linear (any :class:`Module`)
        Trained in place.
    X : array_like of shape (n_samples, in_features)
    y : array_like of shape (n_samples,) or (n_samples, out_features)
        Targets. For ``loss="bce"``, values in [0, 1] (usually labels 0/1).
    lr : float, default 0.1
        Learning rate (> 0).
    steps : int, default 500
        Number of updates (>= 1); with full batches, one step is one epoch.
    loss : {"bce", "mse"}, default "bce"
        ``"bce"``: binary cross-entropy with logits, for a model whose output is a logit (an
        MLP without ``output_activation``); ``"mse"``: mean squared error. Both are means
        over all samples and outputs, like torch's defaults.
    callback : callable, optional
        Called as ``callback(step, loss_value)`` after each update, e.g. to redraw a plot.

    Returns
    -------
    numpy.ndarray of shape (steps,)
        The loss at each step, computed before that step's update.

    Raises
    ------
    FloatingPointError
        If training diverges (the loss or a parameter overflows); try a smaller ``lr``.
    """
    if not isinstance(model, Module):
        raise TypeError(f"`model` must be an MLP or another dlcourse.mlp.Module; got {model!r}.")
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    steps = check_int(steps, "steps", low=1)
    loss_fn = _LOSSES[check_option(loss, "loss", list(_LOSSES))]
    if callback is not None:
        check_callable(callback, "callback")
    if loss == "bce" and getattr(model, "output_activation", None) is not None:
        raise ValueError(
            "`loss='bce'` works on logits, but this MLP ends with output_activation="
            f"{model.output_activation!r}; build it with output_activation=None."
        )
    n_in = getattr(model, "in_features", None)
    X = as_array(X, "X", shape=("n_samples", "n_features" if n_in is None else n_in))
    n_out = getattr(model, "out_features", None)
    y = as_array(y, "y", ndim=(1, 2))
    if y.ndim == 1:
        y = y[:, None]
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
        with np.errstate(over="raise", invalid="raise"):
            try:
                model.zero_grad()
                out = model.forward(X)
                history[step], grad = loss_fn(out, y)
                model.backward(grad)
                for p in params:
                    p.data -= lr * p.grad
            except FloatingPointError as exc:
                exc_text = str(exc)
            else:
                exc_text = ""
        if exc_text or not np.isfinite(history[step]):
            raise FloatingPointError(
                f"training diverged at step {step} ({exc_text or 'the loss is not finite'}); "
                f"try a smaller `lr` than {lr:g}."
            )
        if callback is not None:
            callback(step, float(history[step]))
    return history
