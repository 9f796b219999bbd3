"""Checkers for the PyTorch primer and for the autograd engine built from scratch."""

import numpy as np

from ..activations import sigmoid
from ._core import check_function

# fmt: off

NAME_SIGMOID = "(sigmoid(x), dL/dx) for L = c * sigmoid(x) + x, at (x, c) = "
NAME_MUL = "(dL/da, dL/db, dL/dx) for L = c * mul(a, b) and c * mul(x, x), at (a = x, b, c) = "


def _torch_run(fn):  # hand the learner's function tensors made from the (copied) arrays

    def run(*args):
        import torch

        out = fn(*(torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in args))
        return out.detach().numpy() if isinstance(out, torch.Tensor) else out

    return run


def check_standardize(standardize):
    """``standardize(X)``: each column of a float64 tensor to mean 0, population std 1."""
    rng = np.random.default_rng(7)
    cases = [(rng.normal(3, 2, (4, 3)),), (rng.normal(-1, 5, (3, 2)),)]
    return check_function(_torch_run(standardize) if callable(standardize) else standardize,
        lambda X: (X - X.mean(0)) / X.std(0), cases, name="standardize",
        hint="(X - mean) / std, both over dim=0, with keepdim or broadcasting.", mistakes=[
        (lambda X: (X - X.mean(0)) / X.std(0, ddof=1), "torch's `std` divides by n - 1 unless "
         "told otherwise: pass `correction=0` to divide by n, as NumPy's `np.std` does."),
        (lambda X: (X - X.mean(1, keepdims=True)) / X.std(1, keepdims=True), "you standardised "
         "each row (dim=1); a feature is a column, standardised over the samples: dim=0."),
        (lambda X: X - X.mean(0), "you subtracted the mean but did not divide by the std."),
    ])


_W, _DW, _B, _DB = (np.random.default_rng(8).normal(size=n) for n in [(3, 2), (3, 2), 3, 3])


def _sgd(lr, sign=-1, moved=True, grads=False):  # parameters and gradients after a step
    step = sign * lr * moved
    return _W + step * _DW, _B + step * _DB, _DW * grads, _DB * grads


def check_sgd_step(sgd_step):
    """``sgd_step(parameters, lr)``: update each parameter in place, then clear its gradient."""

    def run(lr):  # two parameters with gradients; their values and gradients after the step
        import torch

        params = [torch.tensor(_W, requires_grad=True), torch.tensor(_B, requires_grad=True)]
        params[0].grad, params[1].grad = torch.tensor(_DW), torch.tensor(_DB)
        sgd_step(params, lr)
        grads = [np.zeros(p.shape) if p.grad is None else p.grad.numpy() for p in params]
        return tuple(p.detach().numpy() for p in params) + tuple(grads)

    return check_function(run if callable(sgd_step) else sgd_step, _sgd, [(0.1,), (0.5,)],
        name="sgd_step(parameters, lr) with lr",
        hint="inside `with torch.no_grad():`, `p -= lr * p.grad` changes the parameter itself.",
        mistakes=[
        (lambda lr: _sgd(lr, moved=False, grads=True), "the parameters did not change. Update "
         "them in place (`p -= lr * p.grad`): `p = p - ...` only gives the name p to a new "
         "tensor."),
        (lambda lr: _sgd(lr, sign=1), "you stepped uphill: subtract lr * grad."),
        (lambda lr: _sgd(lr, grads=True), "the update is right, but the gradients are still "
         "there: `backward` would add the next ones to them. Set `p.grad = None` (or "
         "`p.grad.zero_()`)."),
    ])


def check_value_sigmoid(Value):
    """``Value.sigmoid``: the checker computes ``L = c * x.sigmoid() + x`` and ``x.grad``."""

    def run(x, c):
        v = Value(x)
        s = v.sigmoid()
        if s is None:
            return None
        (s * c + v).backward()
        return s.data, v.grad

    def wrong(ds):  # (sigmoid(x), the gradient a given backward leaves in x.grad)
        return lambda x, c: (sigmoid(x), ds(x, c, sigmoid(x)))

    return check_function(run, wrong(lambda x, c, s: c * s * (1 - s) + 1),
        [(0.5, 2.0), (-1.5, 3.0), (2.0, -0.5)], name=NAME_SIGMOID,
        success="`Value.sigmoid` computes the sigmoid and its gradient.",
        hint="out.data = 1/(1 + exp(-x)); in _backward, self.grad += s * (1 - s) * out.grad.",
        mistakes=[
        (wrong(lambda x, c, s: s * (1 - s) + 1), "multiply the local derivative by out.grad."),
        (wrong(lambda x, c, s: c * x * (1 - x) + 1), "s(1 - s) uses the OUTPUT s, not the input."),
        (wrong(lambda x, c, s: c * s + 1), "the derivative of the sigmoid is s(1 - s), not s."),
        (wrong(lambda x, c, s: c * s * (1 - s)), "`=` overwrote the gradient from the other use "
         "of x; accumulate with `+=`."),
        (wrong(lambda x, c, s: 1.0), "x got no gradient through the sigmoid: set out._backward."),
    ])


def check_value_mul(mul, Value):
    """``mul(a, b)``: gradients of ``c * mul(a, b)`` and of ``c * mul(a, a)``."""

    def run(x, y, c):
        a, b, sq = Value(x), Value(y), Value(x)
        ab, xx = mul(a, b), mul(sq, sq)
        if ab is None or xx is None:
            return None
        (ab * c).backward()
        (xx * c).backward()
        return a.grad, b.grad, sq.grad

    return check_function(run if callable(mul) else mul,
        lambda x, y, c: (c * y, c * x, 2 * c * x), [(2.0, -3.0, 1.5), (-0.5, 4.0, -2.0)],
        name=NAME_MUL, success="`mul` accumulates its gradients, even for mul(x, x).",
        hint="a gradient is accumulated (+=), never set.", mistakes=[
        (lambda x, y, c: (c * y, c * x, c * x), "mul(a, a) gets half its gradient: when a and b "
         "are the same Value, `=` in the second line throws away what the first line added."),
        (lambda x, y, c: (c * x, c * y, 2 * c * x), "each input's gradient is the OTHER input "
         "times out.grad."),
        (lambda x, y, c: (y, x, 2 * x), "multiply by out.grad."),
    ])
