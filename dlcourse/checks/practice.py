"""Checkers for the practice chapter: He initialisation, batch normalisation, early stopping."""

import numpy as np

from ._core import CheckResult, check_function


def _bn(x, gamma, beta, eps=1e-5, ddof=0, axis=0):
    mean, var = x.mean(axis, keepdims=True), x.var(axis, ddof=ddof, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def _es(val_losses, patience, keep_best=True):
    best, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        elif (waited := waited + 1) == patience:
            return best_epoch if keep_best else epoch
    return best_epoch if keep_best else len(val_losses)


_HE = [
    (lambda i, o: np.sqrt(2 / o), "You used fan_out; the forward pass sums over fan_in inputs."),
    (lambda i, o: 2 / i, "That is the variance 2 / fan_in; return its square root."),
    (lambda i, o: np.sqrt(2 / (i + o)), "That is Xavier/Glorot's std (for tanh), not He's."),
    (lambda i, o: np.sqrt(1 / i), "You forgot the factor 2 that makes up for ReLU's zeros."),
]
_BN = [
    (lambda x, g, b: _bn(x, g, b, ddof=1), "Use the biased variance (ddof=0), not ddof=1."),
    (lambda x, g, b: _bn(x, g, b, eps=0.0), "You forgot eps: divide by sqrt(var + eps)."),
    (lambda x, g, b: _bn(x, g, b, axis=1), "Average over the batch (axis 0), not features."),
]
_ES = [
    (lambda v, p: np.argmin(v) + 1, "Training stopped early: it never saw the later epochs."),
    (lambda v, p: _es(v, p) - 1, "Off by one: epochs count from 1, list indices from 0."),
    (lambda v, p: _es(v, p, False), "That is where training stops; keep the best epoch."),
]


def check_he_std(fn) -> CheckResult:
    """Check ``he_std(fan_in, fan_out)``: ``sqrt(2 / fan_in)``, He et al.'s std for ReLU."""
    hint = "a ReLU zeroes half of z, so Var(w) = 2 / fan_in keeps E[a^2] steady; take the root."
    ref, cases = (lambda i, o: np.sqrt(2 / i)), [(100, 10), (784, 256), (3, 500)]
    return check_function(fn, ref, cases, name="he_std", hint=hint, mistakes=_HE)


def check_batch_norm_train(fn) -> CheckResult:
    """Check ``batch_norm_train(x, gamma, beta)``: batch norm's training-mode output, eps 1e-5."""
    hint = "per feature, over the batch: (x - mean) / sqrt(var + eps), then gamma * ... + beta."
    x = [np.random.default_rng(n).normal([0, 3, -1], [1, 0.003, 5], (n, 3)) for n in (8, 5)]
    cases = [(xi, np.array([1.5, 0.5, 2.0]), np.array([0.1, -1.0, 2.0])) for xi in x]
    return check_function(fn, _bn, cases, name="batch_norm_train", hint=hint, mistakes=_BN)


def check_early_stopping_epoch(fn) -> CheckResult:
    """Check ``early_stopping_epoch(val_losses, patience)``: the epoch whose weights are kept."""
    hint = "count epochs from 1; stop after `patience` epochs without a strictly lower loss."
    cases = [([10, 8, 6, 6.5, 7, 6.2, 7.5, 5], 3), ([9, 8, 7], 2), ([5, 5, 6, 4], 2)]
    return check_function(fn, _es, cases, name="early_stopping_epoch", hint=hint, mistakes=_ES)
