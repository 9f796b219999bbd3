"""Optimizers in NumPy, with the names, defaults and update rules of ``torch.optim``.

An optimizer holds a list of parameters, each with a ``.data`` array (the value) and a
``.grad`` array (the gradient of the loss, filled by a backward pass), such as the
:class:`dlcourse.mlp.Parameter` objects of an MLP. Each :meth:`~Optimizer.step` updates every
``.data`` in place from its ``.grad``; :meth:`~Optimizer.zero_grad` clears the gradients
before the next backward pass. The training loop is the same as in PyTorch:

>>> import numpy as np
>>> from dlcourse.losses import binary_cross_entropy_with_logits as bce
>>> from dlcourse.losses import binary_cross_entropy_with_logits_grad as bce_grad
>>> from dlcourse.mlp import MLP
>>> from dlcourse.optim import Adam
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = np.array([[0.0], [1.0], [1.0], [0.0]])                      # XOR
>>> model = MLP([2, 8, 1], activation="tanh", seed=0)
>>> optimizer = Adam(model.parameters(), lr=0.05)
>>> for step in range(300):
...     optimizer.zero_grad()
...     logits = model(X)
...     loss = bce(logits, y)
...     _ = model.backward(bce_grad(logits, y))
...     optimizer.step()
>>> model.predict(X).tolist()
[0, 1, 1, 0]

What each optimizer remembers between steps is in :attr:`~Optimizer.state`, a list with one
dictionary per parameter (``optimizer.state[i]`` belongs to ``optimizer.params[i]``), under
torch's keys (``"momentum_buffer"``, ``"exp_avg"``, ``"exp_avg_sq"``, ``"step"``, ...).

Differences from PyTorch, on purpose:

* one list of parameters, no parameter groups; the hyperparameters are plain attributes
  (``optimizer.lr = 0.01`` changes the learning rate for the next steps);
* ``SGD`` needs ``lr`` (torch 2.x has a default of 0.001; choosing one is part of the lesson);
* :meth:`~Optimizer.zero_grad` fills the gradients with zeros (torch sets them to ``None``);
* the options ``maximize``, ``foreach``, ``fused``, ``capturable`` and ``differentiable``
  and the closure argument of ``step`` do not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._validation import as_array, check_scalar

__all__ = ["SGD", "Adam", "Optimizer", "RMSprop"]


def _check_bool(x: Any, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {type(x).__name__} {x!r}.")
    return bool(x)


def _check_params(params: Any) -> list[Any]:
    """``params`` as a list of distinct objects with a float ``.data`` array and a ``.grad``."""
    if isinstance(params, (str, bytes, np.ndarray)) or hasattr(params, "data"):
        raise TypeError(
            "`params` must be a list of parameters, such as model.parameters(); got a single "
            f"{type(params).__name__}. Wrap it in a list: [p]."
        )
    if not isinstance(params, Iterable):
        raise TypeError(
            f"`params` must be a list of parameters, such as model.parameters(); got "
            f"{type(params).__name__}."
        )
    params = list(params)
    if not params:
        raise ValueError("`params` is empty: the optimizer got no parameters to update.")
    for i, p in enumerate(params):
        if not (hasattr(p, "data") and hasattr(p, "grad")):
            raise TypeError(
                f"`params[{i}]` must have `.data` and `.grad` attributes, like "
                f"dlcourse.mlp.Parameter; got {type(p).__name__}."
            )
        if not isinstance(p.data, np.ndarray) or p.data.dtype.kind != "f":
            kind = (
                f"an array of dtype {p.data.dtype}"
                if isinstance(p.data, np.ndarray)
                else type(p.data).__name__
            )
            raise TypeError(
                f"`params[{i}].data` must be a floating-point NumPy array (it is updated in "
                f"place); got {kind}."
            )
    if len({id(p) for p in params}) != len(params):
        raise ValueError("`params` lists the same parameter more than once.")
    return params


class Optimizer:
    """Base class of the optimizers: a list of parameters and a state for each.

    A subclass implements :meth:`_update`, the rule for one parameter; :meth:`step` applies
    it to every parameter that has a gradient.

    Parameters
    ----------
    params : iterable of parameters
        Objects with a ``.data`` float array, updated in place, and a ``.grad`` array of the
        same shape (or ``None``: such a parameter is skipped, as in torch), e.g.
        ``model.parameters()`` of a :class:`dlcourse.mlp.MLP`.

    Attributes
    ----------
    params : list
        The parameters, in the order given.
    state : list of dict
        ``state[i]`` holds what the optimizer remembers about ``params[i]`` (empty before the
        first step), under the same keys as ``torch.optim``.
    """

    def __init__(self, params: Iterable[Any]) -> None:
        self.params = _check_params(params)
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {hyper})"

    def _hyperparameters(self) -> dict[str, Any]:
        return {}

    def zero_grad(self) -> None:
        """Set every gradient to zeros, in place (gradients that are ``None`` stay ``None``)."""
        for p in self.params:
            if isinstance(p.grad, np.ndarray):
                p.grad[...] = 0.0
            elif p.grad is not None:
                p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        """Update every parameter's ``.data`` in place from its ``.grad``.

        Raises
        ------
        ValueError
            If a gradient has the wrong shape or contains NaN or infinite values (a sign of
            divergence: try a smaller learning rate).
        """
        grads = [  # all checked before any parameter changes
            None
            if p.grad is None
            else as_array(p.grad, f"params[{i}].grad", shape=p.data.shape, allow_empty=True)
            for i, p in enumerate(self.params)
        ]
        for p, grad, state in zip(self.params, grads, self.state, strict=True):
            if grad is not None:  # a parameter without gradient is skipped, as in torch
                self._update(p.data, grad, state)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        """Update ``data`` in place from ``grad`` (never modified) and the parameter's state."""
        raise NotImplementedError


# -------------------------------------------------------------------------------- SGD


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, as ``torch.optim.SGD``.

    For each parameter ``θ`` with gradient ``g``, at step ``t = 1, 2, ...``::

        g = g + weight_decay * θ                      (if weight_decay != 0)
        b = g              if t == 1                  (if momentum != 0)
        b = momentum * b + (1 - dampening) * g        otherwise
        g = g + momentum * b   if nesterov   else  b
        θ = θ - lr * g

    Parameters
    ----------
    params : iterable of parameters
        See :class:`Optimizer`.
    lr : float
        Learning rate (>= 0). Required (torch 2.x defaults to 0.001).
    momentum : float, default 0
        Momentum factor (>= 0); 0 is plain gradient descent.
    dampening : float, default 0
        Dampening for momentum: the new gradient enters the buffer with weight
        ``1 - dampening`` (not on the first step, where the buffer is the gradient).
    weight_decay : float, default 0
        L2 penalty (>= 0): adds ``weight_decay * θ`` to the gradient.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening = 0``.

    Attributes
    ----------
    state : list of dict
        ``{"momentum_buffer": b}`` per parameter once a step has been taken with momentum.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        self.momentum = check_scalar(momentum, "momentum", low=0.0)
        self.dampening = check_scalar(dampening, "dampening")
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)
        self.nesterov = _check_bool(nesterov, "nesterov")
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "`nesterov=True` requires `momentum` > 0 and `dampening` = 0; got "
                f"momentum={self.momentum:g}, dampening={self.dampening:g}."
            )

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "momentum": self.momentum,
            "dampening": self.dampening,
            "weight_decay": self.weight_decay,
            "nesterov": self.nesterov,
        }

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if self.weight_decay != 0:
            grad = grad + self.weight_decay * data
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = state["momentum_buffer"] = np.array(grad)  # a copy, even of a 0-d array
            else:
                buf = state["momentum_buffer"]
                buf *= self.momentum
                buf += (1 - self.dampening) * grad
            grad = grad + self.momentum * buf if self.nesterov else buf
        data -= self.lr * grad


# ---------------------------------------------------------------------------- RMSprop


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root mean square, as ``torch.optim.RMSprop``.

    For each parameter ``θ`` with gradient ``g``, with ``v``, ``m`` and ``b`` starting at 0::

        g = g + weight_decay * θ                      (if weight_decay != 0)
        v = alpha * v + (1 - alpha) * g**2            running mean of squares
        m = alpha * m + (1 - alpha) * g               (if centered) running mean
        s = sqrt(v - m**2) if centered else sqrt(v)   scale
        b = momentum * b + g / (s + eps)              (if momentum > 0)
        θ = θ - lr * b   if momentum > 0   else   θ - lr * g / (s + eps)

    Parameters
    ----------
    params : iterable of parameters
        See :class:`Optimizer`.
    lr : float, default 0.01
        Learning rate (>= 0).
    alpha : float, default 0.99
        Smoothing constant of the running averages, in [0, 1] (torch only checks >= 0).
    eps : float, default 1e-8
        Added to the denominator for numerical stability (>= 0).
    weight_decay : float, default 0
        L2 penalty (>= 0).
    momentum : float, default 0
        Momentum factor (>= 0).
    centered : bool, default False
        Divide by an estimate of the gradient's variance (``v - m**2``) instead of its raw
        second moment.

    Attributes
    ----------
    state : list of dict
        ``{"step", "square_avg"}`` per parameter, plus ``"momentum_buffer"`` if
        ``momentum > 0`` and ``"grad_avg"`` if ``centered``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        self.alpha = check_scalar(alpha, "alpha", low=0.0, high=1.0)
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)
        self.momentum = check_scalar(momentum, "momentum", low=0.0)
        self.centered = _check_bool(centered, "centered")

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "momentum": self.momentum,
            "centered": self.centered,
        }

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(data)
            if self.momentum > 0:
                state["momentum_buffer"] = np.zeros_like(data)
            if self.centered:
                state["grad_avg"] = np.zeros_like(data)
        state["step"] += 1
        if self.weight_decay != 0:
            grad = grad + self.weight_decay * data

        square_avg = state["square_avg"]
        square_avg *= self.alpha
        square_avg += (1 - self.alpha) * grad * grad
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg *= self.alpha
            grad_avg += (1 - self.alpha) * grad
            # v - m**2 >= 0 in exact arithmetic; the floor only guards against rounding.
            scale = np.sqrt(np.maximum(square_avg - grad_avg**2, 0.0))
        else:
            scale = np.sqrt(square_avg)
        denom = scale + self.eps

        if self.momentum > 0:
            buf = state["momentum_buffer"]
            buf *= self.momentum
            buf += grad / denom
            data -= self.lr * buf
        else:
            data -= self.lr * grad / denom


# ------------------------------------------------------------------------------- Adam


class Adam(Optimizer):
    """Adam: momentum plus RMSprop-style scaling, bias-corrected, as ``torch.optim.Adam``.

    For each parameter ``θ`` with gradient ``g``, at step ``t = 1, 2, ...``, with ``m`` and
    ``v`` starting at 0::

        g = g + weight_decay * θ                      (if weight_decay != 0)
        m = beta1 * m + (1 - beta1) * g               first moment (mean)
        v = beta2 * v + (1 - beta2) * g**2            second moment (uncentered variance)
        v_max = max(v_max, v)                         (if amsgrad; then use v_max for v below)
        m_hat = m / (1 - beta1**t)                    bias corrections: m and v start at 0
        v_hat = v / (1 - beta2**t)
        θ = θ - lr * m_hat / (sqrt(v_hat) + eps)

    Parameters
    ----------
    params : iterable of parameters
        See :class:`Optimizer`.
    lr : float, default 0.001
        Learning rate (>= 0).
    betas : (float, float), default (0.9, 0.999)
        Decay rates ``(beta1, beta2)`` of the running averages, each in [0, 1).
    eps : float, default 1e-8
        Added to the denominator for numerical stability (>= 0).
    weight_decay : float, default 0
        L2 penalty (>= 0), added to the gradient (this is Adam, not AdamW).
    amsgrad : bool, default False
        Use the maximum of all ``v`` so far (AMSGrad), so the step size never grows back.

    Attributes
    ----------
    state : list of dict
        ``{"step", "exp_avg", "exp_avg_sq"}`` per parameter (``m`` and ``v``), plus
        ``"max_exp_avg_sq"`` if ``amsgrad``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        if not isinstance(betas, Sequence) or isinstance(betas, str) or len(betas) != 2:
            raise TypeError(
                f"`betas` must be a pair (beta1, beta2), such as (0.9, 0.999); got {betas!r}."
            )
        self.betas = (
            check_scalar(betas[0], "betas[0]", low=0.0, high=1.0, high_inclusive=False),
            check_scalar(betas[1], "betas[1]", low=0.0, high=1.0, high_inclusive=False),
        )
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)
        self.amsgrad = _check_bool(amsgrad, "amsgrad")

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "betas": self.betas,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "amsgrad": self.amsgrad,
        }

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(data)
            state["exp_avg_sq"] = np.zeros_like(data)
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(data)
        state["step"] += 1
        t = state["step"]
        if self.weight_decay != 0:
            grad = grad + self.weight_decay * data

        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        if self.amsgrad:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
