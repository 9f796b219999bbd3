"""Checkers for the PyTorch primer and for the autograd engine built from scratch."""

import numpy as np

from ._core import check_function

NAME_SIGMOID = "(sigmoid(x), dL/dx) for L = c * sigmoid(x) + x, at (x, c) = "
NAME_MUL = "(dL/da, dL/db, dL/dx) for L = c * mul(a, b) and c * mul(x, x), at (a = x, b, c) = "


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _torch_run(fn):  # hand the learner's function tensors made from the (copied) arrays
    if not callable(fn):
        return fn

    def run(*args):
        import torch

        out = fn(*(torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in args))
        return out.detach().numpy() if isinstance(out, torch.Tensor) else out

    return run


def check_standardize(standardize):
    """``standardize(X)``: each column of a float64 tensor to mean 0, population std 1."""
    rng = np.random.default_rng(7)
    cases = [(rng.normal(3, 2, (6, 3)),), (rng.normal(-1, 5, (4, 2)),)]
    mistakes = [
        (
            lambda X: (X - X.mean(0)) / X.std(0, ddof=1),
            "torch's `std` divides by n - 1 unless "
            "told otherwise: pass `correction=0` to divide by n, as NumPy's `np.std` does.",
        ),
        (
            lambda X: (X - X.mean(1, keepdims=True)) / X.std(1, keepdims=True),
            "you standardised "
            "each row (dim=1); a feature is a column, standardised over the samples: dim=0.",
        ),
        (lambda X: X - X.mean(0), "you subtracted the mean but did not divide by the std."),
    ]
    return check_function(
        _torch_run(standardize),
        lambda X: (X - X.mean(0)) / X.std(0),
        cases,
        name="standardize",
        mistakes=mistakes,
        hint="(X - mean) / std, both over dim=0, with keepdim or broadcasting.",
    )


def _sgd_run(fn):  # two parameters with gradients; report their values and gradients after
    if not callable(fn):
        return fn

    def run(W, dW, b, db, lr):
        import torch

        params = [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)]
        params[0].grad, params[1].grad = torch.tensor(dW), torch.tensor(db)
        fn(params, lr)
        grads = [np.zeros(p.shape) if p.grad is None else p.grad.numpy() for p in params]
        return tuple(p.detach().numpy() for p in params) + tuple(grads)

    return run


def check_sgd_step(sgd_step):
    """``sgd_step(parameters, lr)``: update each parameter in place, then clear its gradient."""
    rng = np.random.default_rng(8)
    cases = [(*rng.normal(size=(2, 3, 2)), *rng.normal(size=(2, 3)), lr) for lr in (0.1, 0.5)]
    mistakes = [
        (
            lambda W, dW, b, db, lr: (W + lr * dW, b + lr * db, 0 * W, 0 * b),
            "you stepped uphill: subtract lr * grad.",
        ),
        (
            lambda W, dW, b, db, lr: (W - lr * dW, b - lr * db, dW, db),
            "the update is right, but "
            "the gradients are still there: `backward` would add the next ones to them. Set "
            "`p.grad = None` (or `p.grad.zero_()`).",
        ),
    ]
    return check_function(
        _sgd_run(sgd_step),
        lambda W, dW, b, db, lr: (W - lr * dW, b - lr * db, 0 * W, 0 * b),
        cases,
        name="sgd_step",
        mistakes=mistakes,
        hint="inside `with torch.no_grad():`, `p -= lr * p.grad` changes the parameter itself.",
    )


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
        return lambda x, c: (_sig(x), ds(x, c, _sig(x)))

    mistakes = [
        (wrong(lambda x, c, s: s * (1 - s) + 1), "multiply the local derivative by out.grad."),
        (wrong(lambda x, c, s: c * x * (1 - x) + 1), "s(1 - s) uses the OUTPUT s, not the input."),
        (wrong(lambda x, c, s: c * s + 1), "the derivative of the sigmoid is s(1 - s), not s."),
        (
            wrong(lambda x, c, s: c * s * (1 - s)),
            "`=` overwrote the gradient from the other use of x; accumulate with `+=`.",
        ),
        (wrong(lambda x, c, s: 1.0), "x got no gradient through the sigmoid: set out._backward."),
    ]
    return check_function(
        run,
        wrong(lambda x, c, s: c * s * (1 - s) + 1),
        [(0.5, 2.0), (-1.5, 3.0), (2.0, -0.5)],
        name=NAME_SIGMOID,
        success="`Value.sigmoid` computes the sigmoid and its gradient.",
        mistakes=mistakes,
        hint="out.data = 1/(1 + exp(-x)); in _backward, self.grad += s * (1 - s) * out.grad.",
    )


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

    mistakes = [
        (
            lambda x, y, c: (c * y, c * x, c * x),
            "mul(a, a) gets half its gradient: when a and b "
            "are the same Value, `=` in the second line throws away what the first line added.",
        ),
        (
            lambda x, y, c: (c * x, c * y, 2 * c * x),
            "each input's gradient is the OTHER input times out.grad.",
        ),
        (lambda x, y, c: (y, x, 2 * x), "multiply by out.grad."),
    ]
    return check_function(
        run if callable(mul) else mul,
        lambda x, y, c: (c * y, c * x, 2 * c * x),
        [(2.0, -3.0, 1.5), (-0.5, 4.0, -2.0)],
        name=NAME_MUL,
        success="`mul` accumulates its gradients, even for mul(x, x).",
        mistakes=mistakes,
        hint="a gradient is accumulated (+=), never set.",
    )
