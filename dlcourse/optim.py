"""Optimizers in NumPy, with the names, defaults and update rules of ``torch.optim``.

They update anything with a ``.data`` array (in place) and a ``.grad`` array, such as the
parameters of a :class:`dlcourse.mlp.MLP`, in PyTorch's loop::

    optimizer = Adam(model.parameters(), lr=0.05)
    for step in range(300):
        optimizer.zero_grad()
        logits = model(X)
        model.backward(binary_cross_entropy_with_logits_grad(logits, y))
        optimizer.step()

``optimizer.state[i]`` holds what is remembered about ``optimizer.params[i]``, under torch's
keys. Differences from torch, on purpose: one list of parameters (no groups), hyperparameters
are plain attributes, ``SGD`` needs ``lr``, ``zero_grad`` fills zeros, and only the options
the course uses exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._validation import as_array, check_bool, check_scalar, describe

__all__ = ["SGD", "Adam", "Optimizer", "RMSprop"]


def _check_params(params: Any) -> list[Any]:
    """``params`` as a list of distinct objects with a float ``.data`` array and a ``.grad``."""
    single = isinstance(params, (str, bytes, np.ndarray)) or hasattr(params, "data")
    if single or not isinstance(params, Iterable):
        raise TypeError(
            "`params` must be a list of parameters, such as model.parameters() (a single "
            f"parameter p goes in a list: [p]); got {describe(params)}."
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
            raise TypeError(
                f"`params[{i}].data` must be a floating-point NumPy array (it is updated in "
                f"place); got {type(p.data).__name__} {getattr(p.data, 'dtype', '')}."
            )
    if len({id(p) for p in params}) != len(params):
        raise ValueError("`params` lists the same parameter more than once.")
    return params


class Optimizer:
    """Base class: the list ``params`` and a state dict for each, ``state``.

    A subclass sets ``lr`` and ``weight_decay`` and implements :meth:`_update`, the rule for
    one parameter; :meth:`step` applies it to every parameter whose ``.grad`` is not None.
    """

    lr: float
    weight_decay: float

    def __init__(self, params: Iterable[Any]) -> None:
        self.params = _check_params(params)
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def __repr__(self) -> str:
        names = [k for k in vars(self) if k not in ("params", "state")]
        hyper = ", ".join(f"{k}={getattr(self, k)!r}" for k in names)
        return f"{type(self).__name__}({len(self.params)} parameters, {hyper})"

    def zero_grad(self) -> None:
        """Set every gradient to zeros, in place (gradients that are None stay None)."""
        for p in self.params:
            if isinstance(p.grad, np.ndarray):
                p.grad[...] = 0.0
            elif p.grad is not None:
                p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        """Update every ``.data`` in place from its ``.grad``; a ValueError (before anything
        changes) if a gradient has the wrong shape or is not finite (a sign of divergence)."""
        grads = [
            None
            if p.grad is None
            else as_array(p.grad, f"params[{i}].grad", shape=p.data.shape, allow_empty=True)
            for i, p in enumerate(self.params)
        ]
        for p, grad, state in zip(self.params, grads, self.state, strict=True):
            if grad is None:
                continue  # no gradient: skipped, as in torch
            if self.weight_decay != 0:  # L2 penalty, added to the gradient as torch does
                grad = grad + self.weight_decay * p.data
            self._update(p.data, grad, state)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        """Update ``data`` in place from ``grad`` (never modified) and the parameter's state."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, as ``torch.optim.SGD``.

    For each parameter ``θ`` with gradient ``g``::

        g = g + weight_decay * θ
        b = g  (first step),  b = momentum * b + g  (later steps)    if momentum != 0
        g = g + momentum * b  if nesterov  else  b
        θ = θ - lr * g

    ``lr`` (>= 0) is required; ``nesterov`` needs ``momentum > 0``. torch's ``dampening`` is
    left out, so the later options are keyword-only. The state holds ``"momentum_buffer"``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0,
        *,
        weight_decay: float = 0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        self.momentum = check_scalar(momentum, "momentum", low=0.0)
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)
        self.nesterov = check_bool(nesterov, "nesterov")
        if self.nesterov and self.momentum <= 0:
            raise ValueError("`nesterov=True` requires `momentum` > 0; got momentum=0.")

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = state["momentum_buffer"] = np.array(grad)  # a copy, even of a 0-d array
            else:
                buf = state["momentum_buffer"]
                buf *= self.momentum
                buf += grad
            grad = grad + self.momentum * buf if self.nesterov else buf
        data -= self.lr * grad


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root mean square, as ``torch.optim.RMSprop``.

    For each parameter, with ``v`` starting at 0::

        g = g + weight_decay * θ
        v = alpha * v + (1 - alpha) * g**2
        θ = θ - lr * g / (sqrt(v) + eps)

    Defaults as torch; ``alpha`` in [0, 1]. The state holds ``"step"`` and ``"square_avg"``.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        self.alpha = check_scalar(alpha, "alpha", low=0.0, high=1.0)
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state.update(step=0, square_avg=np.zeros_like(data))
        state["step"] += 1
        square_avg = state["square_avg"]
        square_avg *= self.alpha
        square_avg += (1 - self.alpha) * grad * grad
        data -= self.lr * grad / (np.sqrt(square_avg) + self.eps)


class Adam(Optimizer):
    """Adam: momentum plus RMSprop-style scaling, bias-corrected, as ``torch.optim.Adam``.

    At step ``t = 1, 2, ...``, with ``m`` and ``v`` starting at 0::

        g = g + weight_decay * θ                  (L2 penalty: this is Adam, not AdamW)
        m = beta1 * m + (1 - beta1) * g           first moment
        v = beta2 * v + (1 - beta2) * g**2        second moment
        θ = θ - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    Defaults as torch; each beta in [0, 1). The state holds ``"step"``, ``"exp_avg"`` (m) and
    ``"exp_avg_sq"`` (v).
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
    ) -> None:
        super().__init__(params)
        self.lr = check_scalar(lr, "lr", low=0.0)
        if not isinstance(betas, Sequence) or isinstance(betas, str) or len(betas) != 2:
            raise TypeError(
                f"`betas` must be a pair (beta1, beta2), such as (0.9, 0.999); got {betas!r}."
            )
        self.betas = tuple(
            check_scalar(b, f"betas[{i}]", low=0.0, high=1.0, high_inclusive=False)
            for i, b in enumerate(betas)
        )
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(data), exp_avg_sq=np.zeros_like(data))
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        data -= self.lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + self.eps)
