"""The softmax and cross-entropy checkers pass solutions computed with PyTorch and reject each
known mistake by name; they stay quiet about overflow."""

import numpy as np
import torch
import torch.nn.functional as F
from _checkers import table_test

from dlcourse import checks


def logsumexp(Z):
    return torch.logsumexp(torch.tensor(Z), dim=1).numpy()


def cross_entropy(Z, labels):
    return F.cross_entropy(torch.tensor(Z), torch.tensor(labels)).item()


def softmax_cross_entropy_grad(Z, labels):
    Zt = torch.tensor(Z, requires_grad=True)
    F.cross_entropy(Zt, torch.tensor(labels)).backward()
    return Zt.grad.numpy()


def naive_log_p(Z):
    return np.log(np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))


def log_p(Z):
    return F.log_softmax(torch.tensor(Z), dim=1).numpy()


def p_(Z):
    return np.exp(log_p(Z))


TABLE = [
    (checks.check_logsumexp, logsumexp, [
        (lambda Z: np.log(np.sum(np.exp(Z), axis=1)), "overflows"),
        (lambda Z: np.log(np.exp(Z - Z.max()).sum(axis=1)) + Z.max(), "whole array"),
        (lambda Z: np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(axis=1)), "add the maximum back"),
        (lambda Z: np.max(Z, axis=1), "maximum of each row"),
        (lambda Z: logsumexp(Z)[:, None], "keepdims"),
        (lambda Z: torch.logsumexp(torch.tensor(Z), dim=0).numpy(), "COLUMN"),
    ]),
    (checks.check_cross_entropy, cross_entropy, [
        (lambda Z, t: -naive_log_p(Z)[np.arange(len(t)), t].mean(), "overflows"),
        (lambda Z, t: F.cross_entropy(torch.tensor(Z), torch.tensor(t), reduction="none").numpy(),
         "per-sample losses"),
        (lambda Z, t: F.cross_entropy(torch.tensor(Z), torch.tensor(t), reduction="sum").item(),
         "sum of the per-sample"),
        (lambda Z, t: -cross_entropy(Z, t), "sign"),
        (lambda Z, t: -Z[np.arange(len(t)), t].mean(), "raw logit"),
        (lambda Z, t: -log_p(Z)[:, t].mean(), "whole column"),
    ]),
    (checks.check_softmax_cross_entropy_grad, softmax_cross_entropy_grad, [
        (lambda Z, t: (np.exp(naive_log_p(Z)) - np.eye(Z.shape[1])[t]) / len(t), "overflows"),
        (lambda Z, t: len(t) * softmax_cross_entropy_grad(Z, t), "N times too large"),
        (lambda Z, t: (np.eye(Z.shape[1])[t] - p_(Z)) / len(t), "sign is flipped"),
        (lambda Z, t: p_(Z) / len(t), "softmax itself"),
        (lambda Z, t: p_(Z), "softmax itself"),
        (lambda Z, t: (p_(Z) - 1) / len(t), "every entry"),
    ]),
]  # fmt: skip


test_checker_passes_a_solution_and_rejects_each_mistake_by_name = table_test(
    TABLE, no_runtime_warnings=True
)
